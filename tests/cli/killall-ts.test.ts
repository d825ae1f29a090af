import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderCompletion } from '../../src/cli/completion.js';
import { renderHelp } from '../../src/cli/help.js';
import { killallTsAction, type ProgramName } from '../../src/cli/killall-ts.js';
import { runCli } from '../../src/cli/run.js';
import { USAGE } from '../../src/cli/usage.js';
import { FakeSystem } from '../helpers/fake-system.js';

async function cli(programName: ProgramName, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: Record<1 | 2, string> = { 1: '', 2: '' };
  const system = new FakeSystem([{ pid: 10, comm: 'hx7a' }]);
  const code = await runCli(args, {
    programName,
    out: {
      write: (fd, d) => {
        out[fd] += typeof d === 'string' ? d : Buffer.from(d).toString('latin1');
      },
    },
    stdin: () => new PassThrough(),
    env,
    system,
    version: '9.9.9',
  });
  return { code, stdout: out[1], stderr: out[2], kills: system.kills };
}

describe('killallTsAction: the options only killall-ts has, found as psmisc getopt walks argv', () => {
  it('finds -h, --help and its prefixes, anywhere among the options', () => {
    for (const args of [['-h'], ['--help'], ['--he'], ['--h'], ['-v', 'foo', '--help'], ['foo', '-h']])
      assert.deepEqual(killallTsAction(args, false), { kind: 'help' }, args.join(' '));
  });
  it('leaves option arguments, NAMEs after --, and NAMEs under POSIXLY_CORRECT alone', () => {
    for (const [args, posix] of [
      [['-s', '-h'], false],
      [['--signal', '--help'], false],
      [['-u', '-h', 'x'], false],
      [['--', '-h'], false],
      [['foo', '--help'], true],
      [['-vh'], false],
      [['-help'], false],
      [['-9', '-hx', 'foo'], false],
      [['foo'], false],
      [[], false],
    ] as const)
      assert.equal(killallTsAction(args, posix), undefined, args.join(' '));
  });
  it('reads --generate-completion SHELL in both forms and rejects other shells', () => {
    assert.deepEqual(killallTsAction(['--generate-completion', 'bash'], false), {
      kind: 'completion',
      shell: 'bash',
    });
    assert.deepEqual(killallTsAction(['--generate-completion=fish'], false), {
      kind: 'completion',
      shell: 'fish',
    });
    assert.deepEqual(killallTsAction(['--gen', 'zsh'], false), { kind: 'completion', shell: 'zsh' });
    assert.deepEqual(killallTsAction(['--generate-completion', 'tcsh'], false), {
      kind: 'bad-completion',
      shell: 'tcsh',
    });
    assert.deepEqual(killallTsAction(['--generate-completion'], false), {
      kind: 'bad-completion',
      shell: undefined,
    });
  });
  it('skips the value of an extension option that takes one (--kill-after --help is not help)', () => {
    assert.equal(killallTsAction(['--kill-after', '--help', 'x'], false), undefined);
    assert.equal(killallTsAction(['--timeout', '-h', 'x'], false), undefined);
  });
  it('never throws on hostile argv', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary-ascii' }), { maxLength: 8 }),
        fc.boolean(),
        (args, p) => {
          killallTsAction(args, p);
        },
      ),
    );
  });
});

describe('runCli under its two names', () => {
  it('killall-ts -h and --help print the full help on stdout and exit 0', async () => {
    for (const args of [['-h'], ['--help'], ['-v', 'hx7a', '--help']]) {
      const r = await cli('killall-ts', args);
      assert.deepEqual([r.code, r.stdout, r.stderr, r.kills], [0, renderHelp(), '', []], args.join(' '));
    }
  });
  it('killall -h and --help keep psmisc usage on stderr, exit 1', async () => {
    for (const args of [['-h'], ['--help']]) {
      const r = await cli('killall', args);
      assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', USAGE], args.join(' '));
    }
  });
  it('-V prints the version on stdout as killall-ts, on stderr as killall', async () => {
    const ts = await cli('killall-ts', ['--version']);
    const ps = await cli('killall', ['--version']);
    assert.equal(ts.code, 0);
    assert.equal(ps.code, 0);
    assert.match(ts.stdout, /^killall \(killall-ts\) 9\.9\.9\n/);
    assert.equal(ts.stderr, '');
    assert.equal(ps.stdout, '');
    assert.equal(ps.stderr, ts.stdout);
    assert.equal((await cli('killall-ts', ['-V'])).stdout, ts.stdout);
  });
  it('killall-ts --generate-completion prints the script; a bad shell is exit 1 with a message', async () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      const r = await cli('killall-ts', ['--generate-completion', shell]);
      assert.deepEqual([r.code, r.stdout, r.stderr], [0, renderCompletion(shell), '']);
    }
    const bad = await cli('killall-ts', ['--generate-completion', 'tcsh']);
    assert.deepEqual(
      [bad.code, bad.stdout, bad.stderr],
      [1, '', "killall-ts: --generate-completion: unknown shell 'tcsh' (bash, zsh or fish)\n"],
    );
  });
  it('as killall, --generate-completion is not an option (psmisc usage)', async () => {
    const r = await cli('killall', ['--generate-completion', 'bash']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.endsWith(USAGE));
  });
  it("psmisc's own outcome stands where its option loop ends before the element", async () => {
    const list = await cli('killall-ts', ['-l', '--help']);
    assert.deepEqual([list.code, list.stderr], [0, '']);
    assert.match(list.stdout, /^HUP INT QUIT/);
    const usage = await cli('killall-ts', ['-x', '-h']);
    assert.deepEqual([usage.code, usage.stdout, usage.stderr], [1, '', USAGE]);
    const sig = await cli('killall-ts', ['-s', 'NOPE', '--generate-completion', 'bash']);
    assert.deepEqual(
      [sig.code, sig.stdout, sig.stderr],
      [1, '', 'NOPE: unknown signal; killall -l lists signals.\n'],
    );
    const help = await cli('killall-ts', ['-v', '-s', 'KILL', 'foo', '-u', 'root', '-h']);
    assert.deepEqual([help.code, help.stdout], [0, renderHelp()]);
    // Found by the property below: inside the cluster -INT, a `?` for N made the walk read the earlier element
    // (-y's argument) as an option, take -INT as its value and then crash past the end of argv.
    for (const args of [
      ['-y', '--kill-after', '-INT'],
      ['-y', '--help', '-INT'],
      ['-s', '--help', '-vNx'],
    ]) {
      assert.deepEqual(await cli('killall-ts', args), await cli('killall', args), args.join(' '));
    }
  });
  it('under both names, any argv means the same, except where psmisc prints its bare usage error', async () => {
    const tokens = [
      '-h',
      '--help',
      '--he',
      '--h',
      '-help',
      '-vh',
      '--generate-completion',
      '--generate-completion=zsh',
      'bash',
      'tcsh',
      '-l',
      '-V',
      '--version',
      '-s',
      'KILL',
      'NOPE',
      '-x',
      '-v',
      '-e',
      'hx7a',
      'foo',
      '--',
      '-u',
      'root',
      'nobody-kts',
      '-I',
      '-9',
      '-y',
      '1x',
      '5m',
      '--kill-after',
      '5s',
      '-INT',
      '-',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...tokens), { maxLength: 6 }),
        fc.boolean(),
        async (args, posix) => {
          const env = posix ? { POSIXLY_CORRECT: '1' } : {};
          const ps = await cli('killall', args, env);
          const ts = await cli('killall-ts', args, env);
          if (
            ts.stdout === renderHelp() ||
            ts.stderr.startsWith('killall-ts: --generate-completion') ||
            /^#/.test(ts.stdout)
          ) {
            assert.deepEqual([ps.code, ps.stdout, ps.stderr, ps.kills], [1, '', USAGE, []], args.join(' '));
            assert.deepEqual(ts.kills, []);
          } else if (ps.stderr.startsWith('killall (killall-ts)')) {
            assert.deepEqual([ts.code, ts.stdout, ts.stderr], [ps.code, ps.stderr, ''], args.join(' '));
          } else assert.deepEqual(ts, ps, args.join(' '));
        },
      ),
      { numRuns: 400 },
    );
  });
  it('everything else is the same under both names: no arguments, usage errors, runs', async () => {
    for (const args of [[], ['-x'], ['-s', 'NOPE', 'a'], ['-v', 'hx7a'], ['-l'], ['nothere']]) {
      const a = await cli('killall', args);
      const b = await cli('killall-ts', args);
      assert.deepEqual(b, a, args.join(' '));
    }
  });
});
