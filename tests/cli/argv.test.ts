import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type CliOptions,
  ignoreCaseOrSignal,
  LONG_OPTIONS,
  type ParseOutcome,
  parseArgv,
  parseNsPid,
  SHORT_OPTIONS,
  unknownOptionHack,
  versionOrSignal,
} from '../../src/cli/argv.js';
import { GetoptLongOnly } from '../../src/cli/getopt.js';

const users: Record<string, number> = { root: 0, nobody: 65534 };
const parse = (args: string[], posixlyCorrect = false): ParseOutcome =>
  parseArgv(args, { posixlyCorrect, lookupUser: (n) => users[n] });
const run = (args: string[], posix = false): CliOptions => {
  const r = parse(args, posix);
  assert.equal(r.kind, 'run', JSON.stringify(r));
  return (r as { options: CliOptions }).options;
};
const fail = (args: string[]) => {
  const r = parse(args);
  assert.equal(r.kind, 'fail', JSON.stringify(r));
  return (r as { message: string }).message;
};
const kind = (args: string[]) => parse(args).kind;

describe('getopt_long_only emulation', () => {
  it('permutes names after options, like GNU getopt', () => {
    const argv = ['killall', 'a', '-v', 'b', '-q', 'c'];
    const g = new GetoptLongOnly(argv, SHORT_OPTIONS, LONG_OPTIONS, false);
    const seen: string[] = [];
    for (let r = g.next(); r.opt !== 'end'; r = g.next()) seen.push(r.opt);
    assert.deepEqual(seen, ['v', 'q']);
    assert.deepEqual(argv.slice(g.optind), ['a', 'b', 'c']);
  });
  it('stops at the first name under POSIXLY_CORRECT', () => {
    const o = run(['hx7b', '-0'], true);
    assert.deepEqual(o.names, ['hx7b', '-0']);
    assert.equal(o.signal, 15);
  });
  it('takes one- and two-dash long options and unambiguous prefixes', () => {
    assert.equal(run(['--verbose', 'x']).verbose, true);
    assert.equal(run(['-verbose', 'x']).verbose, true);
    assert.equal(run(['-verb', 'x']).verbose, true);
    assert.equal(run(['--signal=HUP', 'x']).signal, 1);
    assert.equal(run(['--sig', 'KILL', 'x']).signal, 9);
    assert.equal(run(['-p', 'x']).processGroup, true, '-p is a prefix of --process-group');
    assert.equal(run(['-re', 'x']).regexp, true);
    assert.equal(run(['-re', 'x']).exact, false, '-re is --regexp only');
    assert.equal(run(['-in', 'x']).interactive, true);
    assert.equal(kind(['-li', 'x']), 'list');
    assert.equal(kind(['--list']), 'list');
  });
  it('-- ends options and a lone - is a name', () => {
    assert.deepEqual(run(['--', '-q']).names, ['-q']);
    assert.deepEqual(run(['-']).names, ['-']);
  });
});

describe('psmisc option quirks', () => {
  it('ignoreCaseOrSignal: bare -I or --… is the flag, anything else reads the next argument', () => {
    assert.equal(ignoreCaseOrSignal(['killall', '-I', 'x'], 2), 'flag');
    assert.equal(ignoreCaseOrSignal(['killall', '--ignore-case', 'x'], 2), 'flag');
    assert.equal(ignoreCaseOrSignal(['killall', '-INT', 'x'], 1), 2);
    assert.equal(run(['-INT', 'x']).signal, 2);
    assert.equal(run(['-v', '-ILL', 'x']).signal, 4);
    assert.equal(run(['-I', 'x']).ignoreCase, true);
    assert.equal(fail(['-I', '-INT', 'x']), 'I: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-ignore-case', 'hx7x']), 'x7x: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-ig', 'hx7a']), 'x7a: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-Ir', 'hx7x']), 'Ir: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-rI', 'hx7x']), 'x7x: unknown signal; killall -l lists signals.');
    assert.equal(kind(['--verbose', '-INT', 'x']), 'usage');
  });
  it('versionOrSignal: -V and --version print the version, -VTALRM is a signal', () => {
    assert.equal(versionOrSignal(['killall', '-V'], 2), 'flag');
    assert.equal(kind(['-V']), 'version');
    assert.equal(kind(['--version']), 'version');
    assert.equal(kind(['--vers']), 'version');
    assert.equal(run(['-VTALRM', 'x']).signal, 26);
    assert.equal(kind(['--ver']), 'usage');
  });
  it('where psmisc segfaults (-version, -ignore-case, -vV last) we exit 1 with a message', () => {
    for (const args of [['-version'], ['-ignore-case'], ['-vV'], ['-vers']]) {
      assert.match(fail(args), /psmisc reads the next argument as a signal name/, args.join(' '));
    }
  });
  it('unknownOptionHack: -ve is verbose+exact, uppercase is a signal, digits are atoi, else usage', () => {
    assert.equal(unknownOptionHack(['killall', '-ve'], 2), 'verbose-exact');
    assert.equal(unknownOptionHack(['killall', '-HUP'], 2), 1);
    assert.equal(unknownOptionHack(['killall', '-15abc'], 2), 15);
    const o = run(['-ve', 'x']);
    assert.equal(o.verbose && o.exact, true);
    assert.equal(run(['-ver', 'x']).exact, true);
    assert.equal(run(['-9v', 'x']).signal, 9);
    assert.equal(run(['-SIGKILL', 'x']).signal, 9);
    assert.equal(run(['-99', 'x']).signal, 99);
    for (const a of ['-x', '-hup', '--foo', '-d', '-v9', '-vKILL', '-h', '--help', '-kill', '-term']) {
      assert.equal(kind([a, 'x']), 'usage', a);
    }
    assert.equal(fail(['-Hup', 'x']), 'Hup: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-SIG', 'x']), ': unknown signal; killall -l lists signals.');
  });
  it('lowercase signal spellings fall into other options as in psmisc', () => {
    assert.equal(fail(['-stop', 'x']), 'top: unknown signal; killall -l lists signals.');
    assert.equal(fail(['-usr1', 'x']), 'Cannot find user sr1');
    assert.equal(fail(['-quit', 'x']), 'Cannot find user it');
    assert.equal(run(['-int', 'x']).interactive, true);
    const cont = parse(['-cont', 'hx7a']);
    assert.equal(cont.kind, 'run');
    assert.deepEqual((cont as { options: CliOptions }).options.names, [], '-cont NAME is --context NAME');
  });
  it('the last signal wins', () => {
    assert.equal(run(['-s', 'KILL', '-s', '0', 'x']).signal, 0);
    assert.equal(run(['-HUP', '-9', '-s', '0', 'x']).signal, 0);
    assert.equal(run(['x', '-9']).signal, 9);
  });
  it('option arguments: always the next word', () => {
    assert.equal(fail(['-s', '-9', 'x']), '-9: unknown signal; killall -l lists signals.');
    assert.equal(kind(['x', '-s']), 'usage');
    assert.equal(parse(['-y', '5', 'x']).kind, 'usage');
    assert.deepEqual(parse(['-o', '1.5h', 'x']), { kind: 'usage', message: 'Invalid time format' });
    assert.equal(run(['-y', '2m', 'x']).youngerThan, 120);
  });
  it('-n: strtol with trailing junk, errors for no digits or overflow', () => {
    assert.equal(parseNsPid('12abc'), 12);
    assert.equal(parseNsPid('-5'), -5);
    assert.equal(parseNsPid('abc'), undefined);
    assert.equal(parseNsPid(''), undefined);
    assert.equal(parseNsPid('99999999999999999999'), undefined);
    assert.deepEqual(parse(['-n', 'abc', 'x']), { kind: 'usage', message: 'Invalid namespace PID' });
  });
  it('-u: names only, checked while parsing', () => {
    assert.deepEqual(run(['-u', 'nobody']).user, { name: 'nobody', uid: 65534 });
    assert.equal(fail(['-u', '0', 'x']), 'Cannot find user 0');
  });
  it('-Z: compiled while parsing; a bad one is an error without the killall: prefix', () => {
    assert.equal(fail(['-Z', '(', 'x']), 'Bad regular expression: (');
    assert.equal(run(['-Z', 'x']).context, 'x');
  });
  it('names: at most 64, and none only with -u or -Z', () => {
    assert.equal(run(Array.from({ length: 64 }, (_, i) => `n${i}`)).names.length, 64);
    assert.equal(
      fail(Array.from({ length: 65 }, (_, i) => `n${i}`)),
      'killall: Maximum number of names is 64',
    );
    assert.equal(kind([]), 'usage');
    assert.equal(kind(['-v']), 'usage');
    assert.equal(kind(['-l', '-QQ']), 'list');
    assert.equal(kind(['-QQ', '-l']), 'fail');
  });
  it('the -0 -vexy X cluster reads x against the previous element, then -y takes X', () => {
    assert.deepEqual(parse(['-0', '-vexy', 'X']), { kind: 'usage', message: 'Invalid time format' });
  });
  it('property: parseArgv never throws on arbitrary arguments', () => {
    const word = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        '-',
        '--',
        '-I',
        '-V',
        '-v',
        '-e',
        '-s',
        '-u',
        '-Z',
        '-n',
        '-y',
        '-o',
        '-r',
        '-INT',
        '-ve',
        '-9',
        '-x',
      ),
      fc.string({ maxLength: 6 }).map((s) => `-${s}`),
      fc.string({ maxLength: 6 }).map((s) => `--${s}`),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), fc.boolean(), (args, posix) => {
        const r = parse(args, posix);
        assert.ok(['run', 'list', 'version', 'usage', 'fail'].includes(r.kind));
      }),
      { numRuns: 5000 },
    );
  });
});
