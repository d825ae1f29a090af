// The raise rule (src/cli/sched-rule.ts): whose send loop may run at SCHED_FIFO, and how a cgroup CPU quota is found.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  type Caller,
  cpuCgroups,
  isQuota,
  optsOut,
  quotaApplies,
  quotaFiles,
  raiseDecision,
  SCHED_RESET_ON_FORK,
  SCHEDULING_RULE,
} from '../../src/cli/sched-rule.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
const SCHED_IDLE = 5;
const SCHED_DEADLINE = 6;
const normal: Caller = { policy: SCHED_OTHER, nice: 0, cpuQuota: false, optOut: false };

describe('raiseDecision: SCHED_OTHER at nice <= 0, no CPU quota, no opt-out', () => {
  const table: [string, Partial<Caller>, string][] = [
    ['a normal root shell', {}, 'raise'],
    ['nice -n -10', { nice: -10 }, 'raise'],
    ['SCHED_OTHER with SCHED_RESET_ON_FORK', { policy: SCHED_OTHER | SCHED_RESET_ON_FORK }, 'raise'],
    ['nice -n 1', { nice: 1 }, 'nice'],
    ['nice -n 19', { nice: 19 }, 'nice'],
    ['a nice that could not be read (NaN)', { nice: Number.NaN }, 'nice'],
    ['chrt --batch 0', { policy: SCHED_BATCH }, 'policy'],
    ['chrt --idle 0', { policy: SCHED_IDLE }, 'policy'],
    ['chrt --idle 0, reset on fork', { policy: SCHED_IDLE | SCHED_RESET_ON_FORK }, 'policy'],
    ['chrt --fifo 1 (already real-time)', { policy: SCHED_FIFO }, 'policy'],
    ['chrt --rr 5', { policy: SCHED_RR }, 'policy'],
    ['SCHED_DEADLINE', { policy: SCHED_DEADLINE }, 'policy'],
    ['a cgroup with cpu.max', { cpuQuota: true }, 'cpu-quota'],
    ['KILLALL_TS_NO_RT=1', { optOut: true }, 'opt-out'],
    ['KILLALL_TS_NO_RT=1 under chrt --idle', { optOut: true, policy: SCHED_IDLE }, 'opt-out'],
  ];
  for (const [what, c, want] of table)
    it(`${what}: ${want}`, () => assert.equal(raiseDecision({ ...normal, ...c }), want));

  it('property: raise only for SCHED_OTHER (with or without the reset flag), nice <= 0, no quota, no opt-out', () => {
    fc.assert(
      fc.property(
        fc.record({
          policy: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer()),
          nice: fc.oneof(fc.integer({ min: -20, max: 19 }), fc.double()),
          cpuQuota: fc.boolean(),
          optOut: fc.boolean(),
        }),
        (c) => {
          const other = (c.policy & ~SCHED_RESET_ON_FORK) === SCHED_OTHER;
          assert.equal(raiseDecision(c) === 'raise', other && c.nice <= 0 && !c.cpuQuota && !c.optOut);
        },
      ),
    );
  });

  it('KILLALL_TS_NO_RT: any value but unset, empty or 0 opts out', () => {
    assert.deepEqual([undefined, '', '0', '1', 'yes', 'false', ' '].map(optsOut), [
      false,
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
  });
});

describe('the cgroup CPU quota', () => {
  it('reads the cpu controller paths of cgroup v2 and v1 from /proc/self/cgroup', () => {
    assert.deepEqual(cpuCgroups('0::/user.slice/user-0.slice/session-1.scope\n'), {
      v2: '/user.slice/user-0.slice/session-1.scope',
    });
    assert.deepEqual(cpuCgroups('12:pids:/a\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/x\n0::/x\n'), {
      v2: '/x',
      v1: '/docker/abc',
    });
    assert.deepEqual(cpuCgroups('2:cpuacct:/\n1:cpu:/k\n'), { v1: '/k' });
    assert.deepEqual(cpuCgroups('3:cpuset:/a\n'), {});
  });

  it('lists the quota files of the cgroup and each ancestor, nearest first', () => {
    assert.deepEqual(quotaFiles({ v2: '/a/b', v1: '/c' }), [
      '/sys/fs/cgroup/a/b/cpu.max',
      '/sys/fs/cgroup/a/cpu.max',
      '/sys/fs/cgroup/cpu.max',
      '/sys/fs/cgroup/cpu/c/cpu.cfs_quota_us',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us',
    ]);
    assert.deepEqual(quotaFiles({ v2: '/' }), ['/sys/fs/cgroup/cpu.max']);
    // A path that climbs out is not followed.
    assert.deepEqual(quotaFiles({ v2: '/a/../../etc' }), []);
  });

  it('a quota is a number: cpu.max "max 100000" and cfs_quota_us "-1" are none', () => {
    assert.deepEqual(
      ['max 100000\n', '50000 100000\n', '-1\n', '200000\n', '', 'garbage', ' 5 '].map(isQuota),
      [false, true, false, true, false, false, true],
    );
  });

  it('applies when any level sets one; unreadable files are no known quota', () => {
    const files: Record<string, string> = {
      '/sys/fs/cgroup/a/b/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/a/cpu.max': '20000 100000\n',
    };
    assert.equal(
      quotaApplies({ v2: '/a/b' }, (f) => files[f]),
      true,
    );
    assert.equal(
      quotaApplies({ v2: '/a/b' }, () => undefined),
      false,
    );
    assert.equal(
      quotaApplies({ v1: '/k' }, (f) => (f.endsWith('cfs_quota_us') ? '-1\n' : undefined)),
      false,
    );
  });

  it('property: hostile /proc/self/cgroup text never throws, and every file stays under /sys/fs/cgroup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        for (const f of quotaFiles(cpuCgroups(text))) {
          assert.ok(f.startsWith('/sys/fs/cgroup/'), f);
          assert.ok(!f.split('/').includes('..'), f);
        }
      }),
    );
  });
});

describe('the rule as the docs state it', () => {
  it('docs/compat.md D19 states SCHEDULING_RULE word for word (the man page prints the constant)', () => {
    const compat = readFileSync(`${ROOT}docs/compat.md`, 'utf8');
    const d19 = compat.split('\n').find((l) => l.startsWith('| D19 |'));
    assert.ok(d19?.includes(SCHEDULING_RULE), 'D19 drifted from the rule');
    assert.ok(readFileSync(`${ROOT}dist/man/killall-ts.1`, 'utf8').includes('KILLALL_TS_NO_RT'));
  });
});
