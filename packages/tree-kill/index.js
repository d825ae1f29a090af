'use strict';
// tree-kill: killall-ts's drop-in on Linux (nothing spawned, race-free), the original package elsewhere.
function load() {
  if (process.platform === 'linux') {
    try {
      return require('killall-ts/tree-kill');
    } catch (e) {
      // killall-ts is an optional dependency: installed with --omit=optional, the original serves, with a warning.
      if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes("'killall-ts/tree-kill'")) throw e;
      process.emitWarning('killall-ts is not installed: tree-kill falls back to the original package', 'KillallTs');
    }
  }
  return require('tree-kill-original');
}
module.exports = load();
