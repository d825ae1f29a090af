/**
 * Process trees read from /proc: the ppid link of every process (one pass), and the descendants of chosen roots,
 * walked again over fresh passes until a pass finds no process the earlier ones missed (children forked during the
 * walk). Identity is PID + start time throughout: a root is found only while its PID still holds that start time.
 */
import { checkProc, type ProcessRef, snapshot, wrapResource } from './killall.js';
import { readLinks } from './procfs/links.js';
import { ProcReader } from './procfs/reader.js';
import { realSystem, type System } from './system.js';
import { childrenIndex, type ProcLink } from './tree.js';

/** A process found under a root: its link, and the index (in the roots given) of the root it descends from. */
export interface TreeMember extends ProcLink {
  /** Index of its root in the roots given (a root is a member of its own tree, with its own index). */
  readonly root: number;
}

/** What {@link walkTrees} found. */
export interface TreeWalk {
  /** Every root found and its descendants, parents first, each once (the first root that reaches it owns it). */
  readonly members: readonly TreeMember[];
  /** Per root: whether it is there, with its start time, in the last pass. */
  readonly found: readonly boolean[];
  /** The passes made. */
  readonly passes: number;
}

/** How many passes a walk makes at most: it stops earlier at the first pass that adds nobody. */
export const MAX_WALK_PASSES = 8;

const key = (p: { readonly pid: number; readonly startTime: string }): string => `${p.pid}:${p.startTime}`;

/**
 * The ppid link of every process of one /proc pass, ascending by PID, our own process included (the scan's
 * snapshot leaves it out). Processes that vanish during the pass, or whose stat cannot be read, are left out.
 */
export function allLinks(reader: ProcReader): ProcLink[] {
  const links = readLinks(reader, snapshot(reader));
  const self = reader.sys.pid;
  const st = reader.statOf(reader.dirOf(self));
  if (!st) return links;
  const at = links.findIndex((l) => l.pid > self);
  const link = { pid: self, ppid: st.ppid, pgrp: st.pgrp, startTime: st.startTime };
  links.splice(at < 0 ? links.length : at, 0, link);
  return links;
}

/**
 * The members of one pass: breadth first from each root that `links` show with its start time, through the ppid
 * links, skipping PIDs already reached (a cycle, or a root below another).
 */
function membersOf(links: readonly ProcLink[], roots: readonly (ProcessRef | null)[]): TreeMember[] {
  const byPid = new Map<number, ProcLink>();
  for (const l of links) byPid.set(l.pid, l);
  const children = childrenIndex(links);
  const out: TreeMember[] = [];
  const seen = new Set<number>();
  roots.forEach((r, root) => {
    const top = r ? byPid.get(r.pid) : undefined;
    if (!top || top.startTime !== r!.startTime || seen.has(top.pid)) return;
    seen.add(top.pid);
    out.push({ ...top, root });
    for (let i = out.length - 1; i < out.length; i++) {
      for (const c of children.get(out[i]!.pid) ?? []) {
        if (seen.has(c.pid)) continue;
        seen.add(c.pid);
        out.push({ ...c, root });
      }
    }
  });
  return out;
}

/**
 * Walks the trees under `roots` (a PID, whose start time the first pass reads, or a PID and start time): pass
 * after pass over all of /proc, at most `maxPasses`, until a pass finds no member the earlier ones had not. The
 * members are those of every pass still there in the last one, with the ppid it shows (a process whose parent died
 * during the walk stays a member, though it now hangs under init).
 */
export function walkTrees(
  reader: ProcReader,
  roots: readonly (number | ProcessRef)[],
  maxPasses = MAX_WALK_PASSES,
): TreeWalk {
  let ids: (ProcessRef | null)[] | undefined;
  const known = new Map<string, TreeMember>();
  let links: ProcLink[] = [];
  let passes = 0;
  for (;;) {
    links = allLinks(reader);
    passes++;
    if (!ids) {
      const byPid = new Map(links.map((l) => [l.pid, l]));
      ids = roots.map((r) => (typeof r === 'number' ? (byPid.get(r) ?? null) : r));
    }
    let added = false;
    for (const m of membersOf(links, ids)) {
      if (known.has(key(m))) continue;
      known.set(key(m), m);
      added = true;
    }
    if (!added || passes >= maxPasses) break;
  }
  const last = new Map(links.map((l) => [key(l), l]));
  const members: TreeMember[] = [];
  for (const m of known.values()) {
    const now = last.get(key(m));
    if (now) members.push({ ...now, root: m.root });
  }
  const present = new Set(members.map((m) => m.pid));
  const first = ids!;
  return { members, found: first.map((r) => r !== null && present.has(r.pid)), passes };
}

/**
 * The members of trees already known that a fresh pass shows with children the walk had not seen (forked since):
 * those newcomers and their own descendants, each under the root of the member it hangs from.
 */
export function newcomersOf(reader: ProcReader, members: readonly TreeMember[]): TreeMember[] {
  const links = allLinks(reader);
  const known = new Set(members.map(key));
  const found = membersOf(links, members);
  const out: TreeMember[] = [];
  for (const m of found) if (!known.has(key(m))) out.push({ ...m, root: members[m.root]!.root });
  return out;
}

/** Options of {@link processLinks}. */
export interface ProcessLinksOptions {
  /** The OS seam; tests pass a fake. @default realSystem */
  readonly system?: System;
}

/**
 * The parent link of every process (PID, parent PID, process group, start time), ascending by PID, our own
 * process included, from one pass over /proc and without spawning anything. A snapshot: the start time tells a
 * process from a later one with the same PID.
 */
export function processLinks(options: ProcessLinksOptions = {}): Promise<ProcLink[]> {
  return wrapResource(async () => {
    const sys = options.system ?? realSystem;
    const reader = new ProcReader(sys);
    checkProc(sys);
    return allLinks(reader);
  });
}
