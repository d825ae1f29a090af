import { createRequire } from 'node:module';

/**
 * A synchronous `require` for modules a plain run never needs (child_process, readline, os, koffi): they are
 * loaded at first use, so `killall NAME` starts with nothing but fs. In the CommonJS CLI bundle the module's own
 * `require` serves; in the ESM library one is made from this module's URL.
 */
export const lazyRequire: NodeJS.Require =
  typeof require === 'function' ? require : createRequire(import.meta.url);
