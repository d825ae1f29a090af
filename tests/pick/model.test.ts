import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  initialState,
  type Key,
  onScreen,
  type PickRow,
  type PickState,
  press,
  rowId,
  withRows,
  withSamples,
} from '../../src/cli/pick/model.js';

const row = (pid: number, name: string, startTime = String(pid * 10)): PickRow => ({
  pid,
  startTime,
  comm: Buffer.from(name),
  ppid: 1,
  name,
  user: 'root',
  cmdline: name,
});

const PAGE = 5;
const caps = { tree: false, escalation: false };
function keys(s: PickState, ...seq: (string | Key)[]): [PickState, string] {
  let action = 'none';
  for (const k of seq) {
    const key: Key =
      typeof k === 'string'
        ? k.length === 1
          ? { name: k === ' ' ? 'space' : k, sequence: k }
          : { name: k }
        : k;
    const str = typeof k === 'string' && k.length === 1 ? k : undefined;
    [s, action] = press(s, str, key, PAGE);
    if (action !== 'none') break;
  }
  return [s, action];
}

const rows = [row(1, 'alpha'), row(2, 'beta'), row(3, 'gamma'), row(4, 'delta'), row(5, 'alpine')];

describe('picker keys and refreshes', () => {
  it('typing narrows, backspace and ctrl-u widen', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    [s] = keys(s, 'a', 'l');
    assert.deepEqual(
      s.view.map((r) => r.row.pid),
      [1, 5],
    );
    [s] = keys(s, 'backspace');
    assert.equal(s.query, 'a');
    [s] = keys(s, { name: 'u', ctrl: true });
    assert.equal(s.view.length, 5);
  });
  it('space marks and moves down; enter asks about the marked ones; y sends', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    let a: string;
    [s] = keys(s, 'down', ' ', ' ');
    assert.deepEqual([...s.marks], [rowId(rows[1]!), rowId(rows[2]!)]);
    [s, a] = keys(s, 'return');
    assert.equal(a, 'none');
    assert.equal(s.mode, 'confirm');
    assert.deepEqual(
      s.chosen.map((r) => r.pid),
      [2, 3],
    );
    [s, a] = keys(s, 'x');
    assert.equal(a, 'none', 'other keys do not answer');
    [, a] = keys(s, 'y');
    assert.equal(a, 'send');
  });
  it('enter without marks takes the row under the cursor; n, Esc and Ctrl-C quit', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    [s] = keys(s, 'down', 'down', 'return');
    assert.deepEqual(
      s.chosen.map((r) => r.pid),
      [3],
    );
    assert.equal(keys(s, 'n')[1], 'quit');
    assert.equal(keys(s, 'escape')[1], 'quit');
    assert.equal(keys(s, { name: 'c', ctrl: true })[1], 'quit');
    const fresh = withRows(initialState({}, caps), rows, PAGE);
    assert.equal(keys(fresh, 'escape')[1], 'quit');
  });
  it('a refresh keeps the cursor and the marks; an exited process leaves, and so does its mark', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    [s] = keys(s, ' ', ' ', 'down');
    assert.equal(s.cursorId, rowId(rows[3]!));
    // beta exits; a new process appears before delta.
    s = withRows(
      s,
      [rows[0]!, row(3, 'gamma'), row(4, 'delta'), row(9, 'newbie'), rows[4]!].sort((a, b) => a.pid - b.pid),
      PAGE,
    );
    assert.equal(s.cursorId, rowId(rows[3]!));
    assert.equal(s.view[s.cursor]!.row.pid, 4);
    assert.deepEqual([...s.marks], [rowId(rows[0]!)]);
  });
  it('a PID reused by a newcomer is another row: its mark does not carry over', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    [s] = keys(s, ' ');
    s = withRows(s, [row(1, 'alpha', '99999'), ...rows.slice(1)], PAGE);
    assert.equal(s.marks.size, 0);
    [s] = keys(s, 'up', 'return');
    assert.equal(
      s.chosen[0]!.startTime,
      '99999',
      'the cursor row, the newcomer, is what the confirmation names',
    );
  });
  it('Tab cycles TERM, KILL, HUP, INT; ^S takes any table name or number', () => {
    let s = withRows(initialState({}, caps), rows, PAGE);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      [s] = keys(s, 'tab');
      seen.push(s.choices.signal);
    }
    assert.deepEqual(seen, [9, 1, 2, 15]);
    [s] = keys(s, { name: 's', ctrl: true }, 'U', 'S', 'R', '1', 'return');
    assert.equal(s.choices.signal, 10);
    [s] = keys(s, { name: 's', ctrl: true }, 'S', 'I', 'G', 'W', 'I', 'N', 'C', 'H', 'return');
    assert.equal(s.choices.signal, 28);
    [s] = keys(s, { name: 's', ctrl: true }, '1', '2', 'return');
    assert.equal(s.choices.signal, 12);
    [s] = keys(s, { name: 's', ctrl: true }, 'X', 'return');
    assert.equal(s.choices.signal, 12);
    assert.match(s.message, /unknown signal/);
  });
  it('tree and kill-after switches say they are unavailable without the library support', () => {
    let s = withRows(initialState({ tree: true }, caps), rows, PAGE);
    assert.equal(s.choices.tree, false);
    [s] = keys(s, { name: 't', ctrl: true });
    assert.equal(s.choices.tree, false);
    assert.match(s.message, /not available/);
    let t = withRows(initialState({}, { tree: true, escalation: true }), rows, PAGE);
    [t] = keys(t, { name: 't', ctrl: true }, { name: 'k', ctrl: true });
    assert.equal(t.choices.tree, true);
    assert.equal(t.choices.escalate, true);
    [t] = keys(t, 'tab');
    assert.equal(t.choices.signal, 9);
    assert.equal(t.choices.escalate, false, 'nothing to escalate after KILL');
  });
  it('PgDn/PgUp/End/Home move by pages and scroll', () => {
    const many = Array.from({ length: 23 }, (_, i) => row(i + 1, `p${i}`));
    let s = withRows(initialState({}, caps), many, PAGE);
    [s] = keys(s, 'pagedown');
    assert.equal(s.cursor, 5);
    assert.equal(s.top, 1);
    [s] = keys(s, 'end');
    assert.equal(s.cursor, 22);
    assert.equal(s.top, 18);
    [s] = keys(s, 'pageup', 'home');
    assert.equal(s.cursor, 0);
    assert.equal(s.top, 0);
  });
  it('samples replace the rows of the same instance only; cursor, marks and order stay', () => {
    const many = Array.from({ length: 12 }, (_, i) => row(i + 1, `p${i}`));
    let s = withRows(initialState({}, caps), many, PAGE);
    [s] = keys(s, 'down', ' ', 'pagedown');
    const [cursor, top, marks] = [s.cursor, s.top, [...s.marks]];
    const shown = onScreen(s, PAGE);
    assert.deepEqual(
      shown.map((r) => r.pid),
      [4, 5, 6, 7, 8],
    );
    const sampled = [
      { ...shown[0]!, user: 'alice', cpu: 12.5 },
      // PID 5 reused by another process: its sample must not replace the old instance's row.
      { ...row(5, 'newcomer', '999'), user: 'bob' },
    ];
    const t = withSamples(s, sampled);
    assert.deepEqual([t.cursor, t.top, [...t.marks]], [cursor, top, marks]);
    assert.deepEqual(
      t.view.map((v) => v.row.pid),
      s.view.map((v) => v.row.pid),
    );
    assert.equal(t.rows[3]!.user, 'alice');
    assert.equal(t.view[3]!.row.cpu, 12.5);
    assert.equal(t.rows[4]!.name, 'p4');
    assert.equal(t.rows[4]!.user, 'root');
    assert.equal(withSamples(s, []), s);
  });
});
