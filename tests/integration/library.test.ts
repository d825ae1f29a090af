/** The library as a consumer imports it (`killall-ts`), against real processes in a private PID namespace. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as api from 'killall-ts';
import { nsSkip, runInNamespace, scenarioDir, victimBinary } from '../helpers/ns.js';

describe('library', () => {
  it('the package entry exports the documented API', () => {
    for (const name of [
      'killall',
      'findProcesses',
      'KillallError',
      'compileEre',
      'parseStat',
      'validatePid',
      'waitForExit',
      'escapeName',
      'realSystem',
      'renderSignalList',
    ]) {
      assert.equal(
        typeof (api as Record<string, unknown>)[name],
        name === 'realSystem' ? 'object' : 'function',
        name,
      );
    }
  });

  it('T1 live: a comm that imitates stat fields does not spoof ppid; killall() reports per NAME and waits', {
    skip: nsSkip,
  }, () => {
    const dir = scenarioDir();
    mkdirSync(dir, { recursive: true });
    try {
      // biome-ignore lint/suspicious/noExplicitAny: JSON facts from the runner.
      const out = runInNamespace('library-runner.js', [victimBinary(), dir]) as any;
      assert.equal(out.spoof.length, 1);
      assert.equal(out.spoof[0].comm, 'hx7) S 1 (x');
      assert.equal(out.spoof[0].ppid, out.shPid, 'the real parent, not the 1 the name imitates');
      assert.notEqual(out.shPid, 1);
      assert.equal(out.spoof[0].kernelThread, false);
      assert.equal(out.regexCount, 1);
      assert.deepEqual(out.report, {
        signal: 10,
        ok: false,
        found: [true, false],
        signalled: [out.spoof[0].pid],
        remaining: 0,
      });
      assert.deepEqual(out.record, ['10']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
