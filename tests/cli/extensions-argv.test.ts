import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CliOptions, type ParseOutcome, parseArgv, spellsExtension } from '../../src/cli/argv.js';

const users: Record<string, number> = { root: 0, nobody: 65534 };
const parse = (args: string[], posixlyCorrect = false, psmiscOnly = false): ParseOutcome =>
  parseArgv(args, { posixlyCorrect, psmiscOnly, lookupUser: (n) => users[n] });
const run = (args: string[], posix = false): CliOptions => {
  const r = parse(args, posix);
  assert.equal(r.kind, 'run', JSON.stringify(r));
  return (r as { options: CliOptions }).options;
};
const fail = (args: string[], posix = false): string => {
  const r = parse(args, posix);
  assert.equal(r.kind, 'fail', JSON.stringify(r));
  return (r as { message: string }).message;
};

describe('extension options: parsing', () => {
  it('full names and unambiguous prefixes in the --name form', () => {
    assert.equal(run(['--dry-run', 'x']).dryRun, true);
    assert.equal(run(['--d', 'x']).dryRun, true);
    assert.equal(run(['--json', 'x']).json, true);
    assert.equal(run(['--j', 'x']).json, true);
    assert.equal(run(['--tree', 'x']).tree, true);
    assert.equal(run(['--tr', 'x']).tree, true);
    assert.equal(run(['--kill-after', '5', 'x']).killAfterMs, 5000);
    assert.equal(run(['--kill-after=250ms', 'x']).killAfterMs, 250);
    assert.equal(run(['--k', '1m', 'x']).killAfterMs, 60000);
    assert.equal(run(['-w', '--timeout', '2.5s', 'x']).timeoutMs, 2500);
    assert.equal(run(['-w', '--ti=1h', 'x']).timeoutMs, 3_600_000);
  });
  it('psmisc wins every spelling it knows: one-dash forms and its own prefixes', () => {
    // -dry-run, -json, -tree, -kill-after are long-only one-dash forms: psmisc's usage error or its own meaning.
    for (const a of ['-dry-run', '-tree', '-json', '-kill-after', '-timeout', '--t']) {
      assert.equal(parse([a, 'x']).kind, 'usage', a);
    }
    assert.equal(run(['--e', 'x']).exact, true, '--e is --exact');
    assert.equal(run(['--ex', 'x']).exact, true, '--ex is --exact');
    assert.equal(run(['--p', 'x']).processGroup, true, '--p is --process-group');
    assert.equal(run(['--u', 'root']).user?.uid, 0, '--u is --user');
    assert.equal(run(['--co', 'x']).context, 'x', '--co is --context');
    assert.equal(run(['-p', 'x']).processGroup, true);
  });
  it('--name=ARG on a flag, and killall-ts-only options, stay psmisc usage errors', () => {
    for (const a of ['--pick=1', '--dry-run=1', '--json=x', '--tree=1', '--help']) {
      assert.equal(parse([a, 'x']).kind, 'usage', a);
    }
  });
  it('a required argument is the next element, and permutation still works around it', () => {
    const o = run(['a', '--kill-after', '3', 'b', '-v', 'c']);
    assert.deepEqual(o.names, ['a', 'b', 'c']);
    assert.equal(o.killAfterMs, 3000);
    assert.equal(o.verbose, true);
    assert.equal(parse(['x', '--kill-after']).kind, 'usage', 'missing argument');
    // The argument is taken even when it looks like an option.
    assert.match(fail(['--kill-after', '-v', 'x']), /invalid duration '-v'/);
  });
  it('bad DURATIONs: clear message, exit 1 (fail), nothing run', () => {
    for (const d of [
      '',
      'x',
      '5x',
      '-5',
      '+5',
      '1e3',
      '5 s',
      's',
      '.',
      '5.s5',
      '0',
      '0s',
      '0.0',
      '25d',
      '1000h',
    ]) {
      const m = fail(['--kill-after', d, 'x']);
      assert.match(m, /^killall: --kill-after: invalid duration/, d);
    }
    assert.match(fail(['--kill-after', '0', 'x']), /more than 0/);
    assert.match(fail(['--kill-after', '25d', 'x']), /at most 24 days/);
    assert.match(fail(['-w', '--timeout', 'soon', 'x']), /^killall: --timeout: invalid duration 'soon'/);
    assert.equal(run(['--kill-after', '24d', 'x']).killAfterMs, 24 * 86_400_000);
  });
  it('combinations: --kill-after with signal 0 or 9, --timeout without a wait, --tree with -g', () => {
    assert.match(fail(['--kill-after', '5', '-9', 'x']), /nothing to escalate after signal 9/);
    assert.match(fail(['-s', 'KILL', '--kill-after', '5', 'x']), /nothing to escalate/);
    assert.match(fail(['--kill-after', '5', '-0', 'x']), /nothing to escalate after signal 0/);
    assert.match(fail(['--timeout', '5', 'x']), /--timeout: needs -w or --kill-after/);
    assert.equal(run(['--timeout', '5', '--kill-after', '1', 'x']).timeoutMs, 5000);
    assert.match(fail(['--tree', '-g', 'x']), /--tree and -g/);
  });
  it('--json marks every error outcome, so that it ends in a document', () => {
    assert.deepEqual(parse(['--json']), { kind: 'usage', json: true });
    assert.deepEqual(parse(['--json', '-y', 'x', 'n']), {
      kind: 'usage',
      message: 'Invalid time format',
      json: true,
    });
    assert.equal((parse(['--json', '--timeout', '1', 'x']) as { json?: boolean }).json, true);
    assert.equal((parse(['--json', '-s', 'FOO', 'x']) as { json?: boolean }).json, true);
    assert.equal(
      (parse(['-s', 'FOO', '--json', 'x']) as { json?: boolean }).json,
      undefined,
      'not parsed yet',
    );
  });
});

describe('--pick', () => {
  it('needs no NAME; prefixes resolve; the other options come with it', () => {
    assert.equal(run(['--pick']).pick, true);
    assert.equal(run(['--pi']).pick, true, '--pi is --pick');
    assert.deepEqual(run(['--pick']).names, []);
    const o = run(['--pick', '-u', 'nobody', '-s', 'HUP', '-g', '-w', '--timeout', '3s', 'node']);
    assert.deepEqual(
      [o.pick, o.user?.uid, o.signal, o.processGroup, o.wait, o.timeoutMs, o.names],
      [true, 65534, 1, true, true, 3000, ['node']],
    );
    const t = run(['--tree', '--kill-after', '2s', '--dry-run', '--pick']);
    assert.deepEqual([t.tree, t.killAfterMs, t.dryRun], [true, 2000, true]);
    assert.equal(parse(['-pick']).kind, 'usage', 'one dash: psmisc usage error');
  });
  it('with --json, --explain or -i: a clear error', () => {
    assert.match(fail(['--pick', '--json']), /^killall: --pick cannot be combined with --json/);
    assert.match(fail(['--explain', '--pick']), /^killall: --pick cannot be combined with --explain/);
    assert.match(fail(['--pick', '-i']), /^killall: --pick cannot be combined with -i/);
    assert.match(fail(['--pick', '-g', '--tree']), /--tree and -g cannot be combined/);
  });
});

describe('POSIXLY_CORRECT: an extension spelled after the first NAME', () => {
  it('stops with a clear error instead of signalling', () => {
    assert.match(
      fail(['foo', '--dry-run'], true),
      /^killall: --dry-run: POSIXLY_CORRECT stops option parsing/,
    );
    assert.match(fail(['foo', '--kill-after=5'], true), /would be a NAME, not --kill-after/);
    assert.match(fail(['-v', 'foo', 'bar', '--json'], true), /--json/);
    assert.match(fail(['foo', '--', '--tree'], true), /--tree/, 'a -- that is itself a NAME does not count');
  });
  it('an explicit -- before the NAMEs, or options first, are fine', () => {
    assert.deepEqual(run(['--', '--dry-run'], true).names, ['--dry-run']);
    assert.equal(run(['--dry-run', 'foo'], true).dryRun, true);
    assert.deepEqual(run(['foo', '--dry'], true).names, ['foo', '--dry'], 'only exact spellings');
    assert.match(fail(['foo', '--pick'], true), /would be a NAME, not --pick/);
  });
  it('without POSIXLY_CORRECT a NAME after -- may spell anything', () => {
    assert.deepEqual(run(['--', '--dry-run']).names, ['--dry-run']);
    assert.equal(spellsExtension('--timeout=3'), '--timeout');
    assert.equal(spellsExtension('-tree'), undefined);
  });
});

// Every spelling the psmisc fuzzer knows, plus the new ones and their near misses.
const TOKENS = [
  '-e',
  '-I',
  '-g',
  '-i',
  '-l',
  '-q',
  '-r',
  '-v',
  '-w',
  '-V',
  '-ve',
  '-p',
  '-in',
  '-ig',
  '--exact',
  '--e',
  '--ex',
  '--p',
  '--u',
  '--co',
  '--c',
  '--verbose',
  '--ver',
  '--sig=HUP',
  '--signal',
  '--user',
  '-s',
  '-u',
  '-y',
  '-o',
  '-n',
  '-Z',
  '-9',
  '-0',
  '-HUP',
  '-INT',
  '--',
  '-',
  'x',
  'root',
  'nobody',
  'HUP',
  '5',
  '5s',
  '1m',
  '0',
  '-5',
  '--dry-run',
  '--d',
  '--dry',
  '--json',
  '--j',
  '--tree',
  '--t',
  '--tr',
  '--kill-after',
  '--kill-after=2',
  '--k',
  '--timeout',
  '--ti=3',
  '--timeout=',
  '--explain',
  '--pick',
  '-dry-run',
  '-json',
  '-tree',
  '-kill-after',
  '--dry-run=1',
  '--json=',
  '-d',
  '-j',
  '-t',
  '-k',
  'bash',
  '--help',
];

describe('property: extensions only give meaning to what psmisc rejects with its usage error', () => {
  it('every argv psmisc accepts parses to the same result, with extension options off', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 7 }), fc.boolean(), (args, posix) => {
        const ref = parse(args, posix, true);
        const ours = parse(args, posix);
        if (ref.kind === 'usage' && ref.message === undefined) return; // psmisc's usage error: ours may differ
        if (ours.kind === 'fail' && /POSIXLY_CORRECT/.test(ours.message)) {
          // The documented safety stop: only under POSIXLY_CORRECT, only for a NAME spelling an extension.
          assert.ok(posix);
          assert.equal(ref.kind, 'run');
          assert.ok((ref as { options: CliOptions }).options.names.some((n) => spellsExtension(n)));
          return;
        }
        if (ref.kind !== 'run' || ours.kind !== 'run') {
          assert.deepEqual(ours, ref, args.join(' '));
          return;
        }
        // Same meaning, and no extension set (they start off in both).
        assert.deepEqual(ours.options, ref.options, args.join(' '));
      }),
      { numRuns: 20000 },
    );
  });
});
