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

/**
 * `members` ordered children first: every process after all of its descendants among them (post-order, siblings
 * in the order given), each once. A member whose parent is not a member starts a tree of its own; links that form
 * a cycle (impossible in one snapshot, possible across several) are cut where the walk meets them again.
 */
export function childrenFirst<T extends { readonly pid: number; readonly ppid: number }>(
  members: readonly T[],
): T[] {
  const byPid = new Map<number, T>();
  for (const m of members) if (!byPid.has(m.pid)) byPid.set(m.pid, m);
  const kids = new Map<number, T[]>();
  const tops: T[] = [];
  for (const m of byPid.values()) {
    const parent = m.ppid !== m.pid ? byPid.get(m.ppid) : undefined;
    if (!parent) {
      tops.push(m);
      continue;
    }
    const list = kids.get(parent.pid);
    if (list) list.push(m);
    else kids.set(parent.pid, [m]);
  }
  const out: T[] = [];
  const entered = new Set<number>();
  const visit = (top: T): void => {
    entered.add(top.pid);
    // Iterative post-order: each frame is a member and the index of its next child.
    const stack: [T, number][] = [[top, 0]];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = kids.get(frame[0].pid) ?? [];
      const next = children[frame[1]++];
      if (next === undefined) {
        stack.pop();
        out.push(frame[0]);
      } else if (!entered.has(next.pid)) {
        entered.add(next.pid);
        stack.push([next, 0]);
      }
    }
  };
  for (const t of tops) visit(t);
  // Members on a cycle have no top: each remaining one starts a walk of its own.
  for (const m of byPid.values()) if (!entered.has(m.pid)) visit(m);
  return out;
}
