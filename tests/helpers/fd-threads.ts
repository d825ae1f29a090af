/**
 * The fd-table invariant of a mass signal, read from `strace -f -y` output (lines joined by joinStrace): after the
 * main thread's unshare(CLONE_FILES), no other thread may use an fd the main thread opened since (it does not exist
 * in their table, or is another file there), and the main thread may not use one another thread opened since. Any
 * EBADF in another thread after the unshare counts too.
 */

/** The argument positions that hold an fd, per syscall (a dirfd of `*at` calls included; AT_FDCWD is no number). */
const FD_ARGS: Readonly<Record<string, readonly number[]>> = {
  ...Object.fromEntries(
    [
      'read',
      'write',
      'pread64',
      'pwrite64',
      'readv',
      'writev',
      'preadv',
      'pwritev',
      'preadv2',
      'pwritev2',
      'close',
      'fstat',
      'newfstatat',
      'statx',
      'lseek',
      'ioctl',
      'fcntl',
      'getdents64',
      'fsync',
      'fdatasync',
      'ftruncate',
      'openat',
      'openat2',
      'readlinkat',
      'faccessat',
      'faccessat2',
      'mkdirat',
      'unlinkat',
      'fchmod',
      'fchown',
      'fchmodat',
      'fchownat',
      'flock',
      'dup',
      'dup2',
      'dup3',
      'epoll_wait',
      'epoll_pwait',
      'epoll_pwait2',
      'pidfd_send_signal',
      'pidfd_getfd',
      'sendto',
      'recvfrom',
      'sendmsg',
      'recvmsg',
      'connect',
      'bind',
      'listen',
      'accept',
      'accept4',
      'shutdown',
      'getsockopt',
      'setsockopt',
      'getsockname',
      'getpeername',
      'io_uring_enter',
      'io_uring_register',
      'fadvise64',
      'fallocate',
      'timerfd_settime',
      'timerfd_gettime',
      'inotify_add_watch',
      'fgetxattr',
      'flistxattr',
      'fstatfs',
      'syncfs',
      'utimensat',
    ].map((c) => [c, [0]]),
  ),
  epoll_ctl: [0, 2],
  mmap: [4],
  splice: [0, 2],
  copy_file_range: [0, 2],
  tee: [0, 1],
  sendfile: [0, 1],
};

/** Calls whose result is a new fd (pipe2 and socketpair put theirs in an array: `[N, M]`). */
const NEW_FD = new Set([
  'open',
  'openat',
  'openat2',
  'dup',
  'dup2',
  'dup3',
  'pidfd_open',
  'socket',
  'accept',
  'accept4',
  'eventfd2',
  'epoll_create1',
  'memfd_create',
  'timerfd_create',
  'signalfd4',
  'inotify_init1',
  'io_uring_setup',
  'pidfd_getfd',
]);

/** The top-level arguments of a call's text, split at commas outside quotes, brackets and braces. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      cur += ch;
      if (ch === '\\') cur += text[++i] ?? '';
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if ('[{(<'.includes(ch)) depth++;
    else if (']})>'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

interface Call {
  readonly tid: number;
  readonly name: string;
  readonly args: string[];
  readonly result: string;
}

/** One joined strace line as a call, or null (signals, exits, anything else). */
export function parseCall(line: string): Call | null {
  const m = /^(\d+) +(\w+)\((.*)\) += (.*)$/.exec(line);
  if (!m) return null;
  return { tid: Number(m[1]), name: m[2]!, args: splitArgs(m[3]!), result: m[4]! };
}

/** The fds a call uses. */
function fdsUsed(c: Call): number[] {
  if (c.name === 'poll' || c.name === 'ppoll')
    return [...(c.args[0] ?? '').matchAll(/fd=(\d+)/g)].map((x) => Number(x[1]));
  if (c.name === 'fcntl' && /F_DUPFD/.test(c.args[1] ?? '')) return [Number.parseInt(c.args[0] ?? '', 10)];
  return (FD_ARGS[c.name] ?? []).map((i) => Number.parseInt(c.args[i] ?? '', 10)).filter((n) => n >= 0);
}

/** The fds a call created (from its result). */
function fdsMade(c: Call): number[] {
  if (/^-1 /.test(c.result)) return [];
  if (c.name === 'pipe2' || c.name === 'socketpair')
    return [...(c.args.at(c.name === 'pipe2' ? 0 : -1) ?? '').matchAll(/(\d+)/g)].map((x) => Number(x[1]));
  if (NEW_FD.has(c.name) || (c.name === 'fcntl' && /F_DUPFD/.test(c.args[1] ?? '')))
    return [Number.parseInt(c.result, 10)];
  return [];
}

/** What the check found: the main thread, whether it unshared, and every crossing (one line each). */
export interface FdTableReport {
  readonly mainTid: number | null;
  readonly violations: readonly string[];
}

/**
 * Checks the invariant over joined strace lines. The main thread is the one whose unshare(CLONE_FILES) succeeded;
 * without one there is nothing to check (mainTid null).
 */
export function fdTableViolations(lines: readonly string[]): FdTableReport {
  const start = lines.findIndex((l) => /^\d+ +unshare\(CLONE_FILES\) += 0$/.test(l));
  if (start < 0) return { mainTid: null, violations: [] };
  const mainTid = Number(/^(\d+)/.exec(lines[start]!)![1]);
  // Fds made since the unshare, by the main thread and by the others (a number may be both: two tables).
  const byMain = new Set<number>();
  const byOthers = new Set<number>();
  const violations: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const c = parseCall(line);
    if (!c) continue;
    const main = c.tid === mainTid;
    const mine = main ? byMain : byOthers;
    const theirs = main ? byOthers : byMain;
    for (const fd of fdsUsed(c)) if (theirs.has(fd) && !mine.has(fd)) violations.push(line);
    if (!main && /^-1 EBADF/.test(c.result)) violations.push(line);
    if (c.name === 'close' && /^0/.test(c.result)) mine.delete(Number.parseInt(c.args[0] ?? '', 10));
    for (const fd of fdsMade(c)) mine.add(fd);
  }
  return { mainTid, violations: [...new Set(violations)] };
}
