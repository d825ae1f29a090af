/**
 * fkill's inputs read as killall-ts selections: a PID, a negative number for a process group, `:PORT`, or a name
 * (psmisc's rules, as fkill's `killall NAME`). Each becomes process identities (PID + start time) from /proc.
 */
import { KillallError } from '../errors.js';
import { findProcesses } from '../find.js';
import type { ProcessRef } from '../killall.js';
import { PID_MAX_LIMIT } from '../signal/pid.js';
import type { ProcLink } from '../tree.js';
import { processLinks } from '../tree-walk.js';

/** One input and what it selects. */
export interface Resolved {
  readonly input: string | number;
  /** What the input stands for: a PID, a process group (one member's identity), a port, or a name. */
  readonly kind: 'pid' | 'group' | 'port' | 'name';
  /** The processes selected (for a group: one member, the group is signalled through it). */
  readonly refs: readonly ProcessRef[];
  /** The input is our own PID: fkill never kills its own process, and says nothing. */
  readonly self: boolean;
  /** Why it could not be read, when a library error (no /proc, say) stopped it. */
  readonly error?: string;
}

const ref = (l: ProcLink): ProcessRef => ({ pid: l.pid, startTime: l.startTime });

function byNumber(input: number, links: readonly ProcLink[]): Resolved {
  const self = input === process.pid;
  if (Number.isSafeInteger(input) && input > 0 && input <= PID_MAX_LIMIT) {
    const l = links.find((x) => x.pid === input);
    return { input, kind: 'pid', refs: l && !self ? [ref(l)] : [], self };
  }
  // -PGID: the group, as `kill -15 -- -PGID`, through one member (the leader when it is still there). Not 0 or -1.
  if (Number.isSafeInteger(input) && input < -1 && -input <= PID_MAX_LIMIT) {
    const members = links.filter((x) => x.pgrp === -input);
    const lead = members.find((x) => x.pid === -input) ?? members[0];
    return { input, kind: 'group', refs: lead ? [ref(lead)] : [], self: false };
  }
  return { input, kind: 'pid', refs: [], self: false };
}

async function byName(input: string, ignoreCase: boolean): Promise<Resolved> {
  const port = input.startsWith(':');
  let names: string[];
  if (port) {
    // As fkill: parseInt of what follows the colon; TCP listening or UDP bound, IPv4 and IPv6.
    const n = Number.parseInt(input.slice(1), 10);
    if (!(n >= 1 && n <= 65535)) return { input, kind: 'port', refs: [], self: false };
    names = [`:${n}`];
  } else names = input === 'node' || input === 'node.exe' ? ['node', 'node.exe'] : [input];
  // fkill spares its own ancestors only for `node`; by port or any other name, only itself.
  const special = !port && names.length === 2;
  try {
    const found = await findProcesses({
      names,
      ignoreCase: ignoreCase && !special,
      excludeAncestors: special,
    });
    return { input, kind: port ? 'port' : 'name', refs: found.map((p) => ref(p)), self: false };
  } catch (e) {
    // A path NAME that does not exist selects nothing, as `killall /no/such` finds nothing.
    if (e instanceof KillallError && e.code === 'BAD_PATH')
      return { input, kind: 'name', refs: [], self: false };
    if (e instanceof KillallError)
      return { input, kind: port ? 'port' : 'name', refs: [], self: false, error: e.message };
    throw e;
  }
}

/** Every input resolved, in order; numbers from one /proc pass. */
export async function resolveInputs(
  inputs: readonly (string | number)[],
  ignoreCase: boolean,
): Promise<Resolved[]> {
  const numbers = inputs.some((i) => typeof i !== 'string');
  let links: ProcLink[] = [];
  let linkError: string | undefined;
  if (numbers) {
    try {
      links = await processLinks();
    } catch (e) {
      if (!(e instanceof KillallError)) throw e;
      linkError = e.message;
    }
  }
  return Promise.all(
    inputs.map((input) => {
      if (typeof input === 'string') return byName(input, ignoreCase);
      const r = byNumber(Number(input), links);
      return linkError === undefined ? r : { ...r, error: linkError };
    }),
  );
}
