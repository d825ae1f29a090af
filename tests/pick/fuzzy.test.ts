import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bestField, caseSensitive, fuzzyMatch } from '../../src/cli/pick/fuzzy.js';
import { type PickRow, rank } from '../../src/cli/pick/model.js';

const row = (pid: number, name: string, cmdline = name, ports?: PickRow['ports']): PickRow => ({
  pid,
  startTime: String(1000 + pid),
  comm: Buffer.from(name.slice(0, 15)),
  ppid: 1,
  name,
  user: 'root',
  cmdline,
  ...(ports ? { ports } : {}),
});

describe('fuzzy matching', () => {
  it('matches a subsequence and reports the positions', () => {
    const cases: [string, string, number[] | null][] = [
      ['ngx', 'nginx', [0, 1, 4]],
      ['nginx', 'nginx', [0, 1, 2, 3, 4]],
      ['xn', 'nginx', null],
      ['', 'anything', []],
      ['abc', 'ab', null],
      ['NG', 'nginx', null],
      ['ng', 'NGINX', [0, 1]],
      ['pg', 'postgres', [0, 4]],
    ];
    for (const [q, t, want] of cases) {
      const m = fuzzyMatch(q, t);
      assert.deepEqual(m === null ? null : m.positions, want, `${q} in ${t}`);
    }
  });
  it('is smart-case: an uppercase letter makes the query case-sensitive', () => {
    assert.equal(caseSensitive('node'), false);
    assert.equal(caseSensitive('Node'), true);
    assert.notEqual(fuzzyMatch('node', 'NodeJS'), null);
    assert.equal(fuzzyMatch('Node', 'nodejs'), null);
  });
  it('scores word starts, runs and short windows higher', () => {
    const s = (q: string, t: string): number => fuzzyMatch(q, t)!.score;
    assert.ok(s('ngx', 'nginx') < s('ngi', 'nginx'), 'a run beats a gap');
    assert.ok(s('srv', 'my-srv') > s('srv', 'mysrvx'), 'after a separator beats mid-word');
    assert.ok(s('web', 'web') > s('web', 'webpack'), 'an exact whole match is best');
    assert.ok(s('cat', 'cat') > s('cat', 'c_a_t'), 'consecutive beats scattered');
  });
  it('takes the best field with its weight', () => {
    const m = bestField('db', [
      { text: 'xdxb', weight: 2 },
      { text: 'db', weight: 1 },
    ]);
    assert.equal(m?.field, 1);
  });
  it('positions are ascending indexes of the query characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 40 }), (q, t) => {
        const m = fuzzyMatch(q, t);
        if (!m) return;
        assert.equal(m.positions.length, q.length);
        const sensitive = caseSensitive(q);
        m.positions.forEach((p, i) => {
          if (i > 0) assert.ok(p > m.positions[i - 1]!);
          const a = t[p]!;
          const b = q[i]!;
          assert.ok(sensitive ? a === b : a.toLowerCase() === b.toLowerCase() || a === b);
        });
      }),
    );
  });
});

describe('ranking rows', () => {
  const rows = [
    row(10, 'postgres', 'postgres -D /var/lib/pg'),
    row(11, 'nginx', 'nginx: master process'),
    row(12, 'node', 'node /srv/app/server.js', [{ port: 3000, proto: 'tcp' }]),
    row(130, 'python3', 'python3 -m http.server 8000', [
      { port: 8000, proto: 'tcp' },
      { port: 5353, proto: 'udp' },
    ]),
    row(3000, 'sleep', 'sleep 3000'),
  ];
  const order = (q: string): number[] => rank(rows, q).map((r) => r.row.pid);
  it('table of queries and the order they give', () => {
    const cases: [string, number[]][] = [
      ['', [10, 11, 12, 130, 3000]],
      ['ng', [11]],
      ['pos', [10, 11, 130]],
      ['node', [12]],
      ['srv', [12, 130, 10]],
      [':3000', [12]],
      [':8', [130]],
      [':5353/udp', [130]],
      [':5353/tcp', []],
      [':', [12, 130]],
      ['3000', [3000, 130]],
      ['13', [130]],
      ['zzz', []],
    ];
    for (const [q, want] of cases) assert.deepEqual(order(q), want, q);
  });
  it('says which field matched, for highlighting', () => {
    assert.equal(rank(rows, 'ngx')[0]!.field, 'name');
    assert.equal(rank(rows, 'master')[0]!.field, 'cmdline');
    assert.equal(rank(rows, '130')[0]!.field, 'pid');
    const p = rank(rows, ':8000')[0]!;
    assert.equal(p.field, 'ports');
    assert.deepEqual(p.positions, [0, 1, 2, 3, 4]);
  });
  it('a process whose name the 15-byte comm truncates is found by its long name', () => {
    const long = row(20, 'my-very-long-daemon-name', 'my-very-long-daemon-name --x');
    assert.deepEqual(
      rank([long], 'daemonname').map((r) => r.row.pid),
      [20],
    );
  });
});
