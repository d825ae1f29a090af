'use strict';
// kill-port: killall-ts's drop-in on Linux (no lsof, no shell, exact port), the original package elsewhere.
function load() {
  if (process.platform === 'linux') {
    try {
      return require('killall-ts/kill-port');
    } catch (e) {
      // killall-ts is an optional dependency: installed with --omit=optional, the original serves, with a warning.
      if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes("'killall-ts/kill-port'")) throw e;
      process.emitWarning('killall-ts is not installed: kill-port falls back to the original package', 'KillallTs');
    }
  }
  return require('kill-port-original');
}
module.exports = load();
