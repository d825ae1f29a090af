import * as fs from 'node:fs';
import { lazyRequire } from './lazy.js';
import { errnoCode } from './text/strerror.js';
import { readPasswdName, readPasswdUid } from './user.js';

/** How a pidfd send ended: 0 for success, else the errno code (`ESRCH`, `EPERM`, `ENOSYS`, …). */
export type PidfdResult = 0 | string;

/**
 * Every OS call killall-ts makes goes through one of these. The real one is {@link realSystem}; tests pass fakes.
 * Calls throw Node system errors (with `code`) exactly as `node:fs` does.
 */
export interface System {
  /** Our own PID; the scan never selects it. */
  readonly pid: number;
  /** Entry names of a directory, in no particular order. */
  readdir(path: string): string[];
  /** open(path, O_RDONLY[|O_DIRECTORY]). */
  open(path: string | Buffer, directory?: boolean): number;
  /**
   * read(2) into `buf[offset, offset+length)`, or pread(2) from file offset `position` when it is given; returns
   * the byte count.
   */
  read(fd: number, buf: Uint8Array, offset: number, length: number, position?: number | null): number;
  /** close(2). */
  close(fd: number): void;
  /** stat(2), following symlinks. */
  stat(path: string | Buffer): { readonly dev: bigint; readonly ino: bigint };
  /** readlink(2) as raw bytes. */
  readlink(path: string | Buffer): Buffer;
  /** kill(2) with a validated pid or -pgid; throws the errno. */
  kill(pid: number, signal: number): void;
  /**
   * pidfd_send_signal(fd, sig, NULL, 0) on a pidfd or /proc/PID directory fd; `ENOSYS` when the call cannot be
   * made at all (no FFI, or disabled).
   */
  pidfdSendSignal(fd: number, signal: number): PidfdResult;
  /**
   * False when pidfd_send_signal cannot be called here at all (no FFI, or `KILLALL_TS_NO_PIDFD`): the run then makes
   * no probe and uses kill(2) after re-checking through the pin. Optional: without it the probe tells.
   */
  pidfdAvailable?(): boolean;
  /** getpwnam(name)->pw_uid through NSS, or undefined for no such user. */
  lookupUser(name: string): number | undefined;
  /**
   * getpwuid(uid)->pw_name, for display only (`--dry-run`, `--json`, the picker), as a byte string (one latin1
   * char per byte of /etc/passwd); optional in fakes.
   */
  userName?(uid: number): string | undefined;
  /** A timer for waiting. */
  sleep(ms: number): Promise<void>;
  /**
   * unshare(CLONE_FILES): gives the calling thread an fd table of its own, so that holding thousands of pins stays
   * cheap (growing a table that other threads share waits for an RCU grace period, 10-25 ms per doubling). Fds the
   * thread opens afterwards are invisible to Node's other threads, so only a process that runs nothing but killall
   * may do this: the CLI's system has it, {@link realSystem} does not (nor does `--explain`'s), and a run without it
   * sends as it scans. 0, or the errno code.
   */
  unshareFiles?(): PidfdResult;
  /**
   * sched_getscheduler(0), and when that is SCHED_OTHER, sched_setscheduler(0, SCHED_FIFO, [1]): 0 when raised, the
   * errno code when refused, null when not tried (another policy). For a loop of signal sends and closes, nothing
   * that blocks: each signal wakes a process that would otherwise preempt the sender. CLI only.
   */
  raisePriority?(): PidfdResult | null;
  /** sched_setscheduler(0, SCHED_OTHER, [0]) after a raise: 0 or the errno code. */
  restorePriority?(): PidfdResult;
}

type SyscallFn = (nr: number, ...args: unknown[]) => number | bigint;
interface Ffi {
  /** pidfd_send_signal(fd, sig, NULL, 0): the result, -1 with errno set on failure. */
  readonly pidfdSendSignal: (fd: number, signal: number) => number;
  /** open(2), read(2) or pread(2) into the start of a buffer, close(2): -1 with errno set on failure. */
  readonly open: (path: string, flags: number) => number;
  readonly read: (fd: number, buf: Uint8Array, length: number) => number;
  readonly pread: (fd: number, buf: Uint8Array, length: number, position: number) => number;
  readonly close: (fd: number) => number;
  readonly errno: () => number;
}

/** What only the CLI's system uses (see {@link cliSystem}). */
interface ProcessCalls {
  readonly unshare: (flags: number) => number;
  readonly getScheduler: (tid: number) => number;
  readonly setScheduler: (tid: number, policy: number, param: Int32Array) => number;
  readonly exit: (status: number) => void;
}

// x86_64, arm64, riscv and every other Linux port but alpha use the unified numbers.
const SYS_PIDFD_SEND_SIGNAL = 424;

let ffi: Ffi | null | undefined;
let libc: { func(decl: string): SyscallFn } | null = null;
let processCalls: ProcessCalls | null | undefined;
/** Set once the CLI's run took an fd table of its own: a mass signal, after which {@link exitNow} acts. */
let massRun = false;
/** False once a raise was refused (no CAP_SYS_NICE): {@link exitNow} then does not try its threads. */
let raiseAllowed = true;

interface Koffi {
  load(name: string): { func(decl: string): SyscallFn };
  errno(): number;
}

// x86_64 → x64 etc. are Node's names; the musl dynamic loader's name uses the kernel's.
const MUSL_LOADER: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  arm: 'arm',
  ia32: 'i386',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
  ppc64: 'powerpc64le',
};

/**
 * koffi's entry module spends most of its 6-8 ms load deciding between its glibc and musl builds (it reads the ELF
 * header of the node binary); the native module itself loads in about 1.5 ms. On a system without a musl loader,
 * load koffi's glibc build directly from where npm installs koffi's platform package (beside koffi, or in its own
 * node_modules); anything unexpected falls back to `require('koffi')`.
 */
function loadKoffi(): Koffi {
  const { platform, arch } = process;
  try {
    const musl = MUSL_LOADER[arch];
    if (platform === 'linux' && musl && !fs.existsSync(`/lib/ld-musl-${musl}.so.1`)) {
      const entry = lazyRequire.resolve('koffi');
      const root = entry.slice(0, entry.lastIndexOf('/'));
      const sub = `@koromix/koffi-${platform}-${arch}/${platform}_${arch}/koffi.node`;
      for (const path of [`${root}/../${sub}`, `${root}/node_modules/${sub}`]) {
        if (!fs.existsSync(path)) continue;
        const k = lazyRequire(path) as Partial<Koffi>;
        if (typeof k.load === 'function' && typeof k.errno === 'function') return k as Koffi;
      }
    }
  } catch {
    // the fallback below
  }
  return lazyRequire('koffi') as Koffi;
}

// koffi is an optional dependency, loaded on the first send only. glibc 2.36+ has a pidfd_send_signal() wrapper:
// a fixed prototype, which koffi calls about twice as fast as the variadic syscall(); older C libraries get
// syscall(2).
function loadFfi(): Ffi | null {
  if (ffi !== undefined) return ffi;
  ffi = null;
  if (process.env.KILLALL_TS_NO_PIDFD) return ffi;
  try {
    const koffi = loadKoffi();
    const c = koffi.load('libc.so.6');
    libc = c;
    let send: Ffi['pidfdSendSignal'];
    try {
      const f = c.func('int pidfd_send_signal(int, int, void *, unsigned int)');
      send = (fd, signal) => Number(f(fd, signal, null, 0));
    } catch {
      const f = c.func('long syscall(long, ...)');
      send = (fd, signal) =>
        Number(f(SYS_PIDFD_SEND_SIGNAL, 'int', fd, 'int', signal, 'void *', null, 'unsigned int', 0));
    }
    const open = c.func('int open(const char *, int)') as unknown as Ffi['open'];
    const read = c.func('long read(int, void *, unsigned long)');
    const pread = c.func('long pread(int, void *, unsigned long, long)');
    const close = c.func('int close(int)') as unknown as Ffi['close'];
    ffi = {
      pidfdSendSignal: send,
      open,
      read: (fd, buf, length) => Number(read(fd, buf, length)),
      pread: (fd, buf, length, position) => Number(pread(fd, buf, length, position)),
      close,
      errno: () => koffi.errno(),
    };
  } catch {
    ffi = null;
  }
  return ffi;
}

// Once koffi is loaded (at the first signal), the per-match calls (the pin, the stat re-read, the close) and the
// rest of the scan go through it: a koffi call costs about a microsecond less than its node:fs counterpart, whose
// argument checks and error objects we do not need. Failures become the same errors node:fs throws (code, errno).
const O_CLOEXEC = 0o2000000;
const { O_RDONLY, O_DIRECTORY } = fs.constants;

function fail(f: Ffi, syscall: string, path?: string): never {
  const errno = f.errno();
  const code = errnoCode(errno);
  throw Object.assign(new Error(`${code}: ${syscall}${path === undefined ? '' : ` '${path}'`}`), {
    code,
    errno: -errno,
    syscall,
    ...(path === undefined ? {} : { path }),
  });
}

/** The real Linux system. */
export const realSystem: System = {
  pid: process.pid,
  readdir: (path) => fs.readdirSync(path),
  open: (path, directory = false) => {
    const flags = directory ? O_RDONLY | O_DIRECTORY : O_RDONLY;
    // A directory open is a pin, and a signal follows: load koffi now, and the rest of the scan goes through it.
    const f = directory && ffi === undefined ? loadFfi() : ffi;
    if (f && typeof path === 'string') {
      const fd = f.open(path, flags | O_CLOEXEC);
      return fd >= 0 ? fd : fail(f, 'open', path);
    }
    return fs.openSync(path, flags);
  },
  read: (fd, buf, offset, length, position = null) => {
    const f = ffi;
    if (f && offset === 0) {
      const size = Math.min(length, buf.byteLength);
      const n = position === null ? f.read(fd, buf, size) : f.pread(fd, buf, size, position);
      return n >= 0 ? n : fail(f, 'read');
    }
    return fs.readSync(fd, buf, offset, length, position);
  },
  close: (fd) => {
    const f = ffi;
    if (f) {
      if (f.close(fd) !== 0) fail(f, 'close');
      return;
    }
    fs.closeSync(fd);
  },
  stat: (path) => {
    const st = fs.statSync(path, { bigint: true });
    return { dev: st.dev, ino: st.ino };
  },
  readlink: (path) => fs.readlinkSync(path, { encoding: 'buffer' }),
  kill: (pid, signal) => {
    process.kill(pid, signal);
  },
  pidfdSendSignal: (fd, signal) => {
    const f = loadFfi();
    if (!f) return 'ENOSYS';
    const r = f.pidfdSendSignal(fd, signal);
    // Read errno at once: any other call in between may clobber it.
    return r === 0 ? 0 : errnoCode(f.errno());
  },
  pidfdAvailable: () => loadFfi() !== null,
  lookupUser: (name) => readPasswdName(name),
  userName: (uid) => readPasswdUid(uid),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const CLONE_FILES = 0x400;
const SCHED_OTHER = 0;
const SCHED_FIFO = 1;

function loadProcessCalls(): ProcessCalls | null {
  if (processCalls !== undefined) return processCalls;
  processCalls = null;
  const c = loadFfi() === null ? null : libc;
  if (c === null) return null;
  try {
    processCalls = {
      unshare: c.func('int unshare(int)') as unknown as ProcessCalls['unshare'],
      getScheduler: c.func('int sched_getscheduler(int)') as unknown as ProcessCalls['getScheduler'],
      setScheduler: c.func(
        'int sched_setscheduler(int, int, int *)',
      ) as unknown as ProcessCalls['setScheduler'],
      exit: c.func('void _exit(int)') as unknown as ProcessCalls['exit'],
    };
  } catch {
    processCalls = null;
  }
  return processCalls;
}

/**
 * Ends the CLI's process at once with `status`, once its output is written (every write is synchronous): its
 * threads are raised to SCHED_FIFO first and the process calls _exit(2), skipping Node's own clean-up. After a mass
 * signal, thousands of exiting victims fill the run queues, and a Node process cannot end before each of its ~7
 * threads has been scheduled again (to join, then to die): behind the victims, that took up to 100 ms
 * (bench/README.md). Only after a mass signal (the run took an fd table of its own, {@link System.unshareFiles});
 * otherwise Node exits as usual.
 */
export function exitNow(status: number): void {
  if (!massRun || !ffi) return;
  const p = loadProcessCalls();
  if (!p) return;
  try {
    const param = new Int32Array([1]);
    if (raiseAllowed)
      for (const tid of fs.readdirSync('/proc/self/task')) p.setScheduler(Number(tid), SCHED_FIFO, param);
  } catch {
    // /proc/self/task unreadable: exit all the same.
  }
  p.exit(status);
}

/**
 * The system the CLI runs on: {@link realSystem} plus what only a process that runs nothing but killall may do
 * ({@link System.unshareFiles}, {@link System.raisePriority}).
 */
export const cliSystem: System = {
  ...realSystem,
  unshareFiles: () => {
    const p = loadProcessCalls();
    if (!p) return 'ENOSYS';
    if (p.unshare(CLONE_FILES) !== 0) return errnoCode(ffi!.errno());
    massRun = true;
    return 0;
  },
  raisePriority: () => {
    const p = loadProcessCalls();
    if (!p || p.getScheduler(0) !== SCHED_OTHER) return null;
    const raised = p.setScheduler(0, SCHED_FIFO, new Int32Array([1])) === 0 ? 0 : errnoCode(ffi!.errno());
    raiseAllowed = raised === 0;
    return raised;
  },
  restorePriority: () => {
    const p = loadProcessCalls();
    if (!p) return 'ENOSYS';
    return p.setScheduler(0, SCHED_OTHER, new Int32Array([0])) === 0 ? 0 : errnoCode(ffi!.errno());
  },
};
