/**
 * A small reader of `strace -f -o FILE` output for the --explain cross-check: joins `<unfinished ...>` and
 * `<... NAME resumed>` halves per thread, keeps the main thread's calls from the run's first `readlink("/proc/self")`
 * on, and compares them with the calls that --explain reported. (Written for this suite; it does not depend on
 * tests/integration/strace.test.ts.)
 */

export interface Trace {
  /** The thread (the process's main thread) that made the run's calls. */
  readonly main: number;
  /** Its calls, joined, from the first readlink("/proc/self") on, without the PID prefix. */
  readonly calls: readonly string[];
  /** `+++ exited with N +++` of the main thread. */
  readonly exitStatus: number | undefined;
}

/** Joins split lines and picks the main thread's calls. */
export function parseStrace(text: string): Trace {
  const pending = new Map<number, string>();
  const joined: { pid: number; line: string }[] = [];
  for (const raw of text.split('\n')) {
    const m = /^(\d+) +(.*)$/.exec(raw);
    if (!m) continue;
    const pid = Number(m[1]);
    let line = m[2]!;
    const unfinished = / <unfinished \.\.\.>$/.exec(line);
    if (unfinished) {
      pending.set(pid, line.slice(0, unfinished.index));
      continue;
    }
    const resumed = /^<\.\.\. [\w]+ resumed>(.*)$/.exec(line);
    if (resumed) {
      line = (pending.get(pid) ?? '') + resumed[1]!;
      pending.delete(pid);
    }
    joined.push({ pid, line });
  }
  const start = joined.findIndex((j) => j.line.startsWith('readlink("/proc/self", '));
  if (start < 0) return { main: 0, calls: [], exitStatus: undefined };
  const main = joined[start]!.pid;
  const mine = joined.slice(start).filter((j) => j.pid === main);
  const exit = mine.map((j) => /^\+\+\+ exited with (\d+) \+\+\+$/.exec(j.line)).find((x) => x);
  return {
    main,
    calls: mine.map((j) => j.line).filter((l) => !l.startsWith('+++') && !l.startsWith('---')),
    exitStatus: exit ? Number(exit[1]) : undefined,
  };
}

const CALL = /^(openat|read|pread64|close|statx|readlink|kill|pidfd_send_signal|write|getdents64)\((.*)$/;
const NARRATION =
  /^(# |\+\+\+ |exit_group\(|(openat|read|pread64|close|statx|readlink|kill|pidfd_send_signal|write|getdents64)\()/;

/** One call in a comparable form: one space before `=`, addresses as 0xADDR, statx without its struct. */
export function canonical(line: string): string {
  let l = line.replace(/\)\s+= /, ') = ').replace(/0x[0-9a-f]+/g, '0xADDR');
  const st = /^statx\((AT_FDCWD, "[^"]*", [A-Z_|]+, [A-Z_|]+), (?:\{.*\}|0xADDR)\) = (.*)$/.exec(l);
  if (st) l = `statx(${st[1]}) = ${st[2]}`;
  return l;
}

/** The bytes of a C-quoted strace string (`"a\nb\0"` without the quotes). */
export function unquote(s: string): string {
  return s.replace(/\\(x[0-9a-f]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

export interface CrossCheck {
  /** Calls --explain reported that strace did not show (in order). */
  readonly missing: string[];
  /** Calls strace showed (of the kinds compared) that --explain did not report. */
  readonly unreported: string[];
  readonly compared: number;
  /** The getdents64 bytes on /proc: reconstructed by --explain, and real. */
  readonly getdentsBytes: { readonly explain: number; readonly strace: number };
}

/**
 * Compares the calls --explain reported on stderr with the trace: /proc opens (and the reads, preads and closes of what
 * they opened), statx and readlink of /proc paths, kill, pidfd_send_signal, and writes to fd 1 and 2 other than
 * the narration's own. Reconstructed lines (`FD`, getdents64, exit_group) are left out.
 */
export function crossCheck(stderr: string, trace: Trace): CrossCheck {
  const reported: string[] = [];
  let explainBytes = 0;
  for (const l of stderr.split('\n')) {
    if (!CALL.test(l)) continue;
    if (l.startsWith('getdents64(')) {
      explainBytes += Number(/= (\d+)$/.exec(l)?.[1] ?? 0);
      continue;
    }
    if (/= FD$/.test(l) || l.startsWith('close(FD)')) continue;
    reported.push(canonical(l));
  }
  const seen: string[] = [];
  const procFds = new Set<number>();
  let dirFd = -1;
  let straceBytes = 0;
  for (const raw of trace.calls) {
    const l = canonical(raw);
    const m = CALL.exec(l);
    if (!m) continue;
    const name = m[1]!;
    const args = m[2]!;
    const fd = Number(/^(-?\d+)/.exec(args)?.[1]);
    const ret = /\) = (-?\d+)/.exec(l);
    if (name === 'openat') {
      const path = /^AT_FDCWD, "([^"]*)"/.exec(args)?.[1] ?? '';
      if (!path.startsWith('/proc')) continue;
      if (path === '/proc' && args.includes('O_NONBLOCK')) {
        dirFd = ret ? Number(ret[1]) : -1;
        continue;
      }
      if (ret && Number(ret[1]) >= 0) procFds.add(Number(ret[1]));
      seen.push(l);
    } else if (name === 'getdents64') {
      if (fd === dirFd && ret) straceBytes += Number(ret[1]);
    } else if (name === 'read' || name === 'pread64') {
      if (procFds.has(fd)) seen.push(l);
    } else if (name === 'close') {
      if (fd === dirFd) dirFd = -1;
      else if (procFds.delete(fd)) seen.push(l);
    } else if (name === 'statx' || name === 'readlink') {
      if (/^(AT_FDCWD, )?"\/proc/.test(args)) seen.push(l);
    } else if (name === 'write') {
      if (fd !== 1 && fd !== 2) continue;
      const text = unquote(/^\d+, "((?:[^"\\]|\\.)*)"/.exec(args)?.[1] ?? '');
      if (fd === 2 && NARRATION.test(text)) continue;
      seen.push(l);
    } else seen.push(l);
  }
  // Both in order: walk the trace once, matching each reported call.
  const missing: string[] = [];
  const unreported: string[] = [];
  let j = 0;
  for (const r of reported) {
    const k = seen.indexOf(r, j);
    if (k < 0) {
      missing.push(r);
      continue;
    }
    unreported.push(...seen.slice(j, k));
    j = k + 1;
  }
  unreported.push(...seen.slice(j));
  return {
    missing,
    unreported,
    compared: reported.length,
    getdentsBytes: { explain: explainBytes, strace: straceBytes },
  };
}
