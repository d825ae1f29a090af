/**
 * The `System` decorator behind `--explain`: every call is forwarded to the real System and recorded as the line
 * strace would print for it. Installed only when explain is asked for, so a plain run pays nothing.
 */
import type { PidfdResult, System } from '../system.js';
import { codeOf } from '../text/strerror.js';
import {
  ADDR,
  GETDENTS_BUFFER,
  getdentsCalls,
  OPENDIR_FLAGS,
  openFlags,
  quote,
  quotePath,
  result,
  signalName,
} from './strace.js';

/** The system calls the narration shows. */
export type SyscallName =
  | 'openat'
  | 'read'
  | 'pread64'
  | 'close'
  | 'statx'
  | 'readlink'
  | 'kill'
  | 'pidfd_send_signal'
  | 'getdents64'
  | 'write'
  | 'exit_group';

/** One system call as strace would show it, with what explain needs to reason about it. */
export interface SyscallRecord {
  readonly name: SyscallName;
  /** The strace line (`openat(AT_FDCWD, "/proc/812/stat", O_RDONLY|O_CLOEXEC) = 3`). */
  readonly line: string;
  /** The return value, or the errno code when the call failed. */
  readonly result: number | string;
  /**
   * Not observed but written from what is known: the getdents64 calls inside Node's readdir (their fd, buffer
   * address and split) and the final exit_group. Left out of the strace cross-check.
   */
  readonly reconstructed: boolean;
  /** openat, statx, readlink: the path. */
  readonly path?: string;
  /** openat: a directory was opened (a pin). */
  readonly directory?: boolean;
  /** read, pread64, close, pidfd_send_signal, write: the fd. */
  readonly fd?: number;
  /** pread64: the file offset read from. */
  readonly position?: number;
  /** read, pread64: the bytes read (a copy); write: the bytes written; readlink: the link text. */
  readonly data?: Buffer;
  /** kill, pidfd_send_signal: the signal. */
  readonly signal?: number;
  /** kill: the pid argument (negative for a process group). */
  readonly target?: number;
  /** statx: what was learnt. */
  readonly dev?: bigint;
  readonly ino?: bigint;
}

/** Where the decorator reports. */
export interface TraceSink {
  call(record: SyscallRecord): void;
  /** A timer wait (Node's event loop: epoll_wait, not shown). */
  pause(ms: number): void;
  /** Something done outside the seam's syscalls (an NSS lookup), as a comment. */
  note(text: string): void;
}

const pathText = (p: string | Buffer): string => (typeof p === 'string' ? p : p.toString('latin1'));

/** Wraps `inner` so that every call is reported to `sink` after it returns (or throws), then passed on. */
export function traceSystem(inner: System, sink: TraceSink): System {
  const fail = (e: unknown): string => {
    const code = codeOf(e);
    if (code === undefined) throw e;
    return code;
  };
  const traced: System = {
    pid: inner.pid,
    readdir(path) {
      let names: string[];
      try {
        names = inner.readdir(path);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'openat',
          line: `openat(AT_FDCWD, ${quotePath(path)}, ${OPENDIR_FLAGS}) ${result(code)}`,
          result: code,
          reconstructed: true,
          path,
          directory: true,
        });
        throw e;
      }
      sink.call({
        name: 'openat',
        line: `openat(AT_FDCWD, ${quotePath(path)}, ${OPENDIR_FLAGS}) = FD`,
        result: 0,
        reconstructed: true,
        path,
        directory: true,
      });
      for (const c of getdentsCalls(['.', '..', ...names])) {
        sink.call({
          name: 'getdents64',
          line: `getdents64(FD, ${ADDR} /* ${c.entries} entries */, ${GETDENTS_BUFFER}) = ${c.bytes}`,
          result: c.bytes,
          reconstructed: true,
          path,
        });
      }
      sink.call({ name: 'close', line: 'close(FD) = 0', result: 0, reconstructed: true, path });
      return names;
    },
    open(path, directory = false) {
      const p = pathText(path);
      const head = `openat(AT_FDCWD, ${quotePath(path)}, ${openFlags(directory)})`;
      let fd: number;
      try {
        fd = inner.open(path, directory);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'openat',
          line: `${head} ${result(code)}`,
          result: code,
          reconstructed: false,
          path: p,
          directory,
        });
        throw e;
      }
      sink.call({
        name: 'openat',
        line: `${head} = ${fd}`,
        result: fd,
        reconstructed: false,
        path: p,
        directory,
        fd,
      });
      return fd;
    },
    read(fd, buf, offset, length, position = null) {
      // With a position it is pread64(2) (the scan's stat fd read again after pinning), else read(2).
      const pread = position !== null;
      const name = pread ? 'pread64' : 'read';
      const tail = pread ? `, ${length}, ${position})` : `, ${length})`;
      let n: number;
      try {
        n = pread ? inner.read(fd, buf, offset, length, position) : inner.read(fd, buf, offset, length);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name,
          line: `${name}(${fd}, ${ADDR}${tail} ${result(code)}`,
          result: code,
          reconstructed: false,
          fd,
          ...(pread ? { position } : {}),
        });
        throw e;
      }
      const data = Buffer.from(buf.subarray(offset, offset + n));
      sink.call({
        name,
        line: `${name}(${fd}, ${quote(data)}${tail} = ${n}`,
        result: n,
        reconstructed: false,
        fd,
        data,
        ...(pread ? { position } : {}),
      });
      return n;
    },
    close(fd) {
      try {
        inner.close(fd);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'close',
          line: `close(${fd}) ${result(code)}`,
          result: code,
          reconstructed: false,
          fd,
        });
        throw e;
      }
      sink.call({ name: 'close', line: `close(${fd}) = 0`, result: 0, reconstructed: false, fd });
    },
    stat(path) {
      const p = pathText(path);
      const head = `statx(AT_FDCWD, ${quotePath(path)}, AT_STATX_SYNC_AS_STAT, STATX_ALL`;
      let st: { readonly dev: bigint; readonly ino: bigint };
      try {
        st = inner.stat(path);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'statx',
          line: `${head}, ${ADDR}) ${result(code)}`,
          result: code,
          reconstructed: false,
          path: p,
        });
        throw e;
      }
      sink.call({
        name: 'statx',
        line: `${head}, {stx_ino=${st.ino}, stx_dev=${st.dev}, ...}) = 0`,
        result: 0,
        reconstructed: false,
        path: p,
        dev: st.dev,
        ino: st.ino,
      });
      return st;
    },
    readlink(path) {
      const p = pathText(path);
      let link: Buffer;
      try {
        link = inner.readlink(path);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'readlink',
          line: `readlink(${quotePath(path)}, ${ADDR}, 4096) ${result(code)}`,
          result: code,
          reconstructed: false,
          path: p,
        });
        throw e;
      }
      sink.call({
        name: 'readlink',
        line: `readlink(${quotePath(path)}, ${quote(link)}, 4096) = ${link.length}`,
        result: link.length,
        reconstructed: false,
        path: p,
        data: Buffer.from(link),
      });
      return link;
    },
    kill(pid, signal) {
      const head = `kill(${pid}, ${signalName(signal)})`;
      try {
        inner.kill(pid, signal);
      } catch (e) {
        const code = fail(e);
        sink.call({
          name: 'kill',
          line: `${head} ${result(code)}`,
          result: code,
          reconstructed: false,
          target: pid,
          signal,
        });
        throw e;
      }
      sink.call({ name: 'kill', line: `${head} = 0`, result: 0, reconstructed: false, target: pid, signal });
    },
    pidfdSendSignal(fd, signal): PidfdResult {
      const r = inner.pidfdSendSignal(fd, signal);
      sink.call({
        name: 'pidfd_send_signal',
        line: `pidfd_send_signal(${fd}, ${signalName(signal)}, NULL, 0) ${result(r)}`,
        result: r,
        reconstructed: false,
        fd,
        signal,
      });
      return r;
    },
    lookupUser(name) {
      const uid = inner.lookupUser(name);
      sink.note(
        `getpwnam(${quotePath(name)}) gives ${uid === undefined ? 'no such user' : `uid ${uid}`} (/etc/passwd or NSS: not shown)`,
      );
      return uid;
    },
    sleep(ms) {
      sink.pause(ms);
      return inner.sleep(ms);
    },
  };
  const extra: Partial<System> = {};
  if (inner.userName) extra.userName = inner.userName.bind(inner);
  if (inner.pidfdAvailable) {
    const available = inner.pidfdAvailable.bind(inner);
    extra.pidfdAvailable = () => {
      const ok = available();
      if (!ok)
        sink.note(
          'pidfd_send_signal cannot be called here (no FFI, or KILLALL_TS_NO_PIDFD set): no probe; each signal is kill(2) right after the start time is read again through the pin',
        );
      return ok;
    };
  }
  return { ...traced, ...extra };
}
