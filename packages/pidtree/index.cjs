'use strict';
// pidtree 0.6's CommonJS shape: killall-ts's drop-in on Linux (no ps), the original pidtree 0.6 elsewhere.
function load() {
  if (process.platform === 'linux') {
    try {
      return require('killall-ts/pidtree');
    } catch (e) {
      // killall-ts is an optional dependency: installed with --omit=optional, the original serves, with a warning.
      if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes("'killall-ts/pidtree'")) throw e;
      process.emitWarning('killall-ts is not installed: pidtree falls back to the original package', 'KillallTs');
    }
  }
  return require('pidtree-original-cjs');
}
module.exports = load();
