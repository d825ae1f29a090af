import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCmdline, parseStatTimes, parseVmRssKiB } from '../../src/cli/pick/procinfo.js';

describe('picker /proc parsers', () => {
  it('stat: state, utime+stime and start time after the last paren', () => {
    const stat = Buffer.from(
      '42 (a) b) (c) S 1 42 42 0 -1 4194560 100 0 0 0 7 5 0 0 20 0 1 0 123456 1000 200 18446744073709551615\n',
    );
    assert.deepEqual(parseStatTimes(stat), {
      state: 'S',
      cpuTicks: 12,
      startTime: '123456',
      startTicks: 123456,
    });
    assert.equal(parseStatTimes(Buffer.from('42 (x S 1')), null);
    assert.equal(parseStatTimes(Buffer.from('42 (x) S 1 2 3')), null);
  });
  it('status: VmRSS in kB', () => {
    assert.equal(parseVmRssKiB(Buffer.from('Name:\tx\nVmRSS:\t    1234 kB\nThreads: 1\n')), 1234);
    assert.equal(parseVmRssKiB(Buffer.from('Name:\tkthreadd\n')), undefined);
  });
  it('cmdline: arguments joined, escaped, trailing NULs gone', () => {
    assert.equal(
      formatCmdline(Buffer.from('node\0/srv/app.js\0--port\x1b[2J\0\0')),
      'node /srv/app.js --port?[2J',
    );
    assert.equal(formatCmdline(Buffer.from('')), '');
  });
  it('never throw on hostile bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        parseStatTimes(b);
        parseVmRssKiB(b);
        const c = formatCmdline(b);
        assert.equal(/[\x00-\x1f\x7f-\x9f]/.test(c), false);
      }),
    );
  });
});
