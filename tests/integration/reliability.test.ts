/**
 * The threats of docs/reliability.md that need real processes: each test runs inside a private PID namespace
 * against victims it started.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  nobodySkip,
  nsSkip,
  OURS,
  PSMISC,
  psmiscSkip,
  runBoth,
  runInNamespace,
  runScenario,
  runWithClosedStream,
  scenarioDir,
  victimBinary,
} from '../helpers/ns.js';
import type { VictimSpec } from '../helpers/scenario.js';

const V = (label: string, exe: string, extra: Partial<VictimSpec> = {}): VictimSpec => ({
  label,
  exe,
  ...extra,
});

describe('reliability (private PID namespaces)', { skip: nsSkip, concurrency: 1 }, () => {
  it('T7 forced PID reuse between pin and send, and between the scan read and the pin: the newcomer gets nothing, on the pidfd and the kill(2) paths', () => {
    const dir = scenarioDir();
    mkdirSync(dir, { recursive: true });
    try {
      // biome-ignore lint/suspicious/noExplicitAny: JSON facts from the runner.
      const out = runInNamespace('reuse-runner.js', [victimBinary(), dir]) as any;
      for (const path of ['pidfd', 'fallback'] as const) {
        assert.equal(out[path].reused, true, `${path}: the PID was reused`);
        assert.equal(out[path].result, 'ESRCH', `${path}: the stale pin refuses`);
        assert.deepEqual(out[path].newcomerGot, [], `${path}: the newcomer received nothing`);
      }
      for (const path of [
        'endToEndPidfd',
        'endToEndFallback',
        'scanToPinPidfd',
        'scanToPinFallback',
      ] as const) {
        assert.equal(out[path].reused, true, `${path}: the PID was reused between scan and send`);
        assert.deepEqual(out[path].failed, ['ESRCH']);
        assert.equal(out[path].signalled, 0);
        assert.deepEqual(out[path].newcomerGot, []);
      }
      for (const path of ['scanToPinPidfd', 'scanToPinFallback'] as const) {
        assert.equal(out[path].staleStatReads, 1, `${path}: the scan's kept stat fd failed with ESRCH`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('T2/T3 invalid UTF-8 in a comm and in the NAME: matched on raw bytes, printed escaped', () => {
    const sc = {
      victims: [V('a', 'hx7x', { args: ['--comm-hex', '6878377aff'] })],
      args: [],
    };
    const cmd = (k: string) => ['sh', '-c', 'exec "$0" -v "$(printf "hx7z\\377")"', k];
    const ours = runScenario(cmd(OURS), sc);
    assert.equal(ours.rc, 0);
    assert.deepEqual(ours.victims.a!.signals, [15]);
    assert.match(ours.stderr, /^Killed hx7z\?\(\d+\) with signal 15\n$/);
    if (!psmiscSkip) {
      const ps = runScenario(cmd(PSMISC), sc);
      assert.equal(ps.rc, 0);
      assert.deepEqual(ps.victims, ours.victims);
    }
  });

  it('T8/T11 fork churn: scanning while thousands of processes fork and exit never fails or hits a non-match', () => {
    const sc = {
      victims: [
        V('churn', 'hx7churner', { args: ['--churn', 'hx7churn'] }),
        V('keep', 'hx7keep', { args: ['--stay'] }),
      ],
      args: [],
      timeoutMs: 60_000,
    };
    const loop =
      'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do "$0" -s USR1 hx7keep || exit 9; "$0" -0 -r "^hx7keep$" || exit 8; done';
    const r = runScenario(['sh', '-c', loop, OURS], sc);
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.victims.keep!.signals, Array(15).fill(10));
    assert.ok(r.victims['churn.churn'], 'churn children ran (each writes its record)');
    assert.deepEqual(r.victims['churn.churn']!.signals, [], 'no churn child was signalled');
  });

  it('T6 a cmdline of about 1.9 MB: read with a bound, the long name still found (as psmisc)', {
    skip: psmiscSkip,
  }, () => {
    const { psmisc, ours } = runBoth({
      victims: [V('a', 'hx7abcdefghijklmnop', { padArgsKiB: Array(16).fill(120) })],
      args: ['-v', 'hx7abcdefghijklmnop'],
    });
    assert.equal(ours.rc, 0);
    assert.deepEqual(ours.victims.a!.signals, [15]);
    assert.equal(ours.stderr, psmisc.stderr);
  });

  it('T15 hidepid=1: unreadable processes are skipped, and said once when nothing was found (D14)', {
    skip: psmiscSkip || nobodySkip(),
  }, () => {
    const { psmisc, ours } = runBoth({
      victims: [V('a', 'hx7a')],
      args: ['hx7a'],
      asNobody: true,
      procOptions: 'hidepid=1',
    });
    assert.equal(psmisc.stderr, 'hx7a: no process found\n');
    assert.match(
      ours.stderr,
      /^hx7a: no process found\nkillall: \d+ process(es)? could not be read \(Permission denied\)\n$/,
    );
    assert.equal(ours.rc, 1);
    assert.deepEqual(ours.victims.a!.signals, []);
  });

  it('T15 hidepid=2: other users processes are invisible, own ones still found', {
    skip: nobodySkip(),
  }, () => {
    const r = runScenario([OURS], {
      victims: [V('a', 'hx7a'), V('b', 'hx7a', { nobody: true })],
      args: ['-v', 'hx7a'],
      asNobody: true,
      procOptions: 'hidepid=2',
    });
    assert.equal(r.rc, 0);
    assert.deepEqual(r.victims.a!.signals, []);
    assert.deepEqual(r.victims.b!.signals, [15]);
  });

  it('T17 /proc not mounted: psmisc message, exit 1, nothing sent', { skip: psmiscSkip }, () => {
    const { psmisc, ours } = runBoth({ victims: [V('a', 'hx7a')], args: ['hx7a'], unmountProc: true });
    assert.equal(ours.stderr, 'killall: /proc lacks process entries (not mounted ?)\n');
    assert.equal(ours.stderr, psmisc.stderr);
    assert.equal(ours.rc, 1);
    assert.deepEqual(ours.victims.a!.signals, []);
  });

  for (const foreignProc of ['nested', 'host'] as const) {
    it(`T14 a foreign /proc (${foreignProc} PID namespace's): refused, nothing sent (D11)`, () => {
      const r = runScenario([OURS], { victims: [V('a', 'hx7a')], args: ['-g', '-r', '.'], foreignProc });
      assert.equal(r.stderr, 'killall: /proc lacks process entries (not mounted ?)\n');
      assert.equal(r.rc, 1);
      assert.deepEqual(r.victims.a!.signals, []);
    });
  }

  it('T19 with ulimit -n 64, 300 matches are all signalled and waited for (no fd leak, pins within budget)', () => {
    const victims = Array.from({ length: 300 }, (_, i) => V(`v${i}`, 'hx7many'));
    const r = runScenario(['sh', '-c', 'ulimit -n 64; exec "$0" -w hx7many', OURS], {
      victims,
      args: [],
      timeoutMs: 60_000,
    });
    assert.equal(r.stderr, '');
    assert.equal(r.rc, 0);
    for (const v of Object.values(r.victims)) assert.deepEqual(v.signals, [15]);
  });

  it('T20 stdout closed early (killall -l into a closed pipe): exit 0, no stack trace', async () => {
    assert.deepEqual(await runWithClosedStream('stdout', ['-l']), { other: '', code: 0 });
  });

  it('T20 stderr closed early (no process found into a closed pipe): the exit status is kept, no crash', async () => {
    assert.deepEqual(await runWithClosedStream('stderr', ['-v', 'hx7none', 'hx7none2']), {
      other: '',
      code: 1,
    });
  });

  it('T21 -i with a non-blocking stdin pipe: the answer is read (no EAGAIN)', {
    skip: spawnSync('python3', ['-V']).status !== 0 && 'no python3',
  }, () => {
    const nb = [
      'python3',
      '-c',
      'import os,sys; os.set_blocking(0, False); os.execv(sys.argv[1], sys.argv[1:])',
      OURS,
    ];
    const r = runScenario(nb, { victims: [V('a', 'hx7a')], args: ['-i', 'hx7a'], stdin: 'y\n' });
    assert.equal(r.stdout, `Kill hx7a(${r.stdout.match(/\((\d+)\)/)?.[1]}) ? (y/N) `);
    assert.equal(r.rc, 0);
    assert.deepEqual(r.victims.a!.signals, [15]);
  });

  it('T7/T21 -i: the target dies while the prompt waits: "No such process", exit 1 (as psmisc)', () => {
    const sc = {
      victims: [V('a', 'hx7a')],
      args: ['-i', 'hx7a'],
      whilePrompted: { kill: 'a', answer: 'y\n' },
    };
    const ours = runScenario([OURS], sc);
    assert.match(ours.stderr, /^hx7a\(\d+\): No such process\nhx7a: no process found\n$/);
    assert.equal(ours.rc, 1);
    if (!psmiscSkip) {
      const ps = runScenario([PSMISC], sc);
      assert.deepEqual([ours.stdout, ours.stderr, ours.rc], [ps.stdout, ps.stderr, ps.rc]);
    }
  });

  it('T7/T21 -i: a same-name newcomer takes the PID while the prompt waits: it receives nothing (as psmisc)', () => {
    const sc = {
      victims: [V('a', 'hx7a')],
      args: ['-i', '-v', 'hx7a'],
      whilePrompted: { kill: 'a', reuse: V('newcomer', 'hx7a'), answer: 'y\n' },
    };
    const ours = runScenario([OURS], sc);
    assert.ok(ours.victims.newcomer, 'the newcomer was started');
    assert.equal(ours.pids.newcomer, ours.pids.a, 'the newcomer has the PID the prompt is about');
    assert.deepEqual(ours.victims.newcomer!.signals, []);
    assert.equal(ours.rc, 1);
    assert.match(ours.stderr, /^hx7a\((\d+)\): No such process\n/);
    if (!psmiscSkip) {
      const ps = runScenario([PSMISC], sc);
      assert.equal(ps.pids.newcomer, ps.pids.a);
      assert.deepEqual(ps.victims.newcomer!.signals, []);
      assert.deepEqual([ours.stdout, ours.stderr, ours.rc], [ps.stdout, ps.stderr, ps.rc]);
    }
  });

  it('T21 -i with stdin at /dev/null-like EOF: every answer is no', () => {
    const r = runScenario([OURS], {
      victims: [V('a', 'hx7a'), V('b', 'hx7a')],
      args: ['-i', 'hx7a'],
      stdin: null,
    });
    assert.equal(r.rc, 1);
    assert.equal((r.stdout.match(/\? \(y\/N\) /g) ?? []).length, 2);
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], []]);
  });
});
