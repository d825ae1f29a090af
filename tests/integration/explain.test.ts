/**
 * `--explain` on live processes inside a private PID namespace (tests/helpers/explain-runner.ts): its output line
 * by line for a no-match, a match, a long-name match, an `-e` skip, a script near miss and an EPERM case; and the
 * cross-check against real `strace -f` of the same run: every /proc open, read and close, every signal call and the
 * final write that --explain reports are the ones strace saw, in the same order, with the same arguments and
 * return values.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { quote } from '../../src/explain/strace.js';
import type { ExplainPayload, ExplainRun } from '../helpers/explain-runner.js';
import { nobodyKit, nobodySkip, OURS, runInNamespace } from '../helpers/ns.js';
import { crossCheck, parseStrace } from '../helpers/strace-join.js';

// How killall-ts's own status starts, as strace quotes it: its Name is the main thread's comm, the same as this test
// process's (Node 24 and later name the main thread "MainThread"; earlier ones leave "node").
const SELF_STATUS = quote(
  Buffer.from(
    `Name:\t${readFileSync('/proc/self/comm', 'latin1').trimEnd()}\nUmask:\t0022\nState:\tR (running)\n`,
  ),
);

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const BIN = '/run/kts-explain/bin';

// Two commands run as nobody: every command runs the copies that nobody can reach (the checkout may be in a 0700
// folder). The kit is made in before(), so a skipped suite makes none.
const base: Omit<ExplainPayload, 'killall'> = {
  victims: [
    { label: 'long', exe: 'xplongvictimname1' },
    { label: 'cased', exe: 'xpsleepyvictim' },
    { label: 'job', exe: 'xpjob.sh', script: true },
    { label: 'cut', exe: 'xpcutlongvictim2', argv0: 'other' },
    { label: 'plain', exe: 'xpplainvictim' },
    { label: 'traced', exe: 'xptracedvictim' },
  ],
  commands: [
    { args: ['--explain', 'xpnosuchthing'] },
    { args: ['--explain', '-e', 'xpcutlongvictim2'] },
    { args: ['--explain', 'xpjob.sh'] },
    { args: ['--explain', 'xpsleepyvictim'], nobody: true },
    { args: ['--explain', 'xpplainvictim'] },
    { args: ['--explain', 'xplongvictimname1'] },
    { args: ['--explain=all', 'xptracedvictim', 'xpjob.sh'], strace: true },
    { args: ['--explain=all', 'xpsleepyvictim'], nobody: true, strace: true },
    { args: ['--explain', '--dry-run', '--json', 'xpsleepyvictim'] },
    { args: ['--explain', 'xpjob.sh', 'xpnosuchthing'], strace: true },
    // Last: it kills xpsleepyvictim, which the commands before need alive.
    { args: ['--explain=all', 'xpsleepyvictim'], strace: true, env: { KILLALL_TS_NO_PIDFD: '1' } },
  ],
};

let pids: Record<string, number> = {};
let runs: ExplainRun[] = [];

/**
 * What varies between runs and says nothing: fd numbers (relative to the lowest one the run used: `fd+0`, `fd+1`),
 * start times, and the byte counts of reads whose text is cut at 32 bytes (stat and status grow with their
 * numbers). Everything else is compared as printed.
 */
export function normalise(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const fds = lines.flatMap((l) => {
    const m = /^openat\(.*\) = (\d+)$/.exec(l);
    return m ? [Number(m[1])] : [];
  });
  const base = fds.length > 0 ? Math.min(...fds) : 0;
  const fd = (n: string): string => `fd+${Number(n) - base}`;
  return lines.map((l) =>
    l
      .replace(/^(openat\(.*\) = )(\d+)$/, (_, a: string, n: string) => a + fd(n))
      .replace(/^(read|pread64|close|pidfd_send_signal)\((\d+)/, (_, a: string, n: string) => `${a}(${fd(n)}`)
      .replace(/\/proc\/self\/fd\/(\d+)\//g, (_, n: string) => `/proc/self/fd/${fd(n)}/`)
      .replace(/fd (\d+) holds/, (_, n: string) => `fd ${fd(n)} holds`)
      .replace(/start time \d+/, 'start time T')
      .replace(/^(read\(.*"\.\.\., \d+\) = )\d+$/, '$1N')
      .replace(/^(pread64\(.*"\.\.\., \d+, \d+\) = )\d+$/, '$1N'),
  );
}

/** Compares line by line: a string must be equal, a RegExp must match the whole line. */
function expectLines(actual: string[], expected: (string | RegExp)[]): void {
  for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = e instanceof RegExp ? a !== undefined && e.test(a) : a === e;
    assert.ok(ok, `line ${i + 1}:\n  actual:   ${a}\n  expected: ${String(e)}\n\n${actual.join('\n')}`);
  }
}

const selfOf = (stderr: string): number => Number(/^readlink\("\/proc\/self", "(\d+)"/.exec(stderr)?.[1]);

/** The opening every run shares: /proc checked, the snapshot (reconstructed). */
function opening(self: number): (string | RegExp)[] {
  return [
    `readlink("/proc/self", "${self}", 4096) = ${String(self).length}`,
    `# /proc is mounted and is ours: /proc/self names our PID ${self}`,
    '# reconstructed: readdir("/proc") is scandir(3) inside Node; its fd (FD), buffer address and the split between getdents64 calls are not observed',
    'openat(AT_FDCWD, "/proc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = FD',
    /^getdents64\(FD, 0xADDR \/\* \d+ entries \*\/, 32768\) = \d+$/,
    'getdents64(FD, 0xADDR /* 0 entries */, 32768) = 0',
    'close(FD) = 0',
    '# that is the PID snapshot: each PID is read in ascending order, our own left out',
  ];
}

const SUMMARY =
  /^# \d+ other process(?:es)? neither matched nor nearly matched: \d+ syscalls \(openat \d+, read \d+, close \d+\), [\d.]+ per process( on average)?; --explain=all shows them$/;
/** The hint pass's opening line for `names` (as quoted in it), with any count of processes. */
const HINT_READS = (names: string): RegExp =>
  new RegExp(
    `^# --explain's own reads: ${names.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} got no process, so the cmdline and exe of the \\d+ processes that did not match are read, to find scripts and renamed programs$`,
  );
const HINT_SUMMARY =
  /^# \d+ of them are no near miss: \d+ syscalls \(openat \d+, read \d+, close \d+, readlink \d+\), 4 per process$/;

function ending(status: number): string[] {
  return [
    '# reconstructed: Node exits with this status after its own clean-up; not observed',
    `exit_group(${status}) = ?`,
    `+++ exited with ${status} +++`,
  ];
}

const stat = (pid: number, comm: string, fd = 0): RegExp =>
  new RegExp(`^read\\(fd\\+${fd}, "${pid} \\(${comm}\\) S 1 0 0 0 -[^"]*"\\.\\.\\., 4096\\) = N$`);
/** The scan's stat fd of a match, read again from offset 0 after pinning. */
const restat = (pid: number, comm: string, fd = 0): RegExp =>
  new RegExp(`^pread64\\(fd\\+${fd}, "${pid} \\(${comm}\\) S 1 0 0 0 -[^"]*"\\.\\.\\., 4096, 0\\) = N$`);
const HELD =
  'that fd fails with ESRCH once its instance is gone, even on a reused PID, so the pin holds the instance the scan read';
const CONFIRMED = `# start time T and comm read again after pinning, through the stat fd the scan opened (pread64): unchanged; ${HELD}`;

describe('--explain on live processes', { skip: nobodySkip(), concurrency: 1 }, () => {
  before(() => {
    const kit = nobodyKit();
    const payload: ExplainPayload = {
      ...base,
      killall: kit.killall,
      ...(kit.path ? { path: kit.path } : {}),
    };
    const r = runInNamespace('explain-runner.js', [JSON.stringify(payload)], 600_000);
    pids = r.pids as Record<string, number>;
    runs = r.results as ExplainRun[];
  });

  it('no match: the snapshot, a summary of every process, the hint pass, the write and the exit', () => {
    const r = runs[0]!;
    assert.equal(r.rc, 1);
    assert.equal(r.stdout, '');
    const self = selfOf(r.stderr);
    expectLines(normalise(r.stderr), [
      ...opening(self),
      SUMMARY,
      HINT_READS('"xpnosuchthing"'),
      HINT_SUMMARY,
      '# hint: "xpnosuchthing": no process has a comm, long name, cmdline argument or exe resembling it',
      'xpnosuchthing: no process found',
      'write(2, "xpnosuchthing: no process found\\n", 32) = 32',
      ...ending(1),
    ]);
  });

  it('-e skip: the cut comm, the cmdline without a long name, the -e rule, the near miss and its hint', () => {
    const r = runs[1]!;
    assert.equal(r.rc, 1);
    const self = selfOf(r.stderr);
    const cut = pids.cut!;
    const lines = normalise(r.stderr);
    expectLines(lines, [
      ...opening(self),
      `openat(AT_FDCWD, "/proc/${cut}/stat", O_RDONLY|O_CLOEXEC) = fd+0`,
      stat(cut, 'xpcutlongvictim'),
      '# comm "xpcutlongvictim" is 15 bytes: maybe cut by the kernel, so cmdline is read for the long name',
      // The scan keeps the stat fd open until its verdict (a candidate's is read again after pinning).
      `openat(AT_FDCWD, "/proc/${cut}/cmdline", O_RDONLY|O_CLOEXEC) = fd+1`,
      'read(fd+1, "other\\0001000\\0", 4096) = 11',
      'read(fd+1, "", 4085) = 0',
      'close(fd+1) = 0',
      '# no cmdline argument has a basename starting with comm: no long name',
      '# -e: comm may be cut and there is no long name: skipped before any NAME is compared',
      '# near miss for NAME "xpcutlongvictim2": comm "xpcutlongvictim" is NAME\'s first 15 bytes (the kernel cuts comm), but cmdline has no argument whose basename starts with it, and -e skips such a process (killall xpcutlongvictim2, without -e, would match)',
      'close(fd+0) = 0',
      SUMMARY,
      HINT_READS('"xpcutlongvictim2"'),
      `openat(AT_FDCWD, "/proc/${cut}/cmdline", O_RDONLY|O_CLOEXEC) = fd+0`,
      'read(fd+0, "other\\0001000\\0", 4096) = 11',
      'close(fd+0) = 0',
      `readlink("/proc/${cut}/exe", "${BIN}/xpcutlongvi"..., 4096) = ${BIN.length + 17}`,
      `# near miss for NAME "xpcutlongvictim2": its executable is "${BIN}/xpcutlongvictim2" but its comm is "xpcutlongvictim": a path NAME matches by the executable's inode (killall ${BIN}/xpcutlongvictim2 would match)`,
      HINT_SUMMARY,
      `# hint: "xpcutlongvictim2": ${cut} ("xpcutlongvictim") is a near miss (cut comm): killall xpcutlongvictim2, without -e, would match it`,
      'xpcutlongvictim2: no process found',
      'write(2, "xpcutlongvictim2: no process fou"..., 35) = 35',
      ...ending(1),
    ]);
  });

  it('a script near miss: comm is sh, the NAME is the basename of cmdline argument 1, pkill -f would match', () => {
    const r = runs[2]!;
    assert.equal(r.rc, 1);
    const self = selfOf(r.stderr);
    const job = pids.job!;
    const lines = normalise(r.stderr);
    // The scan part: every process summarised (sh is no near miss by its comm).
    const hint = HINT_READS('"xpjob.sh"');
    const at = lines.findIndex((l) => hint.test(l));
    assert.ok(at > 0, lines.join('\n'));
    expectLines(lines.slice(0, at), [...opening(self), SUMMARY]);
    const tail = lines.slice(at + 1);
    // Processes before the script's PID are summarised, so its lines are found by PID.
    const from = tail.indexOf(`openat(AT_FDCWD, "/proc/${job}/cmdline", O_RDONLY|O_CLOEXEC) = fd+0`);
    assert.ok(from >= 0, tail.join('\n'));
    expectLines(tail.slice(from), [
      `openat(AT_FDCWD, "/proc/${job}/cmdline", O_RDONLY|O_CLOEXEC) = fd+0`,
      `read(fd+0, "sh\\0${BIN}/xpjob.sh"..., 4096) = N`,
      'close(fd+0) = 0',
      `# near miss for NAME "xpjob.sh": comm is the interpreter "sh"; the NAME is the basename of cmdline argument 1 "${BIN}/xpjob.sh": a script, whose comm is its interpreter's unless it is started through its #! line (pkill -f xpjob.sh would match)`,
      /^readlink\("\/proc\/\d+\/exe", "\/usr\/bin\/dash", 4096\) = 13$|^readlink\("\/proc\/\d+\/exe", "[^"]*", 4096\) = \d+$/,
      HINT_SUMMARY,
      `# hint: "xpjob.sh": ${job} ("sh") is a near miss (script): pkill -f xpjob.sh would match it`,
      'xpjob.sh: no process found',
      'write(2, "xpjob.sh: no process found\\n", 27) = 27',
      ...ending(1),
    ]);
  });

  it('EPERM: it matches, is pinned and confirmed, the kernel refuses, and the hint names both users', () => {
    const r = runs[3]!;
    assert.equal(r.rc, 1);
    const self = selfOf(r.stderr);
    const v = pids.cased!;
    const lines = normalise(r.stderr);
    expectLines(lines, [
      ...opening(self),
      `openat(AT_FDCWD, "/proc/${v}/stat", O_RDONLY|O_CLOEXEC) = fd+0`,
      stat(v, 'xpsleepyvictim'),
      `# ${v} matches: comm "xpsleepyvictim" equals NAME "xpsleepyvictim"`,
      `openat(AT_FDCWD, "/proc/${v}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = fd+1`,
      `# pinned: fd fd+1 holds this process instance (/proc/${v}); the signal goes through it, so a reused PID cannot be hit`,
      restat(v, 'xpsleepyvictim'),
      'close(fd+0) = 0',
      CONFIRMED,
      `openat(AT_FDCWD, "/proc/${self}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = fd+0`,
      '# a pin of ourselves, to probe once whether pidfd_send_signal works here',
      'pidfd_send_signal(fd+0, 0, NULL, 0) = 0',
      '# pidfd_send_signal works: signals go through pins',
      'close(fd+0) = 0',
      'pidfd_send_signal(fd+1, SIGTERM, NULL, 0) = -1 EPERM (Operation not permitted)',
      `# the kernel refused SIGTERM to ${v}: EPERM, it belongs to another user; killall reports "Operation not permitted" for it, and it does not count as found`,
      `xpsleepyvictim(${v}): Operation not permitted`,
      `write(2, "${`xpsleepyvictim(${v}): Operation not permitted`.slice(0, 32)}"..., ${`xpsleepyvictim(${v}): Operation not permitted\n`.length}) = ${`xpsleepyvictim(${v}): Operation not permitted\n`.length}`,
      'close(fd+1) = 0',
      SUMMARY,
      HINT_READS('"xpsleepyvictim"'),
      HINT_SUMMARY,
      "# --explain's own reads: who owns what the kernel refused, and who we are",
      'openat(AT_FDCWD, "/proc/self/status", O_RDONLY|O_CLOEXEC) = fd+0',
      `read(fd+0, ${SELF_STATUS}, 4096) = N`,
      'close(fd+0) = 0',
      `openat(AT_FDCWD, "/proc/${v}/status", O_RDONLY|O_CLOEXEC) = fd+0`,
      'read(fd+0, "Name:\\txpsleepyvictim\\nUmask:\\t0022"..., 4096) = N',
      'close(fd+0) = 0',
      `# hint: "xpsleepyvictim": ${v} ("xpsleepyvictim") matched, but the kernel refused the signal (EPERM): it belongs to uid 0 and we run as uid 65534; nothing was signalled for this NAME, so it also gets "no process found" (run killall as that user or as root)`,
      'xpsleepyvictim: no process found',
      'write(2, "xpsleepyvictim: no process found"..., 33) = 33',
      ...ending(1),
    ]);
  });

  it('a match: stat, the comm rule, the pin, the confirmation, the probe, pidfd_send_signal, exit 0', () => {
    const r = runs[4]!;
    assert.equal(r.rc, 0);
    const self = selfOf(r.stderr);
    const v = pids.plain!;
    const lines = normalise(r.stderr);
    const from = lines.indexOf(`openat(AT_FDCWD, "/proc/${v}/stat", O_RDONLY|O_CLOEXEC) = fd+0`);
    expectLines(lines.slice(0, 8), opening(self));
    expectLines(lines.slice(from), [
      `openat(AT_FDCWD, "/proc/${v}/stat", O_RDONLY|O_CLOEXEC) = fd+0`,
      stat(v, 'xpplainvictim'),
      `# ${v} matches: comm "xpplainvictim" equals NAME "xpplainvictim"`,
      `openat(AT_FDCWD, "/proc/${v}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = fd+1`,
      `# pinned: fd fd+1 holds this process instance (/proc/${v}); the signal goes through it, so a reused PID cannot be hit`,
      restat(v, 'xpplainvictim'),
      'close(fd+0) = 0',
      CONFIRMED,
      `openat(AT_FDCWD, "/proc/${self}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = fd+0`,
      '# a pin of ourselves, to probe once whether pidfd_send_signal works here',
      'pidfd_send_signal(fd+0, 0, NULL, 0) = 0',
      '# pidfd_send_signal works: signals go through pins',
      'close(fd+0) = 0',
      'pidfd_send_signal(fd+1, SIGTERM, NULL, 0) = 0',
      `# SIGTERM delivered to ${v}: the kernel said 0`,
      'close(fd+1) = 0',
      SUMMARY,
      ...ending(0),
    ]);
    // Everything between the snapshot and the match is the scan of lower PIDs, summarised.
    assert.equal(from, 8, lines.join('\n'));
  });

  it('a long-name match: comm is cut to 15 bytes, cmdline gives the long name, which equals the NAME', () => {
    const r = runs[5]!;
    assert.equal(r.rc, 0);
    const v = pids.long!;
    const lines = normalise(r.stderr);
    const from = lines.indexOf(`openat(AT_FDCWD, "/proc/${v}/stat", O_RDONLY|O_CLOEXEC) = fd+0`);
    assert.ok(from > 0, lines.join('\n'));
    expectLines(lines.slice(from, from + 19), [
      `openat(AT_FDCWD, "/proc/${v}/stat", O_RDONLY|O_CLOEXEC) = fd+0`,
      stat(v, 'xplongvictimnam'),
      '# comm "xplongvictimnam" is 15 bytes: maybe cut by the kernel, so cmdline is read for the long name',
      `openat(AT_FDCWD, "/proc/${v}/cmdline", O_RDONLY|O_CLOEXEC) = fd+1`,
      `read(fd+1, "${BIN}/xplongvicti"..., 4096) = N`,
      'close(fd+1) = 0',
      `# long name "xplongvictimname1": the basename of cmdline argument 0 "${BIN}/xplongvictimname1", the first argument whose basename starts with comm`,
      `# ${v} matches: the long name "xplongvictimname1" equals NAME "xplongvictimname1"`,
      `openat(AT_FDCWD, "/proc/${v}", O_RDONLY|O_CLOEXEC|O_DIRECTORY) = fd+1`,
      `# pinned: fd fd+1 holds this process instance (/proc/${v}); the signal goes through it, so a reused PID cannot be hit`,
      restat(v, 'xplongvictimnam'),
      'close(fd+0) = 0',
      `${CONFIRMED}; its verdict rested on more than stat, so it is examined again through the pin`,
      `openat(AT_FDCWD, "/proc/self/fd/fd+1/stat", O_RDONLY|O_CLOEXEC) = fd+0`,
      stat(v, 'xplongvictimnam'),
      'close(fd+0) = 0',
      `openat(AT_FDCWD, "/proc/self/fd/fd+1/cmdline", O_RDONLY|O_CLOEXEC) = fd+0`,
      `read(fd+0, "${BIN}/xplongvicti"..., 4096) = N`,
      'close(fd+0) = 0',
    ]);
    assert.ok(lines.includes('pidfd_send_signal(fd+1, SIGTERM, NULL, 0) = 0'), lines.join('\n'));
  });

  it('--dry-run --json: stdout is the JSON document alone; the narration is on stderr and sends nothing', () => {
    const r = runs[8]!;
    assert.equal(r.rc, 0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(typeof doc, 'object');
    assert.equal(doc.dryRun, true, "the dry run's document");
    assert.ok(r.stderr.includes('# --dry-run: nothing is sent'), r.stderr);
    assert.ok(!/^pidfd_send_signal\(\d+, SIGTERM/m.test(r.stderr), r.stderr);
    assert.ok(/^write\(1, "\{/m.test(r.stderr), 'the document write is narrated');
  });

  it('a port NAME: the socket tables, the fd links of each process, the socket that matched', () => {
    // Its own network namespace (the port is free, and the tables hold only what this test made).
    const script = [
      'ip link set lo up 2>/dev/null',
      'f=$(mktemp)',
      `"${process.execPath}" -e "require('net').createServer().listen(3456, () => console.log('ready'))" > "$f" &`,
      'n=0; while [ ! -s "$f" ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n+1)); done',
      `"${OURS}" --explain :3456 :3457`,
      'echo "rc=$?"',
      'rm -f "$f"',
    ].join('\n');
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--net', 'sh', '-c', script], {
      encoding: 'latin1',
      timeout: 120_000,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
    });
    assert.match(r.stdout, /rc=1/, r.stderr);
    const lines = r.stderr.split('\n');
    const match = lines.findIndex((l) =>
      /^# \d+ matches: one of its fds is a socket bound to port 3456 \(its inode is in \/proc\/net\/tcp or \/proc\/net\/udp\)$/.test(
        l,
      ),
    );
    assert.ok(match > 0, r.stderr);
    assert.match(lines[match - 1]!, /^readlink\("\/proc\/\d+\/fd\/\d+", "socket:\[\d+\]", 4096\) = \d+$/);
    assert.ok(
      lines.includes(
        'openat(AT_FDCWD, "/proc/net/tcp", O_RDONLY|O_CLOEXEC) = ' +
          /openat\(AT_FDCWD, "\/proc\/net\/tcp", O_RDONLY\|O_CLOEXEC\) = (\d+)/.exec(r.stderr)?.[1],
      ),
    );
    assert.match(r.stderr, /^pidfd_send_signal\(\d+, SIGTERM, NULL, 0\) = 0$/m);
    assert.ok(
      lines.includes(
        '# hint: ":3457": no process whose fds could be read holds a socket bound to port 3457 (tcp or udp; TCP: listening)',
      ),
      r.stderr,
    );
    assert.ok(lines.includes(':3457: no process found'));
  });

  describe('the strace cross-check', { skip: !haveStrace && 'strace is not installed' }, () => {
    for (const [i, what] of [
      [6, 'a match, a script near miss with its hint reads, exit 1'],
      [7, 'an EPERM as nobody'],
    ] as const) {
      it(`${what}: the calls --explain reports are the ones strace saw, in order`, () => {
        const r = runs[i]!;
        const trace = parseStrace(r.strace ?? '');
        const result = crossCheck(r.stderr, trace);
        assert.deepEqual(result.missing, [], 'every reported call is in the trace, in order');
        assert.deepEqual(
          result.unreported,
          [],
          'every /proc call, signal and write in the trace is reported',
        );
        assert.ok(result.compared > 20, `compared ${result.compared} calls`);
        // The seed's observations, visible in the narration.
        assert.match(r.stderr, /^getdents64\(FD, 0xADDR \/\* \d+ entries \*\/, 32768\) = \d+$/m);
        assert.match(r.stderr, /^exit_group\(1\) = \?$/m);
        assert.equal(trace.exitStatus, 1);
        // The reconstructed getdents64 calls return what the real ones did, in total.
        assert.equal(result.getdentsBytes.explain, result.getdentsBytes.strace);
      });
    }
    it('with KILLALL_TS_NO_PIDFD: no probe and no pidfd_send_signal is reported (strace sees none), kill(2) after the re-check', () => {
      const r = runs[10]!;
      assert.equal(r.rc, 0, r.stderr);
      const trace = parseStrace(r.strace ?? '');
      const result = crossCheck(r.stderr, trace);
      assert.deepEqual(result.missing, [], 'every reported call is in the trace, in order');
      assert.deepEqual(result.unreported, [], 'every /proc call, signal and write in the trace is reported');
      assert.ok(!/pidfd_send_signal/.test(r.strace ?? ''), 'strace saw no pidfd_send_signal');
      assert.doesNotMatch(r.stderr, /^pidfd_send_signal\(/m);
      assert.match(
        r.stderr,
        /^# pidfd_send_signal cannot be called here \(no FFI, or KILLALL_TS_NO_PIDFD set\)/m,
      );
      assert.match(r.stderr, new RegExp(`^kill\\(${pids.cased}, SIGTERM\\) = 0$`, 'm'));
    });
    it('without =all: what is reported is in the trace in order, and the summaries count exactly what was left out', () => {
      const r = runs[9]!;
      assert.equal(r.rc, 1);
      const result = crossCheck(r.stderr, parseStrace(r.strace ?? ''));
      assert.deepEqual(result.missing, []);
      const summarised = [
        ...r.stderr.matchAll(
          /^# \d+ (?:other process(?:es)? neither matched nor nearly matched|of them are no near miss)[^:]*: (\d+) syscalls/gm,
        ),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      assert.ok(summarised > 0);
      assert.equal(result.unreported.length, summarised, result.unreported.join('\n'));
    });
  });
});
