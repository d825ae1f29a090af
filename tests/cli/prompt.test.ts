import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ask, classifyAnswer, LineSource } from '../../src/cli/prompt.js';

describe('-i answers (rpmatch in the C locale)', () => {
  it('classifies like psmisc', () => {
    const cases: [string | null, string][] = [
      ['y', 'yes'],
      ['Y', 'yes'],
      ['yes', 'yes'],
      ['yy', 'yes'],
      ['Yxyz', 'yes'],
      ['n', 'no'],
      ['No', 'no'],
      ['', 'no'],
      [null, 'no'],
      ['x', 'again'],
      [' y', 'again'],
      ['1', 'again'],
      ['+', 'again'],
    ];
    for (const [line, want] of cases) assert.equal(classifyAnswer(line), want, JSON.stringify(line));
  });
  it('asks again until yes or no, and EOF is no for every later prompt', async () => {
    const input = new PassThrough();
    const src = new LineSource(input);
    input.end('x\nmaybe\ny\n');
    let shown = 0;
    assert.equal(await ask(src, () => shown++), true);
    assert.equal(shown, 3);
    assert.equal(await ask(src, () => shown++), false);
    assert.equal(await ask(src, () => shown++), false);
    assert.equal(shown, 5);
    src.close();
  });
  it('a last line without newline still counts', async () => {
    const input = new PassThrough();
    const src = new LineSource(input);
    input.end('y');
    assert.equal(await ask(src, () => {}), true);
    src.close();
  });
});
