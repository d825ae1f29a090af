/**
 * Kills the process `pid` and all its descendants, children before their parent (tree-kill 1.2.2's API).
 *
 * On Linux this is killall-ts's drop-in: nothing is spawned, the tree is read from /proc until no new child
 * appears, and each process is pinned and confirmed by its start time before its signal. Elsewhere the original
 * tree-kill package runs.
 *
 * @param pid The root of the tree (read with `parseInt`).
 * @param signal As `process.kill` takes it. @default 'SIGTERM'
 * @param callback Called once the signals are sent, with the first error other than ESRCH (EPERM, say).
 */
declare function treeKill(pid: number, callback?: (error?: Error) => void): void;
declare function treeKill(pid: number, signal?: string | number, callback?: (error?: Error) => void): void;

declare namespace treeKill {}

export = treeKill;
