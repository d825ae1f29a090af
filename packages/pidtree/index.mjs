// pidtree 1.0's ESM shape: killall-ts's drop-in on Linux (no ps), the original pidtree 1.0 elsewhere.
// `require` never reaches this file (it gets index.cjs), so the top-level await costs CommonJS callers nothing.
import process from 'node:process';

async function load() {
  if (process.platform === 'linux') {
    try {
      return (await import('killall-ts/pidtree')).default;
    } catch (e) {
      // killall-ts is an optional dependency: installed with --omit=optional, the original serves, with a warning.
      if (e.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes("'killall-ts'")) throw e;
      process.emitWarning('killall-ts is not installed: pidtree falls back to the original package', 'KillallTs');
    }
  }
  return (await import('pidtree-original')).default;
}

const pidtree = await load();
export default pidtree;
export { pidtree };
