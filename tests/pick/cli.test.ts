import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseArgv } from '../../src/cli/argv.js';
import { pickOptionsOf } from '../../src/cli/pick/cli.js';
import { runCli } from '../../src/cli/run.js';
import { renderUsage } from '../../src/cli/usage.js';
import { FakeSystem } from '../helpers/fake-system.js';

async function cli(args: string[], opts: { name?: 'killall' | 'killall-ts'; terminal?: boolean } = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: {
      write: (fd, d) => {
        const t = typeof d === 'string' ? d : Buffer.from(d).toString('latin1');
        if (fd === 2) err += t;
        else out += t;
      },
    },
    stdin: () => new PassThrough(),
    env: {},
    system: new FakeSystem([{ pid: 10, comm: 'x' }]),
    version: '0',
    programName: opts.name ?? 'killall',
    isTerminal: () => opts.terminal ?? false,
  });
  return { code, out, err };
}

const REFUSED = 'killall-ts: --pick needs a terminal on stdin and stdout\n';

describe('--pick dispatch (run.ts)', () => {
  it('--pick reaches the picker with the parsed options; without a terminal it refuses (exit 1)', async () => {
    assert.deepEqual(await cli(['--pick']), { code: 1, out: '', err: REFUSED });
    assert.deepEqual(await cli(['-u', 'root', '--pick', '-s', 'HUP']), { code: 1, out: '', err: REFUSED });
  });
  it('--pick with --json, --explain or -i: a clear error, exit 1, the picker never opens', async () => {
    for (const [args, what] of [
      [['--pick', '-i'], '-i'],
      [['--explain', '--pick'], '--explain'],
    ] as const) {
      const r = await cli([...args]);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`^killall: --pick cannot be combined with ${what} `));
      assert.equal(r.out, '');
    }
    const j = await cli(['--pick', '--json']);
    assert.equal(j.code, 1);
    assert.match(j.err, /^killall: --pick cannot be combined with --json /);
    assert.equal(JSON.parse(j.out).error.code, 'BAD_OPTION', 'with --json the error is a JSON document too');
  });
  it('killall-ts alone on a terminal opens the picker; off a terminal, and killall alone always, psmisc usage', async () => {
    assert.deepEqual(await cli([], { name: 'killall-ts', terminal: true }), {
      code: 1,
      out: '',
      err: REFUSED,
    });
    const usage = renderUsage(undefined);
    for (const o of [
      { name: 'killall-ts', terminal: false },
      { name: 'killall', terminal: true },
      { name: 'killall', terminal: false },
    ] as const)
      assert.deepEqual(await cli([], o), { code: 1, out: '', err: usage }, JSON.stringify(o));
  });
  it('the picker options: the selection, and the signal, -g, -w, tree, kill-after, timeout, dry run', () => {
    const every = pickOptionsOf(undefined);
    assert.deepEqual(every.criteria, { names: [], kernelThreads: false, excludeAncestors: true });
    assert.equal(every.signal, undefined);
    const parsed = parseArgv(
      [
        '--pick',
        '-u',
        'deploy',
        '-s',
        'HUP',
        '-w',
        '--timeout',
        '3s',
        '--kill-after',
        '2s',
        '--tree',
        '--dry-run',
        '-r',
        'nod',
      ],
      { posixlyCorrect: false, lookupUser: (n) => (n === 'deploy' ? 1001 : undefined) },
    );
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    const o = pickOptionsOf(parsed.options);
    assert.deepEqual(
      { ...o, criteria: { ...o.criteria, names: o.criteria.names?.map((n) => Buffer.from(n).toString()) } },
      {
        criteria: {
          names: ['nod'],
          regexp: true,
          exact: false,
          ignoreCase: false,
          user: 1001,
          namespacePid: 0,
          kernelThreads: false,
          excludeAncestors: true,
        },
        signal: 1,
        processGroup: false,
        wait: true,
        tree: true,
        dryRun: true,
        killAfterMs: 2000,
        timeoutMs: 3000,
      },
    );
  });
});
