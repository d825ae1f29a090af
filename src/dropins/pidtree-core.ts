/**
 * pidtree's API over {@link processLinks}: `pidtree(pid, {root, advanced}?, callback?)`, from one pass over /proc
 * instead of `ps -A -o ppid,pid`. `pidtreeV1` behaves as 1.0 (served as ESM, `./pidtree.ts`), `pidtreeLegacy` as
 * 0.6 (served as CommonJS), which differs in the order of siblings and in how it reads pid 0.
 */
import { processLinks } from '../tree-walk.js';

/** Options of {@link pidtree}. */
export interface Options {
  /** Include the given PID in the list. Ignored with -1. @default false */
  root?: boolean;
}

/** An entry with `advanced`: the process and its parent (the root of a special PID such as 0 has no `ppid`). */
export interface AdvancedResult {
  /** PID of the parent. */
  ppid: number;
  /** PID. */
  pid: number;
}

/** An entry without `advanced`: the PID. */
export type Result = number;

/** pidtree's function: a promise without a callback. */
export interface Pidtree {
  (pid: string | number, callback: (error: Error | undefined, result: Result[]) => void): void;
  (
    pid: string | number,
    options: Options,
    callback: (error: Error | undefined, result: Result[]) => void,
  ): void;
  (
    pid: string | number,
    options: Options & { advanced: true },
    callback: (error: Error | undefined, result: AdvancedResult[]) => void,
  ): void;
  (pid: string | number, options?: Options): Promise<Result[]>;
  (pid: string | number, options: Options & { advanced: true }): Promise<AdvancedResult[]>;
}

type Entry = number | { ppid?: number; pid: number };
type Done = (error: Error | null, result?: Entry[]) => void;
/** 1.0 lists siblings in PID order and finds the root 0; 0.6 lists them in reverse and does not find 0. */
type Flavor = '1.0' | '0.6';

/** The list for `pid` from `[ppid, pid]` pairs in PID order, by the rules of `flavor`; an Error when not found. */
export function listFrom(
  pairs: readonly (readonly [number, number])[],
  pid: number,
  advanced: boolean,
  withRoot: boolean,
  flavor: Flavor,
): Entry[] | Error {
  const entry = (ppid: number | undefined, p: number): Entry =>
    advanced ? (ppid === undefined ? { pid: p } : { ppid, pid: p }) : p;
  if (pid === -1) return pairs.map(([ppid, p]) => entry(ppid, p));
  let root: Entry | undefined;
  for (const [ppid, p] of pairs) {
    if (p === pid) {
      root = entry(ppid, pid);
      break;
    }
    // A special PID (0) is known only as a parent.
    if (ppid === pid) root = entry(undefined, pid);
  }
  if (root === undefined || (flavor === '0.6' && !root)) return new Error('No matching pid found');
  const tree = new Map<number, number[]>();
  const ordered = flavor === '0.6' ? [...pairs].reverse() : pairs;
  for (const [ppid, p] of ordered) {
    const list = tree.get(ppid);
    if (list) list.push(p);
    else tree.set(ppid, [p]);
  }
  const out: Entry[] = [root];
  for (let i = 0; i < out.length; i++) {
    const e = out[i]!;
    const current = typeof e === 'number' ? e : e.pid;
    for (const child of tree.get(current) ?? []) out.push(entry(current, child));
    tree.delete(current);
  }
  if (!withRoot) out.shift();
  return out;
}

function run(pid: unknown, options: unknown, flavor: Flavor, done: Done): void {
  const o = (typeof options === 'object' && options !== null ? options : {}) as Options & {
    advanced?: boolean;
  };
  const n = Number.parseInt(pid as string, 10);
  if (Number.isNaN(n) || n < -1) {
    done(new TypeError('The pid provided is invalid'));
    return;
  }
  processLinks().then(
    (links) => {
      const list = listFrom(
        links.map((l) => [l.ppid, l.pid] as const),
        n,
        o.advanced === true,
        o.root === true,
        flavor,
      );
      if (list instanceof Error) done(list);
      else done(null, list);
    },
    (e: unknown) => done(e instanceof Error ? e : new Error(String(e))),
  );
}

function api(flavor: Flavor): Pidtree {
  return ((pid: unknown, options?: unknown, callback?: unknown): unknown => {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (typeof callback === 'function') {
      run(pid, options, flavor, callback as Done);
      return undefined;
    }
    return new Promise((resolve, reject) =>
      run(pid, options, flavor, (e, r) => (e ? reject(e) : resolve(r))),
    );
  }) as Pidtree;
}

/** pidtree 1.0's function (see `./pidtree.ts`). */
export const pidtreeV1: Pidtree = api('1.0');

/** pidtree 0.6's function (its CommonJS export): siblings in reverse PID order, and pid 0 is "No matching pid found". */
export const pidtreeLegacy: Pidtree = api('0.6');
