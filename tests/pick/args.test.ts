import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parsePickArgs } from '../../src/cli/pick/args.js';
import { runCli } from '../../src/cli/run.js';
import { FakeSystem } from '../helpers/fake-system.js';

const env = { posixlyCorrect: false, lookupUser: (n: string) => (n === 'deploy' ? 1001 : undefined) };

describe('--pick arguments (interim, through psmisc parser)', () => {
  it('no NAME means every process; the other options select and set the initial choices', () => {
    const all = parsePickArgs([], env);
    assert.equal(all.kind, 'pick');
    if (all.kind === 'pick') {
      assert.deepEqual(all.options.criteria.names, []);
      assert.equal(all.options.signal, 15);
    }
    const r = parsePickArgs(['-u', 'deploy', '-s', 'KILL', '-g', '-w', 'node', '-r'], env);
    assert.equal(r.kind, 'pick');
    if (r.kind === 'pick') {
      assert.equal(r.options.criteria.user, 1001);
      assert.equal(r.options.criteria.regexp, true);
      assert.deepEqual(
        r.options.criteria.names?.map((n) => Buffer.from(n).toString()),
        ['node'],
      );
      assert.equal(r.options.signal, 9);
      assert.equal(r.options.processGroup, true);
      assert.equal(r.options.wait, true);
      assert.equal(r.options.criteria.kernelThreads, false);
      assert.equal(r.options.criteria.excludeAncestors, true);
    }
    const only = parsePickArgs(['-9'], env);
    assert.ok(only.kind === 'pick' && only.options.signal === 9 && only.options.criteria.names?.length === 0);
  });
  it('errors: -i, -l, an unknown user, a bad option', () => {
    const msg = (a: string[]) => {
      const r = parsePickArgs(a, env);
      return r.kind === 'error' ? [r.message, r.usage] : null;
    };
    assert.deepEqual(msg(['-i']), ['killall-ts: --pick cannot be combined with -i', false]);
    assert.deepEqual(msg(['-l']), ['killall-ts: --pick cannot be combined with -l or -V', false]);
    assert.deepEqual(msg(['-u', 'nobody-here']), ['Cannot find user nobody-here', false]);
    assert.equal(msg(['-x'])?.[1], true);
  });
  it('runCli dispatches a leading --pick to the picker, which refuses without a terminal', async () => {
    let err = '';
    const code = await runCli(['--pick'], {
      out: {
        write: (fd, d) => {
          if (fd === 2) err += String(d);
        },
      },
      stdin: () => new PassThrough(),
      env: {},
      system: new FakeSystem([{ pid: 10, comm: 'x' }]),
      version: '0',
    });
    assert.equal(code, 1);
    assert.equal(err, 'killall-ts: --pick needs a terminal on stdin and stdout\n');
  });
});
