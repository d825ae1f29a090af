import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  columnsFor,
  confirmText,
  humanAge,
  humanKiB,
  MARKER_WIDTH,
  renderFrame,
  renderRow,
} from '../../src/cli/pick/layout.js';
import { initialState, type PickRow, type Ranked, withRows } from '../../src/cli/pick/model.js';
import { formatCmdline } from '../../src/cli/pick/procinfo.js';
import { cellText, fit, textWidth } from '../../src/cli/pick/width.js';
import { escapeName } from '../../src/text/escape.js';

const SGR = /\x1b\[[0-9;]*m/g;
const plain = (s: string): string => s.replace(SGR, '');

const row = (over: Partial<PickRow> = {}): PickRow => ({
  pid: 4242,
  startTime: '1',
  comm: Buffer.from('x'),
  ppid: 1,
  name: 'nginx',
  user: 'www-data',
  cpu: 1.5,
  rssKiB: 20480,
  ageSec: 4000,
  ports: [{ port: 8080, proto: 'tcp' }],
  cmdline: 'nginx: worker process',
  ...over,
});

describe('row layout', () => {
  it('columns at common widths', () => {
    const keys = (w: number, p = true): string =>
      columnsFor(w, p)
        .map((c) => `${c.key}:${c.width}`)
        .join(' ');
    assert.equal(keys(80), 'pid:7 user:8 cpu:5 rss:6 age:5 ports:9 name:10 cmdline:20');
    assert.equal(keys(80, false), 'pid:7 user:8 cpu:5 rss:6 age:5 name:14 cmdline:26');
    assert.equal(keys(40), 'pid:7 user:8 cpu:5 name:8 cmdline:5');
    assert.equal(keys(20), 'pid:7 name:8');
    assert.equal(keys(200, true).split(' ').at(-1), 'cmdline:126');
  });
  it('a row at 80 columns', () => {
    const r: Ranked = { row: row(), score: 0, positions: [] };
    const line = renderRow(r, columnsFor(80, true), 80, { cursor: true, marked: true }, { color: false });
    assert.equal(line, '>*    4242 www-data   1.5    20M    1h :8080     nginx      nginx: worker proce…');
    assert.equal(line.length, 80);
  });
  it('sizes and ages', () => {
    assert.deepEqual([0, 900, 1024, 1536, 10 * 1024, 1024 * 1024 * 3].map(humanKiB), [
      '0K',
      '900K',
      '1.0M',
      '1.5M',
      '10M',
      '3.0G',
    ]);
    assert.deepEqual([0, 59, 60, 3599, 3600, 86400, 400 * 86400, -1].map(humanAge), [
      '0s',
      '59s',
      '1m',
      '59m',
      '1h',
      '1d',
      '1y',
      '-',
    ]);
  });
  it('fit cuts by cells, wide characters included, and marks the cut', () => {
    assert.deepEqual(fit('abcdef', 4).text, 'abc…');
    assert.deepEqual(fit('abc', 4).text, 'abc');
    assert.deepEqual(fit('日本語', 4).text, '日…');
    assert.equal(fit('日本語', 4).width, 3);
    assert.equal(textWidth(cellText('a\u0301\u202eb')), 4);
  });
  it('the confirmation keeps its question visible: names are cut first', () => {
    let s = initialState({}, { tree: false, escalation: false });
    const many = Array.from({ length: 9 }, (_, i) =>
      row({ pid: 100 + i, startTime: String(i), name: `worker-${i}` }),
    );
    s = withRows(s, many, 10);
    s = { ...s, mode: 'confirm', chosen: many };
    const line = confirmText(s, 80);
    assert.ok(textWidth(line) <= 80);
    assert.match(line, /^Send TERM to 9 processes: worker-0\(100\), .*…\? \[y\/N\]$/);
    assert.equal(
      confirmText({ ...s, chosen: many.slice(0, 2) }, 80),
      'Send TERM to 2 processes: worker-0(100), worker-1(101)? [y/N]',
    );
    assert.equal(confirmText(s, 20), 'TERM to 9? [y/N]');
  });
  it('no colour: no escape sequence at all', () => {
    let s = initialState({}, { tree: false, escalation: false });
    s = withRows(
      s,
      [row(), row({ pid: 7, startTime: '2', name: cellText(escapeName(Buffer.from('a\x1bb\x9b2J'))) })],
      10,
    );
    const frame = renderFrame(s, 80, 24, { color: false }).join('\n');
    assert.equal(frame.includes('\x1b'), false);
    assert.match(frame, /a\?b\?2J/);
  });

  const hostileBytes = fc.uint8Array({ maxLength: 80 });
  const hostileText = fc.oneof(
    hostileBytes.map((b) => cellText(escapeName(b))),
    fc.string({ unit: 'binary', maxLength: 40 }).map((t) => cellText(escapeName(Buffer.from(t, 'utf8')))),
  );
  it('never exceeds the width, with hostile names and command lines, colour or not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 250 }),
        hostileText,
        hostileBytes,
        fc.string({ maxLength: 5 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (width, name, cmd, query, color, cursor, marked) => {
          const r = row({ name, cmdline: formatCmdline(cmd), user: name.slice(0, 12) });
          const ranked: Ranked = { row: r, score: 1, field: 'name', positions: [0, 1, 2, 5, 40] };
          for (const ports of [true, false]) {
            const line = renderRow(ranked, columnsFor(width, ports), width, { cursor, marked }, { color });
            const text = plain(line);
            assert.ok(textWidth(text) <= width, `${textWidth(text)} > ${width}`);
            assert.equal(/[\x00-\x1f\x7f-\x9f]/.test(text), false, 'a control character reached the screen');
          }
          let s = initialState({}, { tree: false, escalation: false });
          s = withRows(s, [r], 5);
          const frame = renderFrame({ ...s, query }, width, 6, { color });
          assert.ok(frame.length <= 6);
          for (const l of frame) assert.ok(textWidth(plain(l)) <= width);
          assert.ok(MARKER_WIDTH > 0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
