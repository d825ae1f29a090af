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
  /** read(2) into `buf[offset, offset+length)`; returns the byte count. */
  read(fd: number, buf: Uint8Array, offset: number, length: number): number;
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
  /** getpwnam(name)->pw_uid through NSS, or undefined for no such user. */
  lookupUser(name: string): number | undefined;
  /** getpwuid(uid)->pw_name, for display only (`--dry-run`, `--json`); optional in fakes. */
  userName?(uid: number): string | undefined;
  /** A timer for waiting. */
  sleep(ms: number): Promise<void>;
}

type SyscallFn = (nr: number, ...args: unknown[]) => number | bigint;
interface Ffi {
  readonly syscall: SyscallFn;
  readonly errno: () => number;
}

// x86_64, arm64, riscv and every other Linux port but alpha use the unified numbers.
const SYS_PIDFD_SEND_SIGNAL = 424;

let ffi: Ffi | null | undefined;

// koffi is an optional dependency, loaded on the first send only.
function loadFfi(): Ffi | null {
  if (ffi !== undefined) return ffi;
  ffi = null;
  if (process.env.KILLALL_TS_NO_PIDFD) return ffi;
  try {
    const koffi = lazyRequire('koffi') as {
      load(name: string): { func(decl: string): SyscallFn };
      errno(): number;
    };
    const libc = koffi.load('libc.so.6');
    ffi = { syscall: libc.func('long syscall(long, ...)'), errno: () => koffi.errno() };
  } catch {
    ffi = null;
  }
  return ffi;
}

/** The real Linux system. */
export const realSystem: System = {
  pid: process.pid,
  readdir: (path) => fs.readdirSync(path),
  open: (path, directory = false) =>
    fs.openSync(path, directory ? fs.constants.O_RDONLY | fs.constants.O_DIRECTORY : fs.constants.O_RDONLY),
  read: (fd, buf, offset, length) => fs.readSync(fd, buf, offset, length, null),
  close: (fd) => fs.closeSync(fd),
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
    const r = Number(
      f.syscall(SYS_PIDFD_SEND_SIGNAL, 'int', fd, 'int', signal, 'void *', null, 'unsigned int', 0),
    );
    // Read errno at once: any other call in between may clobber it.
    return r === 0 ? 0 : errnoCode(f.errno());
  },
  lookupUser: (name) => readPasswdName(name),
  userName: (uid) => readPasswdUid(uid),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
