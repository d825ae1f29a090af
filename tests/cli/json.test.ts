/** `--json` and `--dry-run` output over a fake system: every document valid against the schema, line formats. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runCliOn } from '../helpers/cli.js';
import { type FakeOptions, type FakeProc, FakeSystem } from '../helpers/fake-system.js';
import { validate } from '../helpers/json-schema.js';
import { ROOT } from '../helpers/ns.js';

const SCHEMA = JSON.parse(readFileSync(`${ROOT}docs/killall-ts.schema.json`, 'utf8')) as Record<
  string,
  unknown
>;

class TimedSystem extends FakeSystem {
  override sleep(ms = 1): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }
}

async function cli(args: string[], procs: FakeProc[], opts: FakeOptions = {}, stdin = '') {
  const system = new TimedSystem(procs, opts);
  return { ...(await runCliOn(system, args, stdin)), system };
}

const family: FakeProc[] = [
  { pid: 10, comm: 'hx7root', cmdline: ['hx7root', '--serve'], uid: 0, pgrp: 10 },
  { pid: 11, comm: 'worker', ppid: 10, pgrp: 10, cmdline: ['worker', 'a\u001b]0;x\u0007'] },
  { pid: 12, comm: Buffer.from([0x68, 0xff, 0x1b]), ppid: 11, pgrp: 10 },
  { pid: 20, comm: 'hx7other', uid: 65534 },
];

function docOf(stdout: string): Record<string, unknown> {
  const lines = stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, stdout);
  assert.doesNotMatch(lines[0]!, /[\u0000-\u001f\u007f-\u009f]/, 'no raw control characters');
  const d = JSON.parse(Buffer.from(lines[0]!, 'latin1').toString('utf8')) as Record<string, unknown>;
  assert.deepEqual(validate(SCHEMA, d), []);
  return d;
}

describe('--json over a fake system', () => {
  it('documents of many runs all validate against the schema', async () => {
    const argvs: string[][] = [
      ['--json', 'hx7root'],
      ['--json', '--tree', '-v', 'hx7root'],
      ['--json', '--dry-run', '--tree', 'hx7root', 'nothere'],
      ['--json', '--dry-run', '-g', 'hx7root'],
      ['--json', '-g', 'hx7root'],
      ['--json', '-i', 'hx7root', 'hx7other'],
      ['--json', '-w', '--timeout', '20ms', 'hx7root'],
      ['--json', '--kill-after', '10ms', '--timeout', '10ms', 'hx7root'],
      ['--json', '-s', '99', 'hx7root'],
      ['--json', '-u', 'nobody'],
      ['--json', '-r', '('],
      ['--json', '-s', 'NOPE', 'x'],
      ['--json', ':0'],
      ['--json'],
    ];
    for (const args of argvs) {
      const r = await cli(args, family, { pidfd: 'ENOSYS' }, 'n\ny\n');
      const d = docOf(r.stdout);
      assert.equal(d.exitStatus, r.code, args.join(' '));
    }
  });
  it('a tree dry run lists descendants with descendantOf, and -g dry runs list members', async () => {
    const t = docOf((await cli(['--json', '--dry-run', '--tree', 'hx7root'], family)).stdout);
    const ps = t.processes as Record<string, unknown>[];
    assert.deepEqual(
      ps.map((p) => [p.pid, p.descendantOf, p.outcome]),
      [
        [10, null, 'would-signal'],
        [11, 10, 'would-signal'],
        [12, 10, 'would-signal'],
      ],
    );
    assert.deepEqual(ps[1]!.cmdline, ['worker', 'a\u001b]0;x\u0007']);
    const g = docOf((await cli(['--json', '--dry-run', '-g', 'hx7root'], family)).stdout);
    assert.deepEqual((g.processes as Record<string, unknown>[])[0]!.members, [10, 11, 12]);
  });
});

describe('--dry-run lines', () => {
  // The fake system has no passwd: users show as numbers.
  it('the documented format, escaped, with -g members, --tree descendants and kill-after', async () => {
    const r = await cli(['--dry-run', '--tree', '--kill-after', '5', 'hx7root'], family);
    assert.equal(r.code, 0);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^SIGTERM hx7root\(10\) user=0 age=\S+ kill-after=5s -- hx7root --serve$/);
    assert.match(
      lines[1]!,
      /^SIGTERM worker\(11\) user=0 age=\S+ descendant-of=10 kill-after=5s -- worker a\?\]0;x\?$/,
    );
    assert.match(lines[2]!, /^SIGTERM h\?\?\(12\) user=0 age=\S+ descendant-of=10 kill-after=5s -- $/);
    assert.deepEqual(r.system.pidfdSends, []);
    const g = await cli(['--dry-run', '-g', '-s', '40', 'hx7root'], family);
    assert.match(g.stdout, /^SIG40 hx7root\(pgid 10\) user=0 age=\S+ members=10,11,12 -- hx7root --serve\n$/);
  });
  it('property: a dry run never sends, and its exit status is that of a run where every send succeeds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(['hx7root', 'worker', 'hx7other', 'nothere']),
        fc.boolean(),
        fc.boolean(),
        async (names, tree, quiet) => {
          if (names.length === 0) return;
          const flags = [...(tree ? ['--tree'] : []), ...(quiet ? ['-q'] : [])];
          const dry = await cli(['--dry-run', ...flags, ...names], family);
          const real = await cli([...flags, ...names], family);
          assert.deepEqual(dry.system.pidfdSends, []);
          assert.equal(dry.code, real.code);
          assert.equal(dry.stderr, real.stderr);
        },
      ),
      { numRuns: 40 },
    );
  });
});
