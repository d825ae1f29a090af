/**
 * The one escaping rule, proved on the real output paths: the CLI (`runCli`) and the picker (`runPicker`) run over
 * a fake /proc whose comms, command lines, exe paths and user names are generated hostile bytes (terminal escapes,
 * C1 controls, DEL, invalid UTF-8, newlines, tabs), and every byte they write must be valid UTF-8 without a C0
 * control but TAB and LF, without DEL and without a C1 control. The NAMEs on the command lines are plain ASCII (a
 * NAME the caller typed is echoed as typed, docs/compat.md D6), so every hostile byte in the output could only
 * have come from a process. Covered: `-v` (killed, `--tree` descendant, `--kill-after` escalation lines), `-e -v`
 * skips, `-i` prompts (and `--tree`'s), failed sends, `-g`'s refusal, `--dry-run` (user, command line), `--timeout`
 * lines, `--explain` (syscall lines, `#` lines, near-miss hints and their suggested commands), `--json` (exact:
 * parsed back to the processes' bytes), and the picker's frames, confirmation and result lines.
 */
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { libraryBackend } from '../../src/cli/pick/backend.js';
import { runPicker } from '../../src/cli/pick/index.js';
import { runCli } from '../../src/cli/run.js';
import { assertCleanText } from '../helpers/clean-text.js';
import { type FakeProc, FakeSystem } from '../helpers/fake-system.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Hostile bytes, never NUL (no comm, argument or path holds one). */
const hostile = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc
    .oneof(
      fc.uint8Array({ minLength: 1, maxLength }),
      fc
        .array(
          fc.oneof(
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).map((s) => Buffer.from(s, 'utf8')),
            fc.constantFrom(
              b('\x1b]0;PWNED\x07'),
              b('\x1b]52;c;SGVsbG8=\x07'),
              b('\x1b[2J'),
              b('\xc2\x9b31m'),
              b('\x9b'),
              b('\x7f'),
              b('\n'),
              b('\t'),
              b('\r'),
              b('\xff'),
              b('\xe2\x80'),
              b('$(id)`id`'),
            ),
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((parts) => Buffer.concat(parts)),
    )
    .map((u) => Buffer.from(u.filter((x) => x !== 0)));

const noSlash = (u: Buffer): Buffer => Buffer.from(u.filter((x) => x !== 0x2f));
const cut = (u: Buffer, n: number): Buffer => Buffer.from(u.subarray(0, n));
/** Pads (with `x`) or cuts to exactly `n` bytes. */
const exactly = (u: Buffer, n: number): Buffer => cut(Buffer.concat([u, Buffer.alloc(n, 'x')]), n);

interface World {
  readonly procs: FakeProc[];
  readonly userNames: Record<number, string>;
}

/**
 * Processes: three matched by `-r ^kts` (one with a 15-byte comm and a long name, one refusing signals, one in
 * process group 1), a child of the first (for `--tree`), a 15-byte comm without a long name (for `-e`), one whose
 * exe is the path NAME `/opt/kts/ktsexe`, and near misses of the NAME `ktsname` (prefix, renamed, script, exe).
 */
export const world: fc.Arbitrary<World> = fc
  .record({
    comms: fc.array(hostile(12), { minLength: 8, maxLength: 8 }),
    dir: hostile(20),
    args: fc.array(hostile(16), { minLength: 1, maxLength: 3 }),
    suffix: hostile(10),
    users: fc.array(hostile(12), { minLength: 3, maxLength: 3 }),
  })
  .map(({ comms, dir, args, suffix, users }) => {
    const c = (i: number, prefix: string): Buffer => cut(Buffer.concat([b(prefix), comms[i]!]), 15);
    const path = (base: string | Buffer): Buffer =>
      Buffer.concat([b('/'), dir, b('/'), typeof base === 'string' ? b(base) : base]);
    const long = exactly(c(0, 'kts'), 15);
    const procs: FakeProc[] = [
      {
        pid: 10,
        comm: long,
        cmdline: Buffer.concat([
          path(Buffer.concat([long, noSlash(suffix)])),
          b('\0'),
          ...args.flatMap((a) => [a, b('\0')]),
        ]),
        exe: path('ktsexe0'),
        uid: 1000,
        startTime: 500,
      },
      { pid: 11, comm: c(1, 'kts'), cmdline: [], exe: path('k'), uid: 1001, startTime: 510, refuse: 'EPERM' },
      { pid: 12, comm: c(2, 'kts'), uid: 0, pgrp: 1, startTime: 520 },
      {
        pid: 13,
        comm: c(3, 'x'),
        ppid: 10,
        uid: 1000,
        startTime: 530,
        cmdline: Buffer.concat([comms[3]!, b('\0')]),
      },
      {
        pid: 14,
        comm: exactly(c(4, 'kts'), 15),
        cmdline: Buffer.concat([b('other\0'), args[0]!]),
        startTime: 540,
      },
      { pid: 15, comm: c(5, 'q'), exe: b('/opt/kts/ktsexe'), startTime: 550 },
      // Near misses of `ktsname`: a shared prefix, a renamed process, a script, an executable.
      { pid: 20, comm: c(6, 'ktsn'), startTime: 600 },
      { pid: 21, comm: c(7, 'r'), cmdline: Buffer.concat([path('ktsname'), b('\0')]), startTime: 610 },
      {
        pid: 22,
        comm: c(7, 's'),
        cmdline: Buffer.concat([b('sh\0'), path('ktsname'), b('\0')]),
        startTime: 620,
      },
      { pid: 23, comm: c(6, 'e'), exe: path('ktsname'), cmdline: [], startTime: 630 },
    ];
    const userNames = {
      0: users[0]!.toString('latin1'),
      1000: users[1]!.toString('latin1'),
      1001: users[2]!.toString('latin1'),
    };
    return { procs, userNames };
  });

/** Every command line run over each world, with what it answers on stdin. */
const COMMANDS: readonly (readonly [args: readonly string[], stdin?: string])[] = [
  [['-v', '-r', '^kts']],
  [['-v', '-e', '-r', '^kts']],
  [['-i', '-r', '^kts'], 'maybe\ny\nn\ny\ny\ny\n'],
  [['-i', '--tree', '-v', '-r', '^kts'], 'y\ny\ny\ny\n'],
  [['-v', '--tree', '-r', '^kts']],
  [['-v', '-g', '-r', '^kts']],
  [['-v', '--kill-after', '10ms', '--timeout', '20ms', '-r', '^kts']],
  [['-w', '--timeout', '10ms', '-r', '^kts']],
  [['-v', '/opt/kts/ktsexe']],
  [['--dry-run', '-r', '^kts']],
  [['--dry-run', '-g', '--kill-after', '5s', '-r', '^kts']],
  [['--dry-run', '--tree', '-r', '^kts']],
  [['--explain=all', '-v', '-e', '-r', '^kts']],
  [['--explain', '-v', 'ktsname', '/opt/kts/ktsexe', 'KTSNAME']],
  [['--explain', '-I', '-r', '^KTSN', 'ktsname']],
  [['--explain', '-i', '-r', '^kts'], 'y\ny\ny\n'],
  [['--json', '-v', '-r', '^kts']],
  [['--json', '--dry-run', '--tree', '-r', '^kts']],
  [['--json', '-i', '-r', '^kts'], 'y\nn\ny\n'],
  [['--json', '--explain', '--dry-run', '-r', '^kts']],
];

/** runCli over the world, with the CLI's own Output semantics (a string is a byte string). */
async function run(w: World, args: readonly string[], stdin = ''): Promise<{ out: Buffer; err: Buffer }> {
  const parts: Record<1 | 2, Buffer[]> = { 1: [], 2: [] };
  await runCli(args, {
    out: {
      write: (fd, d) => {
        parts[fd].push(typeof d === 'string' ? Buffer.from(d, 'latin1') : Buffer.from(d));
      },
    },
    stdin: () => {
      const s = new PassThrough();
      s.end(stdin);
      return s;
    },
    env: {},
    system: new FakeSystem(w.procs, { userNames: w.userNames }),
    version: '9.9.9',
  });
  return { out: Buffer.concat(parts[1]), err: Buffer.concat(parts[2]) };
}

const bytesOf = (x: string | Buffer | undefined): Buffer => (Buffer.isBuffer(x) ? x : Buffer.from(x ?? ''));
const argsOf = (p: FakeProc): Buffer[] => {
  if (!Buffer.isBuffer(p.cmdline)) return (p.cmdline ?? []).map((a) => Buffer.from(a));
  const parts = p.cmdline.toString('latin1').split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts.map(b);
};

/** --json is exact: every string decodes the process's bytes as UTF-8 (U+FFFD for what is invalid). */
function assertExactJson(w: World, out: Buffer, where: string): void {
  const doc = JSON.parse(out.toString('utf8')) as {
    processes?: {
      pid: number;
      comm: string;
      cmdline: string[] | null;
      user: { name: string | null } | null;
    }[];
  };
  for (const p of doc.processes ?? []) {
    const proc = w.procs.find((q) => q.pid === p.pid)!;
    assert.equal(p.comm, bytesOf(proc.comm).toString('utf8'), `${where}: comm of ${p.pid}`);
    if (p.cmdline)
      assert.deepEqual(
        p.cmdline,
        argsOf(proc).map((a) => a.toString('utf8')),
        `${where}: cmdline of ${p.pid}`,
      );
    const name = proc.uid === undefined ? undefined : w.userNames[proc.uid];
    if (p.user?.name && name !== undefined)
      assert.equal(p.user.name, b(name).toString('utf8'), `${where}: user of ${p.pid}`);
  }
}

describe('no byte a process controls reaches a text stream raw', () => {
  it('property: every CLI output path over hostile comms, command lines, exe paths and user names', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        for (const [args, stdin] of COMMANDS) {
          const where = `killall ${args.join(' ')}`;
          const { out, err } = await run(w, args, stdin);
          assertCleanText(out, `${where} (stdout)`);
          assertCleanText(err, `${where} (stderr)`);
          if (args.includes('--json')) assertExactJson(w, out, where);
        }
      }),
      { numRuns: 60, includeErrorInReport: true },
    );
  });

  it('the paths were reached: each command printed what it is there for', async () => {
    const [w] = fc.sample(world, { numRuns: 1, seed: 15 });
    const text = async (args: readonly string[], stdin?: string): Promise<string> => {
      const r = await run(w!, args, stdin);
      return r.out.toString('utf8') + r.err.toString('utf8');
    };
    assert.match(await text(['-v', '-r', '^kts']), /^Killed .*\(10\) with signal 15$/m);
    assert.match(await text(['-v', '-r', '^kts']), /\(11\): Operation not permitted$/m);
    assert.match(await text(['-v', '-e', '-r', '^kts']), /^killall: skipping partial match .*\(14\)$/m);
    assert.match(await text(['-i', '-r', '^kts'], 'y\n'), /^Kill .*\(10\) \? \(y\/N\) /);
    assert.match(await text(['-v', '--tree', '-r', '^kts']), /\(13\) with signal 15 \(descendant of 10\)$/m);
    assert.match(await text(['-v', '-g', '-r', '^kts']), /\(12\): not signalling process group 1/);
    const esc = await text(['-v', '--kill-after', '10ms', '--timeout', '20ms', '-r', '^kts']);
    assert.match(esc, /\(10\) with signal 9 after \d+ms$/m);
    assert.match(esc, /\(10\): still running after 20ms$/m);
    assert.match(await text(['--dry-run', '-r', '^kts']), /^SIGTERM .*\(10\) user=.* age=\S+ -- \//m);
    const hints = await text(['--explain', '-v', 'ktsname', '/opt/kts/ktsexe', 'KTSNAME']);
    for (const kind of ['prefix', 'renamed', 'script', 'executable'])
      assert.match(
        hints,
        new RegExp(`^# hint: "ktsname": \\d+ \\(.*\\) is a near miss \\(${kind}\\): `, 'm'),
      );
    assert.match(hints, /^Killed .*\(15\) with signal 15$/m);
  });

  it('property: the picker: its frames, the confirmation and the result lines', async () => {
    await fc.assert(
      fc.asyncProperty(world, fc.boolean(), async (w, color) => {
        const bytes = await pick(w, color);
        // The picker's own sequences: the alternate screen, line positioning, and (with colour) SGR.
        const own = Buffer.from(
          bytes
            .toString('latin1')
            .replaceAll('\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J', '')
            .replaceAll('\x1b[0m\x1b[?25h\x1b[?1049l', '')
            .replace(/\x1b\[\d+;1H\x1b\[2K/g, '')
            .replace(color ? /\x1b\[(?:7|1;33|22;39|32|39|2|22|0)m/g : /(?!)/g, ''),
          'latin1',
        );
        assertCleanText(own, `picker (colour ${color})`);
        assert.match(own.toString('utf8'), /Sent TERM:\n {2}.*\(10\): signalled/);
      }),
      { numRuns: 15, includeErrorInReport: true },
    );
  });
});

/** The picker on a fake terminal: every row marked, Enter, `y`; resolves with every byte it wrote. */
export async function pick(w: World, color: boolean): Promise<Buffer> {
  const sys = new FakeSystem(w.procs, { userNames: w.userNames });
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const chunks: Buffer[] = [];
  const output = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
    }),
    { isTTY: true, columns: 200, rows: 30, getColorDepth: () => (color ? 8 : 1) },
  );
  const done = runPicker(
    { criteria: {} },
    {
      input: input as unknown as NodeJS.ReadStream,
      output: output as unknown as NodeJS.WriteStream,
      err: (s) => chunks.push(Buffer.from(s, 'latin1')),
      env: {},
      system: sys,
      backend: libraryBackend({ system: sys }, sys, 0),
      refreshMs: 60_000,
    },
  );
  const seen = (s: string): boolean => Buffer.concat(chunks).includes(s);
  const until = async (ok: () => boolean): Promise<void> => {
    const end = Date.now() + 30_000;
    while (!ok()) {
      if (Date.now() > end)
        throw new Error(
          `the picker did not get there: ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`,
        );
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await until(() => seen(`${w.procs.length} processes`));
  input.write(' '.repeat(w.procs.length));
  input.write('\r');
  await until(() => seen('[y/N]'));
  input.write('y');
  await done;
  return Buffer.concat(chunks);
}
