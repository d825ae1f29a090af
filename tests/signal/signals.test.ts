import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  atoi,
  parseSignal,
  renderSignalList,
  SIGNAL_NAMES,
  signalName,
  signalNumber,
} from '../../src/signal/signals.js';
import { nsSkip } from '../helpers/ns.js';

describe('signal table', () => {
  it('has psmisc 23.6 x86_64 names and numbers', () => {
    assert.equal(SIGNAL_NAMES.length, 31);
    const table: [string, number][] = [
      ['HUP', 1],
      ['INT', 2],
      ['KILL', 9],
      ['USR1', 10],
      ['TERM', 15],
      ['STKFLT', 16],
      ['CHLD', 17],
      ['CONT', 18],
      ['STOP', 19],
      ['VTALRM', 26],
      ['POLL', 29],
      ['PWR', 30],
      ['SYS', 31],
    ];
    for (const [name, num] of table) {
      assert.equal(signalNumber(name), num, name);
      assert.equal(signalName(num), name);
    }
  });

  it('rejects the aliases psmisc rejects', () => {
    for (const name of [
      'IO',
      'IOT',
      'CLD',
      'RTMIN',
      'RTMIN+1',
      'UNUSED',
      'EXIT',
      'hup',
      'Hup',
      'sighup',
      '',
    ]) {
      assert.equal(signalNumber(name), undefined, name);
    }
  });

  it('parses like get_signal()', () => {
    const cases: [string, number | string][] = [
      ['9', 9],
      ['9abc', 9],
      ['15abc', 15],
      ['0', 0],
      ['99', 99],
      ['64', 64],
      ['KILL', 9],
      ['SIGKILL', 9],
      ['SIGTERM', 15],
      ['SIG9', '9'],
      ['SIG', ''],
      ['FOO', 'FOO'],
      ['SIGFOO', 'FOO'],
      ['hup', 'hup'],
      ['0x10', 0],
      ['4294967311', 15],
      ['99999999999999999999', -1],
    ];
    for (const [text, want] of cases) {
      const r = parseSignal(text);
      if (typeof want === 'number') assert.deepEqual(r, { ok: true, signal: want }, text);
      else assert.deepEqual(r, { ok: false, unknown: want }, text);
    }
  });

  it('atoi saturates and truncates like glibc', () => {
    assert.equal(atoi('12'), 12);
    assert.equal(atoi('  -3x'), -3);
    assert.equal(atoi('x'), 0);
    assert.equal(atoi('2147483648'), -2147483648);
  });

  it('-l text is byte-identical to psmisc', () => {
    const text = renderSignalList();
    assert.equal(text.length, 152);
    assert.equal(text.split('\n').length, 3);
    // psmisc runs only inside a private PID namespace, even for -l.
    if (existsSync('/usr/bin/killall') && !nsSkip) {
      const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '/usr/bin/killall', '-l'], {
        encoding: 'latin1',
      });
      assert.equal(text, r.stdout);
    }
  });
});
