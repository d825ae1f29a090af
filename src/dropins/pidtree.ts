/**
 * pidtree 1.0's ESM entry (`killall-ts/pidtree` imported): `pidtree(pid, {root, advanced}?, callback?)` from one
 * pass over /proc, nothing spawned. The default export and the named one are the same function.
 */
import { type Pidtree, pidtreeV1 } from './pidtree-core.js';

export type { AdvancedResult, Options, Pidtree, Result } from './pidtree-core.js';

/**
 * The descendants of `pid` (breadth first, siblings in PID order); with `root`, the PID itself first; with
 * `advanced`, `{ppid, pid}` entries; -1 lists every process. A promise without a callback. Errors: TypeError
 * "The pid provided is invalid" (not a number, or below -1), Error "No matching pid found".
 */
export const pidtree: Pidtree = pidtreeV1;

export default pidtree;
