import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { libraryBackend, type SignalChoice } from '../../src/cli/pick/backend.js';
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
  it('dry run sends nothing; trees and escalation are refused without the library of issue 8', async () => {
    const sys = new FakeSystem([{ pid: 10, comm: 'alpha', startTime: 500 }]);
    const b = libraryBackend({ system: sys }, sys, 0);
    assert.deepEqual(b.caps, { tree: false, escalation: false });
    const rows = await b.list({ ports: false });
    const out = await b.signal(rows, { ...choice, dryRun: true });
    assert.equal(out[0]!.kind, 'dry-run');
    assert.deepEqual(sys.pidfdSends, []);
    await assert.rejects(b.signal(rows, { ...choice, tree: true }), /issue 8/);
  });
});
