// fkill: killall-ts's drop-in on Linux (no killall, ps or ss; race-free; `tree` works), the original elsewhere.
// Loaded at the first call (fkill is asynchronous anyway), so that require(esm) of this module works.
import process from 'node:process';

let loading;
async function load() {
  if (process.platform === 'linux') {
    try {
      return (await import('killall-ts/fkill')).default;
    } catch (e) {
      // killall-ts is an optional dependency: installed with --omit=optional, the original serves, with a warning.
      if (e.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes("'killall-ts'")) throw e;
      process.emitWarning('killall-ts is not installed: fkill falls back to the original package', 'KillallTs');
    }
  }
  return (await import('fkill-original')).default;
}

export default async function fkill(input, options) {
  loading ??= load();
  return (await loading)(input, options);
}
