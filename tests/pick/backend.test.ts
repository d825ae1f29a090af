import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libraryBackend, outcomesOf, type SignalChoice } from '../../src/cli/pick/backend.js';
import { colorWanted, renderResults } from '../../src/cli/pick/index.js';
import type { KillReport, Target } from '../../src/killall.js';
import { FakeSystem } from '../helpers/fake-system.js';

const choice: SignalChoice = {
  signal: 15,
  tree: false,
  escalate: false,
  killAfterMs: 5000,
  processGroup: false,
  wait: false,
  dryRun: false,
};

describe('picker backend over the library (fake /proc)', () => {
  it('lists the selected processes with their identity, and signals the chosen ones through pins', async () => {
    const sys = new FakeSystem([
      { pid: 10, comm: 'alpha', cmdline: ['alpha', '--x'], startTime: 500 },
      { pid: 11, comm: 'beta', cmdline: ['beta'], startTime: 600 },
    ]);
    const b = libraryBackend({ system: sys }, sys, 0);
    const rows = await b.list({ ports: false });
    assert.deepEqual(
      rows.map((r) => [r.pid, r.startTime, r.name, r.cmdline]),
      [
        [10, '500', 'alpha', 'alpha --x'],
        [11, '600', 'beta', 'beta'],
      ],
    );
    const out = await b.signal([rows[1]!], choice);
    assert.equal(out[0]!.kind, 'signalled');
    assert.deepEqual(sys.pidfdSends, [[11, 15]]);
    assert.deepEqual(sys.kills, []);
  });
  it('a chosen process whose PID was reused by a newcomer is never signalled', async () => {
    for (const pidfd of ['ok', 'ENOSYS'] as const) {
      const sys = new FakeSystem([{ pid: 10, comm: 'alpha', startTime: 500 }], { pidfd });
      const b = libraryBackend({ system: sys }, sys, 0);
      const [r] = await b.list({ ports: false });
      sys.reuse(10, 'alpha');
      const out = await b.signal([r!], choice);
      assert.equal(out[0]!.kind, 'gone', pidfd);
      assert.deepEqual(sys.pidfdSends, []);
      assert.deepEqual(
        sys.kills.filter(([, s]) => s !== 0),
        [],
      );
    }
  });
  it('dry run sends nothing and says what would be, descendants included', async () => {
    const sys = new FakeSystem([
      { pid: 10, comm: 'alpha', startTime: 500 },
      { pid: 11, comm: 'kid', startTime: 600, ppid: 10 },
    ]);
    const b = libraryBackend({ system: sys, names: ['alpha'] }, sys, 0);
    assert.deepEqual(b.caps, { tree: true, escalation: true });
    const rows = await b.list({ ports: false });
    const out = await b.signal(rows, { ...choice, dryRun: true, tree: true });
    assert.equal(out[0]!.kind, 'dry-run');
    assert.deepEqual(out[0]!.descendants, { signalled: 1, failed: 0, stillRunning: 0 });
    assert.deepEqual(sys.pidfdSends, []);
    assert.match(
      renderResults(out, { ...choice, dryRun: true, tree: true }),
      /^Would send TERM to the trees \(dry run, nothing sent\):\n {2}alpha\(10\): would be signalled \(1 descendant would be too\)\n$/,
    );
  });
  it('a tree: the chosen process and its descendants are signalled, each through its pin', async () => {
    const sys = new FakeSystem([
      { pid: 10, comm: 'alpha', startTime: 500 },
      { pid: 11, comm: 'kid', startTime: 600, ppid: 10 },
      { pid: 12, comm: 'grandkid', startTime: 700, ppid: 11 },
      { pid: 13, comm: 'other', startTime: 800 },
    ]);
    const b = libraryBackend({ system: sys, names: ['alpha'] }, sys, 0);
    const rows = await b.list({ ports: false });
    const out = await b.signal(rows, { ...choice, tree: true });
    assert.equal(out[0]!.kind, 'signalled');
    assert.equal(out[0]!.descendants?.signalled, 2);
    assert.deepEqual(sys.pidfdSends.map(([p]) => p).sort(), [10, 11, 12]);
  });
});

describe('outcomes from a signalProcesses report', () => {
  const row = (pid: number, name: string) => ({
    pid,
    startTime: String(pid * 100),
    comm: Buffer.from(name),
    ppid: 1,
    name,
    user: 'u',
    cmdline: name,
  });
  const target = (pid: number, extra: Partial<Target> = {}): Target => ({
    pid,
    comm: Buffer.from('x'),
    name: Buffer.from('x'),
    commText: 'x',
    nameText: 'x',
    nameIndex: -1,
    startTime: String(pid * 100),
    ...extra,
  });
  const report = (r: Partial<KillReport>): KillReport => ({
    signal: 15,
    names: [],
    signalled: [],
    failed: [],
    declined: [],
    refused: [],
    unreadable: 0,
    ok: true,
    dryRun: false,
    planned: [],
    escalated: [],
    escalationFailed: [],
    stillRunning: [],
    ...r,
  });
  it('signalled, escalated, KILL failed, failed, gone; descendants counted, an exited one (ESRCH) no failure', () => {
    const rows = [row(1, 'a'), row(2, 'b'), row(3, 'c'), row(4, 'd'), row(5, 'e')];
    const out = outcomesOf(
      rows,
      report({
        signalled: [target(1), target(2), target(3), target(10, { descendantOf: 1 })],
        escalated: [{ target: target(2), afterMs: 1000 }],
        escalationFailed: [{ target: target(3), code: 'EPERM' }],
        failed: [
          { target: target(4), code: 'EPERM' },
          { target: target(11, { descendantOf: 1 }), code: 'ESRCH' },
          { target: target(12, { descendantOf: 1 }), code: 'EPERM' },
        ],
        stillRunning: [target(10, { descendantOf: 1 })],
      }),
      () => null,
    );
    assert.deepEqual(
      out.map((o) => [o.row.pid, o.kind, o.code, o.stillRunning, o.descendants]),
      [
        [1, 'signalled', undefined, false, { signalled: 1, failed: 1, stillRunning: 1 }],
        [2, 'escalated', undefined, false, undefined],
        [3, 'escalation-failed', 'EPERM', true, undefined],
        [4, 'failed', 'EPERM', true, undefined],
        [5, 'gone', undefined, false, undefined],
      ],
    );
    assert.equal(
      renderResults(out, { ...choice, tree: true, escalate: true, killAfterMs: 1000 }),
      [
        'Sent TERM to the trees, KILL after 1s:',
        '  a(1): signalled, exited (1 descendant signalled, 1 still running, 1 descendant failed)',
        '  b(2): signalled, escalated to KILL, exited',
        '  c(3): signalled, still running; KILL failed: Operation not permitted',
        '  d(4): failed: Operation not permitted',
        '  e(5): not signalled: it exited, or its PID was reused',
        '',
      ].join('\n'),
    );
  });
});

describe('picker -g, colour and result lines', () => {
  it('-g signals each chosen process group once, never group 1', async () => {
    const sys = new FakeSystem([
      { pid: 10, comm: 'a', startTime: 500, pgrp: 10 },
      { pid: 11, comm: 'b', startTime: 600, pgrp: 10 },
      { pid: 12, comm: 'c', startTime: 700, pgrp: 1 },
    ]);
    const b = libraryBackend({ system: sys }, sys, 0);
    const rows = await b.list({ ports: false });
    const out = await b.signal(rows, { ...choice, processGroup: true, dryRun: false });
    assert.deepEqual(
      out.map((o) => [o.row.pid, o.kind, o.pgid]),
      [
        [10, 'signalled', 10],
        [11, 'signalled', 10],
        [12, 'refused', 1],
      ],
    );
    assert.deepEqual(
      sys.kills.filter(([, s]) => s !== 0),
      [[-10, 15]],
    );
  });
  it('colour: not with NO_COLOR, TERM=dumb, or a terminal without colours', () => {
    const depth = (d: number) => ({ getColorDepth: () => d });
    assert.equal(colorWanted({ TERM: 'xterm' }, depth(8)), true);
    assert.equal(colorWanted({ TERM: 'xterm', NO_COLOR: '1' }, depth(8)), false);
    assert.equal(colorWanted({ TERM: 'xterm', NO_COLOR: '' }, depth(8)), true);
    assert.equal(colorWanted({ TERM: 'dumb' }, depth(8)), false);
    assert.equal(colorWanted({ TERM: 'vt100' }, depth(1)), false);
  });
  it('result lines name each process and what happened to it', () => {
    const r = (pid: number, name: string) => ({
      pid,
      startTime: '1',
      comm: Buffer.from(name),
      ppid: 1,
      name,
      user: 'u',
      cmdline: name,
    });
    const text = renderResults(
      [
        { row: r(1, 'a'), kind: 'signalled', stillRunning: false },
        { row: r(2, 'b'), kind: 'signalled', stillRunning: true },
        { row: r(3, 'c'), kind: 'failed', code: 'EPERM', stillRunning: true },
        { row: r(4, 'd'), kind: 'gone', stillRunning: false },
      ],
      choice,
    );
    assert.equal(
      text,
      [
        'Sent TERM:',
        '  a(1): signalled, exited',
        '  b(2): signalled, still running',
        '  c(3): failed: Operation not permitted',
        '  d(4): not signalled: it exited, or its PID was reused',
        '',
      ].join('\n'),
    );
  });
});
