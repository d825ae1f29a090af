/**
 * The rule for raising a mass signal's send loop, as pure functions: whether the caller's scheduling allows it, and
 * whether a cgroup CPU quota applies (read by src/cli/process-policy.ts, once per mass signal).
 */

/** The rule in one sentence, as the man page (NOTES) and docs/compat.md (D19) state it. */
export const SCHEDULING_RULE =
  "A mass signal's send loop runs at SCHED_FIFO 1 only when the caller runs SCHED_OTHER at nice 0 or below, under " +
  'no cgroup CPU quota (cpu.max, cpu.cfs_quota_us), without KILLALL_TS_NO_RT, and the kernel allows it; the raise ' +
  'is reset on fork and undone before any output, and only a run whose own raise succeeded raises its threads for ' +
  'its exit.';

export const SCHED_OTHER = 0;
export const SCHED_FIFO = 1;
/** Or'ed into a policy: children forked while it is set start at SCHED_OTHER, nice 0 or above. */
export const SCHED_RESET_ON_FORK = 0x40000000;

/** What the rule looks at. */
export interface Caller {
  /** sched_getscheduler(0) of the main thread (SCHED_RESET_ON_FORK included when set). */
  readonly policy: number;
  /** Its nice value. */
  readonly nice: number;
  /** A CPU quota applies to its cgroup or an ancestor ({@link quotaApplies}). */
  readonly cpuQuota: boolean;
  /** `KILLALL_TS_NO_RT` is set to something other than the empty string or `0`. */
  readonly optOut: boolean;
}

/** Why a caller is not raised, or `raise`. */
export type RaiseDecision = 'raise' | 'opt-out' | 'policy' | 'nice' | 'cpu-quota';

/**
 * The one-sentence rule: raise only a caller that runs SCHED_OTHER at nice 0 or below, under no CPU quota, and has
 * not opted out (whether the kernel allows it is the raise's own answer). A caller that chose SCHED_BATCH,
 * SCHED_IDLE, a real-time or deadline policy, a positive nice, or a `cpu.max` quota (real-time tasks escape CFS
 * bandwidth limits) keeps what it chose.
 */
export function raiseDecision(c: Caller): RaiseDecision {
  if (c.optOut) return 'opt-out';
  if ((c.policy & ~SCHED_RESET_ON_FORK) !== SCHED_OTHER) return 'policy';
  if (!(c.nice <= 0)) return 'nice';
  if (c.cpuQuota) return 'cpu-quota';
  return 'raise';
}

/** Whether `KILLALL_TS_NO_RT`'s value opts out (anything but unset, empty or `0`). */
export const optsOut = (value: string | undefined): boolean =>
  value !== undefined && value !== '' && value !== '0';

/** The cgroup paths that hold the CPU controller: cgroup v2's unified path, cgroup v1's `cpu` hierarchy. */
export interface CpuCgroups {
  readonly v2?: string;
  readonly v1?: string;
}

/** The CPU controller's cgroup paths in `/proc/self/cgroup` (lines `ID:CONTROLLERS:PATH`). */
export function cpuCgroups(text: string): CpuCgroups {
  let v2: string | undefined;
  let v1: string | undefined;
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) continue;
    const path = line.slice(b + 1);
    if (!path.startsWith('/')) continue;
    const controllers = line.slice(a + 1, b);
    if (line.slice(0, a) === '0' && controllers === '') v2 = path;
    else if (controllers.split(',').includes('cpu')) v1 = path;
  }
  return { ...(v2 !== undefined ? { v2 } : {}), ...(v1 !== undefined ? { v1 } : {}) };
}

/** Where cgroup v2 and the v1 `cpu` hierarchy are mounted on every distribution we know. */
export const CGROUP_ROOTS = { v2: '/sys/fs/cgroup', v1: '/sys/fs/cgroup/cpu' } as const;

/** `path` and each of its ancestors up to the root (`/a/b`: `/a/b`, `/a`, ``), without `..` steps. */
function selfAndAncestors(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return [];
  return parts.map((_, i) => `/${parts.slice(0, parts.length - i).join('/')}`).concat('');
}

/** The quota files to read, nearest first: `cpu.max` (v2) and `cpu.cfs_quota_us` (v1) of the cgroup and its ancestors. */
export function quotaFiles(cg: CpuCgroups): string[] {
  const v2 = cg.v2 === undefined ? [] : selfAndAncestors(cg.v2).map((p) => `${CGROUP_ROOTS.v2}${p}/cpu.max`);
  const v1 =
    cg.v1 === undefined ? [] : selfAndAncestors(cg.v1).map((p) => `${CGROUP_ROOTS.v1}${p}/cpu.cfs_quota_us`);
  return [...v2, ...v1];
}

/**
 * Whether a quota file's content sets a limit: `cpu.max` is `max PERIOD` without one, `QUOTA PERIOD` with one;
 * `cpu.cfs_quota_us` is `-1` without one. Anything else (unreadable, empty, garbage) is no known quota.
 */
export function isQuota(content: string): boolean {
  return /^\d+$/.test(content.trim().split(/\s+/)[0] ?? '');
}

/** Whether a CPU quota applies, reading each file with `read` (undefined when it cannot be read). */
export function quotaApplies(cg: CpuCgroups, read: (path: string) => string | undefined): boolean {
  for (const f of quotaFiles(cg)) {
    const content = read(f);
    if (content !== undefined && isQuota(content)) return true;
  }
  return false;
}
