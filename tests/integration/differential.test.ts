/**
 * Differential suite: each scenario starts the same fresh victims in a private PID namespace, runs psmisc's
 * killall and ours with the same arguments, and compares which victim received which signal, stdout, stderr and
 * the exit status. Victims are the only processes besides the runner, so nothing else can be hit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { comparable, needsNobody, nobodySkip, OURS, PSMISC, psmiscSkip, runBoth } from '../helpers/ns.js';
import type { RunResult } from '../helpers/scenario.js';
import { SCENARIOS } from './differential-scenarios.js';

/** What some scenarios must show besides agreeing, so that agreement on a mistake cannot pass. */
const EXPECT: Record<string, (r: RunResult) => void> = {
  '-n PID of another namespace keeps only that namespace': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-n PID of our namespace skips the nested one': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'without -n, every namespace': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], [15]]),
  'match with decoys': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals, r.victims.c!.signals], [[15], [], []]),
  'copied binary by path': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'symlink path matches the target binary': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], [15]]),
  '-u nobody': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-y 1s': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-o 1s': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'long name in full': (r) => assert.deepEqual(r.victims.a!.signals, [15]),
  'long name truncated': (r) => assert.deepEqual(r.victims.a!.signals, []),
  '-r classes': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  '-i per process': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  'as nobody against root: EPERM': (r) => assert.match(r.stderr, /Operation not permitted/),
  '-g once per group': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims['a.child']!.signals], [[15], [15]]),
  'comm set by prctl': (r) => assert.deepEqual(r.victims.a!.signals, [15]),
  '-s 40 (real-time)': (r) => assert.deepEqual(r.victims.a!.signals, [40]),
};

describe('differential: psmisc killall vs killall-ts', { skip: psmiscSkip, concurrency: 1 }, () => {
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    it(name, { skip: !psmiscSkip && needsNobody(sc) && nobodySkip() }, () => {
      const { psmisc, ours } = runBoth(sc);
      assert.deepEqual(comparable(ours), comparable(psmisc));
      const expect = EXPECT[name];
      if (expect) expect(ours);
    });
  }

  it('every signal name, with and without SIG, in the dash form (psmisc testsuite)', () => {
    const names = spawnSync(PSMISC, ['-l'], { encoding: 'latin1' }).stdout.split(/\s+/).filter(Boolean);
    assert.equal(names.length, 31);
    const script = names
      .flatMap((n) => [`-${n}`, `-SIG${n}`, `--signal=${n}`])
      .map((a) => `for k in "${PSMISC}" "${OURS}"; do "$k" ${a} afakeprocname 2>&1; echo "rc=$?"; done`)
      .join('\n');
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', script], {
      encoding: 'latin1',
    });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, names.length * 3 * 4);
    for (let i = 0; i < lines.length; i += 4) {
      assert.equal(lines[i], 'afakeprocname: no process found');
      assert.deepEqual(lines.slice(i + 2, i + 4), lines.slice(i, i + 2));
    }
  });
});
