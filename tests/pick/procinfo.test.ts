import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatCmdline,
  parsePasswdUids,
  parseSocketTable,
  parseStatTimes,
  parseVmRssKiB,
  socketInode,
} from '../../src/cli/pick/procinfo.js';

describe('picker /proc parsers', () => {
  it('stat: utime+stime and start time after the last paren', () => {
    const stat = Buffer.from(
      '42 (a) b) (c) S 1 42 42 0 -1 4194560 100 0 0 0 7 5 0 0 20 0 1 0 123456 1000 200 18446744073709551615\n',
    );
    assert.deepEqual(parseStatTimes(stat), { cpuTicks: 12, startTime: '123456', startTicks: 123456 });
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
  it('passwd: uid to the first name', () => {
    const m = parsePasswdUids(
      'root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\nbad\nnobody:x:65534:65534::/:/bin/false\n',
    );
    assert.equal(m.get(0), 'root');
    assert.equal(m.get(65534), 'nobody');
  });
  it('socket tables: listening TCP and bound UDP, by inode', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0
   1: 0100007F:A000 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 6666 1 0000000000000000 20 4 30 10 -1
`;
    const udp = `   sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  123: 00000000000000000000000000000000:14E9 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000   100        0 7777 2 0000000000000000 0
`;
    const m = parseSocketTable(tcp, 'tcp');
    parseSocketTable(udp, 'udp', m);
    assert.deepEqual(
      [...m.entries()],
      [
        ['5555', { port: 8080, proto: 'tcp' }],
        ['7777', { port: 5353, proto: 'udp' }],
      ],
    );
    assert.equal(socketInode('socket:[5555]'), '5555');
    assert.equal(socketInode('pipe:[5555]'), undefined);
  });
  it('never throw on hostile bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        parseStatTimes(b);
        parseVmRssKiB(b);
        const c = formatCmdline(b);
        assert.equal(/[\x00-\x1f\x7f-\x9f]/.test(c), false);
        parseSocketTable(Buffer.from(b).toString('latin1'), 'tcp');
        parsePasswdUids(Buffer.from(b).toString('latin1'));
      }),
    );
  });
});
