/** The library as a consumer imports it (`killall-ts`), against real processes in a private PID namespace. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as api from 'killall-ts';
import { nsSkip, scenarioDir, victimBinary } from '../helpers/ns.js';

const RUNNER = fileURLToPath(new URL('../helpers/library-runner.js', import.meta.url));

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
      const r = spawnSync(
        'unshare',
        ['--pid', '--fork', '--mount-proc', process.execPath, RUNNER, victimBinary(), dir],
        {
          encoding: 'latin1',
          timeout: 30_000,
        },
      );
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      assert.equal(out.error, undefined, out.error);
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
