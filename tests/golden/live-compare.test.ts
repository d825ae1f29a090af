/** The live differential's comparison: exact first, then only PIDs (as labels) and elapsed times are rewritten. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns, type LiveOutcome, labelPids, maskVarying } from './live-compare.js';

const outcome = (stderr: string, pids: Record<string, number>, signals = [15]): LiveOutcome => ({
  compared: { rc: 0, stdout: '', stderr, victims: { a: { signals, exit: 'SIGTERM' } } },
  pids: new Map(Object.entries(pids).map(([label, pid]) => [pid, label])),
});

describe('live differential comparison', () => {
  it('PIDs where killall prints them become labels; other numbers stay', () => {
    const pids = new Map([
      [15, 'a'],
      [9, 'b'],
    ]);
    assert.equal(
      labelPids(
        'Killed x(15) with signal 15\nKilled x(pgid 9) with signal 9\nKilled k(9) with signal 15 (descendant of 15)\n',
        pids,
      ),
      'Killed x({pid:a}) with signal 15\nKilled x(pgid {pid:b}) with signal 9\nKilled k({pid:b}) with signal 15 (descendant of {pid:a})\n',
    );
    assert.equal(
      labelPids('{"pid":15,"signal":15,"members":[15,9],"exitStatus":9} members=15,9 descendant-of=9', pids),
      '{"pid":{pid:a},"signal":15,"members":[{pid:a},{pid:b}],"exitStatus":9} members={pid:a},{pid:b} descendant-of={pid:b}',
    );
    assert.equal(labelPids('x(16) (1-65535)', pids), 'x(16) (1-65535)');
  });
  it('elapsed times are masked, fixed durations are not', () => {
    assert.equal(
      maskVarying(
        'SIGTERM x(5) user=root age=1m5s -- x\nKilled x(5) with signal 9 after 1.52s\nx(5): still running after 1s\n',
      ),
      'SIGTERM x(5) user=root age=<age> -- x\nKilled x(5) with signal 9 after <time>\nx(5): still running after 1s\n',
    );
    assert.equal(
      maskVarying('{"age":12.5,"afterMs":503,"elapsedMs":0,"killAfterMs":500}'),
      '{"age":<time>,"afterMs":<time>,"elapsedMs":<time>,"killAfterMs":500}',
    );
  });
  it('start times, and the stat records --explain quotes, are masked; other reads are not', () => {
    const explain = [
      'read(3, "5 (hx7a) S 1 5 5 0 -1 4194560 12"..., 4096) = 297',
      'pread64(3, "5 (hx7a) S 1 5 5 0 -1 4194560 12"..., 4096, 0) = 297',
      '# start time 1234 and comm read again after pinning',
      'read(4, "hx7a\\0--stay\\0", 4096) = 12',
      '{"pid":5,"startTime":"1234","age":0.5}',
    ].join('\n');
    assert.equal(
      maskVarying(explain),
      [
        'read(3, <stat record>, 4096) = <n>',
        'pread64(3, <stat record>, 4096, 0) = <n>',
        '# start time <start> and comm read again after pinning',
        'read(4, "hx7a\\0--stay\\0", 4096) = 12',
        '{"pid":5,"startTime":"<start>","age":<time>}',
      ].join('\n'),
    );
  });
  it('identical when equal; normalised when only the PIDs differ; different otherwise', () => {
    assert.equal(
      compareRuns(outcome('Killed x(5)\n', { a: 5 }), outcome('Killed x(5)\n', { a: 5 })),
      'identical',
    );
    assert.equal(
      compareRuns(outcome('Killed x(5)\n', { a: 5 }), outcome('Killed x(6)\n', { a: 6 })),
      'normalised',
    );
    // Another victim named, another signal received, another line: each is a difference.
    assert.equal(
      compareRuns(outcome('Killed x(5)\n', { a: 5, b: 6 }), outcome('Killed x(6)\n', { a: 5, b: 6 })),
      'different',
    );
    assert.equal(compareRuns(outcome('', { a: 5 }), outcome('', { a: 5 }, [9])), 'different');
    assert.equal(
      compareRuns(outcome('Killed x(5)\n', { a: 5 }), outcome('Killed x(5)\nmore\n', { a: 5 })),
      'different',
    );
  });
});
