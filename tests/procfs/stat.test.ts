import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commBounds, isKernelThread, parseStat } from '../../src/procfs/stat.js';

const line = (
  comm: Buffer | string,
  tail = 'S 1165 1200 1200 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 61909 0 0',
): Buffer =>
  Buffer.concat([
    Buffer.from('3 ('),
    Buffer.isBuffer(comm) ? comm : Buffer.from(comm, 'latin1'),
    Buffer.from(`) ${tail}\n`),
  ]);

describe('parseStat', () => {
  it('reads util-linux fixture with comm "foo )bar"', () => {
    const st = parseStat(line('foo )bar'))!;
    assert.equal(st.comm.toString(), 'foo )bar');
    assert.equal(st.ppid, 1165);
    assert.equal(st.startTime, '61909');
    assert.equal(st.state, 'S');
    assert.equal(st.pgrp, 1200);
  });

  it('is not spoofed by a comm that imitates fields', () => {
    const st = parseStat(line('zzr) S 1 (x'))!;
    assert.equal(st.comm.toString(), 'zzr) S 1 (x');
    assert.equal(st.ppid, 1165);
    assert.equal(st.startTime, '61909');
  });

  it('keeps newlines and invalid UTF-8 in comm', () => {
    const comm = Buffer.from([0x7a, 0x0a, 0xff, 0x28, 0x29]);
    const st = parseStat(line(comm))!;
    assert.deepEqual(st.comm, comm);
  });

  it('classifies kernel threads', () => {
    const st = parseStat(Buffer.from('2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0'))!;
    assert.equal(isKernelThread(st), true);
    assert.equal(isKernelThread(parseStat(line('bash'))!), false);
  });

  it('cuts comm at 63 bytes like psmisc', () => {
    const st = parseStat(line('k'.repeat(80)))!;
    assert.equal(st.comm.length, 63);
  });

  it('refuses garbage', () => {
    for (const bad of [
      '',
      'x',
      '1 (a',
      '1 a)',
      '1 (a) S',
      '1 (a) S x 1 1 0 -1 0 0 0 0 0 0 0 0 20 0 1 0 5',
      ')(',
    ]) {
      assert.equal(parseStat(Buffer.from(bad)), null, JSON.stringify(bad));
    }
  });

  it('property: reads every field right for any comm of up to 15 bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 15 }),
        fc.nat({ max: 4194304 }),
        fc.nat({ max: 4194304 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.constantFrom('R', 'S', 'D', 'Z', 'T', 'I'),
        (commArr, ppid, pgrp, start, state) => {
          const comm = Buffer.from(commArr);
          const buf = line(
            comm,
            `${state} ${ppid} ${pgrp} 7 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 ${start} 1 2`,
          );
          const st = parseStat(buf);
          assert.ok(st);
          assert.deepEqual(st.comm, comm);
          assert.equal(st.ppid, ppid);
          assert.equal(st.pgrp, pgrp);
          assert.equal(st.state, state);
          assert.equal(st.startTime, String(start));
          assert.deepEqual(commBounds(buf, buf.length), [3, 3 + comm.length]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(400), (bytes, len) => {
        const b = Buffer.from(bytes);
        parseStat(b, Math.min(len, b.length));
        commBounds(b, Math.min(len, b.length));
      }),
      { numRuns: 3000 },
    );
  });
});

import { ProcReader } from '../../src/procfs/reader.js';
import { realSystem } from '../../src/system.js';

describe('ProcReader.listPidNames', () => {
  it('orders PIDs numerically whatever the readdir order, without our own PID', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 4194304 }), { maxLength: 60 }), (pids) => {
        const names = [...pids.map(String), 'self', 'uptime', '0x', '00', String(realSystem.pid)];
        const sys = { ...realSystem, readdir: () => names };
        const want = pids
          .filter((p) => p !== realSystem.pid)
          .sort((a, b) => a - b)
          .map(String);
        assert.deepEqual(new ProcReader(sys).listPidNames(), want);
      }),
    );
  });
});

// The obvious reference: the text after the last ')' split on blanks; fields validated as the parser promises.
function referenceParse(buf: Buffer): { comm: string; fields: string[] } | null {
  const open = buf.indexOf(0x28);
  const close = buf.lastIndexOf(0x29);
  if (open < 0 || close <= open) return null;
  const f = buf
    .toString('latin1', close + 1)
    .split(/[ \n]+/)
    .filter((x) => x !== '');
  if (f.length < 20 || f[0]!.length !== 1) return null;
  for (const k of [1, 2, 3, 6, 19]) if (!/^[0-9]+$/.test(f[k]!)) return null;
  return { comm: buf.toString('latin1', open + 1, Math.min(close, open + 64)), fields: f };
}

describe('parseStat against a reference parser', () => {
  it('property: agrees on arbitrary and on realistic stat lines', () => {
    const realistic = fc
      .tuple(
        fc.uint8Array({ maxLength: 20 }),
        fc.array(
          fc.oneof(fc.nat().map(String), fc.constantFrom('-1', 'x', '', 'S', '18446744073709551615')),
          {
            minLength: 15,
            maxLength: 30,
          },
        ),
        fc.constantFrom(' ', '  ', '\n'),
      )
      .map(([comm, fields, sep]) =>
        Buffer.concat([Buffer.from('7 ('), Buffer.from(comm), Buffer.from(`) S ${fields.join(sep)}\n`)]),
      );
    fc.assert(
      fc.property(
        fc.oneof(
          realistic,
          fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)),
        ),
        (buf) => {
          const want = referenceParse(buf);
          const got = parseStat(buf);
          if (want === null) return assert.equal(got, null);
          assert.ok(got);
          assert.equal(got.comm.toString('latin1'), want.comm);
          assert.equal(got.state, want.fields[0]);
          assert.equal(got.ppid, Number(want.fields[1]));
          assert.equal(got.pgrp, Number(want.fields[2]));
          assert.equal(got.startTime, want.fields[19]);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
