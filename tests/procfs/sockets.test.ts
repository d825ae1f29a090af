import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { eachSocket, parsePortName, socketInodes, socketLinkInode } from '../../src/procfs/sockets.js';

const HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const line = (sl: number, local: string, st: string, inode: string): string =>
  `  ${sl}: ${local} 00000000:0000 ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
const table = (text: string) => Buffer.from(text, 'latin1');

describe('port NAMEs', () => {
  it('parses :PORT, :PORT/tcp, :PORT/udp and refuses ports outside 1-65535', () => {
    assert.deepEqual(parsePortName(':3000'), { port: 3000, protocols: ['tcp', 'udp'] });
    assert.deepEqual(parsePortName(':53/udp'), { port: 53, protocols: ['udp'] });
    assert.deepEqual(parsePortName(':8080/tcp'), { port: 8080, protocols: ['tcp'] });
    assert.deepEqual(parsePortName(':065535'), { port: 65535, protocols: ['tcp', 'udp'] });
    for (const n of [':0', ':70000', ':65536', ':00', ':99999999999999999999'])
      assert.equal(parsePortName(n), 'out-of-range', n);
    for (const n of [
      '3000',
      ':',
      ':x',
      ':3000/sctp',
      ':3000/',
      ': 3000',
      ':-1',
      ':3000/TCP',
      'a:3000',
      ':3000\n',
    ])
      assert.equal(parsePortName(n), undefined, n);
  });
});

describe('/proc/net tables', () => {
  it('TCP: listening sockets of the port only; UDP: every bound socket of the port; IPv6 addresses too', () => {
    const tcp = table(
      HEADER +
        line(0, '00000000:0BB8', '0A', '1001') +
        line(1, '0100007F:0BB8', '01', '1002') +
        line(2, '0100007F:0BB9', '0A', '1003') +
        line(3, '00000000:0BB8', '06', '0'),
    );
    assert.deepEqual(socketInodes(tcp, tcp.length, 3000, true), ['1001']);
    assert.deepEqual(socketInodes(tcp, tcp.length, 3000, false), ['1001', '1002'], 'UDP rule: any state');
    const tcp6 = table(HEADER + line(0, '00000000000000000000000000000000:1F90', '0A', '77'));
    assert.deepEqual(socketInodes(tcp6, tcp6.length, 8080, true), ['77']);
    assert.deepEqual(socketInodes(tcp6, 10, 8080, true), [], 'only len bytes are read');
  });
  it("every bound socket of a table (the picker's PORTS column): port and inode, port 0 skipped", () => {
    const tcp = table(
      HEADER +
        line(0, '00000000:1F90', '0A', '5555') +
        line(1, '0100007F:A000', '01', '6666') +
        line(2, '00000000:0000', '0A', '6667'),
    );
    const seen: [number, string][] = [];
    eachSocket(tcp, tcp.length, true, (port, inode) => seen.push([port, inode]));
    assert.deepEqual(seen, [[8080, '5555']], 'TCP: listening only');
    const udp = table(HEADER + line(0, '00000000000000000000000000000000:14E9', '07', '07777'));
    const u: [number, string][] = [];
    eachSocket(udp, udp.length, false, (port, inode) => u.push([port, inode]));
    assert.deepEqual(u, [[5353, '7777']]);
  });
  it('socket:[INODE] links', () => {
    assert.equal(socketLinkInode(Buffer.from('socket:[12345]')), '12345');
    for (const l of [
      'pipe:[12]',
      'socket:[]',
      'socket:[12',
      '/dev/null',
      'socket:[1a]',
      'anon_inode:[eventpoll]',
    ])
      assert.equal(socketLinkInode(Buffer.from(l)), undefined, l);
  });
  it('property: generated tables give back exactly the listening inodes of the port', () => {
    const entry = fc.record({
      port: fc.integer({ min: 1, max: 65535 }),
      st: fc.constantFrom('0A', '01', '06', '07'),
      inode: fc.integer({ min: 0, max: 2 ** 31 }),
      v6: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.integer({ min: 1, max: 65535 }), (es, port) => {
        const text =
          HEADER +
          es
            .map((e, i) =>
              line(i, `${e.v6 ? '0'.repeat(32) : '00000000'}:${hex(e.port, 4)}`, e.st, String(e.inode)),
            )
            .join('');
        const want = es
          .filter((e) => e.port === port && e.st === '0A' && e.inode !== 0)
          .map((e) => String(e.inode));
        const b = table(text);
        assert.deepEqual(socketInodes(b, b.length, port, true), want);
      }),
      { numRuns: 1000 },
    );
  });
  it('property: never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.integer({ min: 0, max: 70000 }),
        fc.boolean(),
        (b, port, tcp) => {
          for (const inode of socketInodes(b, b.length, port, tcp)) assert.match(inode, /^[1-9]\d*$/);
          socketLinkInode(b);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
