/**
 * Identity on live processes, in private PID namespaces: 300 processes that ignore SIGTERM and rename themselves on
 * it (more than the 256 wait pins, so that the last 44 are waited on by PID and start time). A rename is not an
 * exit: `-w` waits for every one, `--kill-after` kills every one, through pidfds and through the kill(2) fallback.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compiledHelper, nsSkip, OURS, runInNamespace } from '../helpers/ns.js';

const N = 300;
const crowd = (mode: 'kill-after' | 'wait', noPidfd = false) =>
  runInNamespace(
    'rename-runner.js',
    [compiledHelper('renamer'), OURS, mode, String(N), ...(noPidfd ? ['1'] : [])],
    300_000,
  );

describe('identity: processes that rename themselves on SIGTERM (300, past the 256 wait pins)', {
  skip: nsSkip,
  concurrency: 1,
}, () => {
  it('--kill-after 1s kills all 300 and exits 0', () => {
    const r = crowd('kill-after');
    assert.equal(r.crowd, N);
    assert.deepEqual([r.rc, r.alive, r.output], [0, 0, '']);
  });

  it('--kill-after 1s through the kill(2) fallback (KILLALL_TS_NO_PIDFD) kills all 300 and exits 0', () => {
    const r = crowd('kill-after', true);
    assert.equal(r.crowd, N);
    assert.deepEqual([r.rc, r.alive, r.output], [0, 0, '']);
  });

  it('-w returns only after the last of them is gone, not when the first 256 are', () => {
    const r = crowd('wait');
    assert.equal(r.crowd, N);
    assert.equal(r.renamedAll, true, 'every one renamed itself on SIGTERM');
    assert.equal(r.lateAlive, N - 256, 'the last ones were alive when the others had gone');
    assert.equal(r.returnedEarly, false, 'killall -w returned while renamed targets were alive');
    assert.deepEqual([r.rc, r.output], [0, '']);
  });
});
