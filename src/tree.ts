/**
 * Process trees from ppid links (stat field 4), for `--tree`. Pure: the links come from one pass over the scan's
 * PID snapshot.
 */

/** One process of the link table: its PID, its parent and its start time (the identity it is pinned by). */
export interface ProcLink {
  readonly pid: number;
  readonly ppid: number;
  /** The process group (for the members shown by `-g --dry-run`). */
  readonly pgrp: number;
  readonly startTime: string;
}

/** Children by parent PID, in the order of `links` (ascending PIDs when they come from the snapshot). */
export function childrenIndex(links: Iterable<ProcLink>): Map<number, ProcLink[]> {
  const out = new Map<number, ProcLink[]>();
  for (const l of links) {
    if (l.ppid === l.pid) continue;
    let list = out.get(l.ppid);
    if (!list) {
      list = [];
      out.set(l.ppid, list);
    }
    list.push(l);
  }
  return out;
}

/**
 * The descendants of `root`, parents before their children (breadth first, so a parent that respawns its
 * children is signalled before them), without the root itself, without any PID in `skip` (killall-ts and its
 * ancestors: never signalled; their own descendants are still walked), each PID once even if the links form a
 * cycle.
 */
export function descendantsOf(
  root: number,
  children: ReadonlyMap<number, readonly ProcLink[]>,
  skip: ReadonlySet<number> = new Set(),
): ProcLink[] {
  const out: ProcLink[] = [];
  const seen = new Set<number>([root]);
  let level: number[] = [root];
  while (level.length > 0) {
    const next: number[] = [];
    for (const pid of level) {
      for (const c of children.get(pid) ?? []) {
        if (seen.has(c.pid)) continue;
        seen.add(c.pid);
        next.push(c.pid);
        if (!skip.has(c.pid)) out.push(c);
      }
    }
    level = next;
  }
  return out;
}
