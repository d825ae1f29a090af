/**
 * The CLI's process-control calls for a mass signal, as the {@link MassSignalPolicy} it passes to the library, plus
 * {@link CliPolicy.exitNow}. Only a process that runs nothing but killall may make them; the library never does.
 * docs/reliability.md "Batched sends".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { lazyRequire } from '../lazy.js';
import type { MassSignalPolicy } from '../signal/policy.js';
import { type Libc, loadLibc } from '../system.js';
import { errnoCode } from '../text/strerror.js';
import {
  cpuCgroups,
  optsOut,
  quotaApplies,
  raiseDecision,
  SCHED_FIFO,
  SCHED_RESET_ON_FORK,
} from './sched-rule.js';

/** The CLI's policy: the library's part, and the end of the process. */
export interface CliPolicy extends MassSignalPolicy {
  /**
   * Ends the process at once with `status` after a mass signal (room was made for a large batch), once every line
   * is written: its threads raised first when this run's own raise succeeded, then _exit(2), skipping Node's
   * clean-up. After a mass signal thousands of exiting victims fill the run queues, and a Node process cannot end
   * before each of its ~7 threads has been scheduled again (to join, then to die): behind the victims, that took up
   * to 100 ms (bench/README.md). Returns (Node then exits as usual) after any other run.
   */
  readonly exitNow: (status: number) => void;
}

interface Calls {
  readonly unshare: (flags: number) => number;
  readonly dupAbove: (fd: number, lowest: number) => number;
  readonly close: (fd: number) => number;
  readonly getScheduler: (tid: number) => number;
  readonly setScheduler: (tid: number, policy: number, param: Int32Array) => number;
  readonly exit: (status: number) => void;
  /** errno after the last call, as its code. */
  readonly error: () => string;
}

const CLONE_FILES = 0x400;
const F_DUPFD_CLOEXEC = 1030;

function bind(c: Libc): Calls | null {
  try {
    const fcntl = c.func('int fcntl(int, int, ...)');
    return {
      unshare: c.func('int unshare(int)') as unknown as Calls['unshare'],
      dupAbove: (fd, lowest) => Number(fcntl(fd, F_DUPFD_CLOEXEC, 'int', lowest)),
      close: c.func('int close(int)') as unknown as Calls['close'],
      getScheduler: c.func('int sched_getscheduler(int)') as unknown as Calls['getScheduler'],
      setScheduler: c.func('int sched_setscheduler(int, int, int *)') as unknown as Calls['setScheduler'],
      exit: c.func('void _exit(int)') as unknown as Calls['exit'],
      error: () => errnoCode(c.errno()),
    };
  } catch {
    return null;
  }
}

/** Node options that run code we do not control in this process (preloads, loaders) or attach an inspector. */
const FOREIGN_CODE =
  /(?:^|\s)(?:-r|--require|--import|--loader|--experimental-loader|--inspect(?:-brk|-wait)?)(?:[=\s]|$)/;

/**
 * Whether the main thread may take an fd table of its own (unshare(CLONE_FILES)): after it, an fd the main thread
 * opens is invisible to Node's other threads, and one they open is invisible to it, so nothing but this run's own
 * synchronous code may touch fds from then on. Refused when code we do not control is loaded (a `--require` or
 * `--import` preload, a loader, an inspector: in `NODE_OPTIONS` or Node's own arguments), or when any asynchronous
 * operation is pending (an fs request, a handle, a timer: none is, in the CLI's plain runs, at the 17th match).
 * tests/integration/fd-table.test.ts checks with strace that no other thread uses an fd opened after it.
 */
export function mayUnshareFiles(
  nodeOptions: string | undefined,
  execArgv: readonly string[],
  pending: readonly string[],
): boolean {
  return pending.length === 0 && ![nodeOptions ?? '', ...execArgv].some((a) => FOREIGN_CODE.test(a));
}

/** Whether a CPU quota applies to this process's cgroup or an ancestor (read from /proc and /sys, never cached). */
function underCpuQuota(): boolean {
  const read = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'latin1');
    } catch {
      return undefined;
    }
  };
  const self = read('/proc/self/cgroup');
  return self !== undefined && quotaApplies(cpuCgroups(self), read);
}

/** The calling thread's nice value (getpriority(2)), or 20 (never raised) when it cannot be read. */
function niceOfThread(): number {
  try {
    return (lazyRequire('node:os') as typeof import('node:os')).getPriority(0);
  } catch {
    return 20;
  }
}

/**
 * The CLI's policy over the C library (koffi): `env` is read for `KILLALL_TS_NO_RT` (no raise at all). See
 * {@link raiseDecision} for the rule; the raise sets SCHED_RESET_ON_FORK, and lowering restores the caller's
 * policy (its nice value is kept by the kernel across the change).
 */
export function cliPolicy(env: NodeJS.ProcessEnv): CliPolicy {
  let calls: Calls | null | undefined;
  const load = (): Calls | null => {
    if (calls === undefined) {
      const c = loadLibc();
      calls = c === null ? null : bind(c);
    }
    return calls;
  };
  /** Room was made for a large batch: a mass signal, after which exitNow acts. */
  let mass = false;
  /** Whether the rule allows a raise (decided at the first one), and the caller's policy to go back to. */
  let allowed: boolean | undefined;
  let callerPolicy = 0;
  let raised = false;
  let raisedOnce = false;

  const decide = (c: Calls): boolean => {
    if (optsOut(env.KILLALL_TS_NO_RT)) return false;
    callerPolicy = c.getScheduler(0);
    if (callerPolicy < 0) return false;
    const first = raiseDecision({
      policy: callerPolicy,
      nice: niceOfThread(),
      cpuQuota: false,
      optOut: false,
    });
    // The cgroup files are read only when nothing else forbids the raise.
    return first === 'raise' && !underCpuQuota();
  };

  return {
    batch: {
      makeRoom: (anyFd, slots) => {
        const c = load();
        if (!c) return 'ENOSYS';
        // An fd table of its own costs nothing; growing the shared one at once (one F_DUPFD to the top slot, then
        // close) costs one RCU grace period, where growing it pin by pin costs one per doubling (bench/README.md).
        const own =
          mayUnshareFiles(env.NODE_OPTIONS, process.execArgv, process.getActiveResourcesInfo()) &&
          c.unshare(CLONE_FILES) === 0;
        if (!own) {
          const fd = c.dupAbove(anyFd, slots - 1);
          if (fd < 0) return c.error();
          c.close(fd);
        }
        mass = true;
        return 0;
      },
    },
    raise: {
      // Every write of the CLI lowers first (main.ts), and the process ends after the run.
      untilOutput: true,
      raise: () => {
        if (raised) return true;
        const c = load();
        if (!c) return false;
        allowed ??= decide(c);
        if (!allowed) return false;
        if (c.setScheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, new Int32Array([1])) !== 0) {
          // Refused (no CAP_SYS_NICE, no RT budget): never tried again, and no thread is touched at exit.
          allowed = false;
          return false;
        }
        raised = raisedOnce = true;
        return true;
      },
      lower: () => {
        if (!raised) return;
        raised = false;
        const c = load()!;
        const param = new Int32Array([0]);
        // An unprivileged caller (RLIMIT_RTPRIO) may not clear SCHED_RESET_ON_FORK: then it stays set.
        if (c.setScheduler(0, callerPolicy, param) !== 0)
          c.setScheduler(0, callerPolicy | SCHED_RESET_ON_FORK, param);
      },
    },
    exitNow: (status) => {
      if (!mass) return;
      const c = load();
      if (!c) return;
      if (raisedOnce) {
        try {
          const param = new Int32Array([1]);
          for (const tid of readdirSync('/proc/self/task'))
            c.setScheduler(Number(tid), SCHED_FIFO | SCHED_RESET_ON_FORK, param);
        } catch {
          // /proc/self/task unreadable: exit all the same.
        }
      }
      c.exit(status);
    },
  };
}
