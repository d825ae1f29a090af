/**
 * Differential fuzzing of the command line: seeded random argv built from every option spelling, signal form,
 * quirk and typical argument, run by psmisc and by killall-ts against the same victims in private PID namespaces.
 * Outputs, exit status and signals received must agree, except for the documented deviations (D1 version text,
 * D2 crashes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { comparable, psmiscSkip, runBoth } from '../helpers/ns.js';

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
  '-ver',
  '-vq',
  '-qv',
  '-ev',
  '-re',
  '-in',
  '-ig',
  '-p',
  '-verb',
  '--exact',
  '--ignore-case',
  '--quiet',
  '--regexp',
  '--verbose',
  '--ver',
  '--sig=HUP',
  '--signal',
  '--user',
  '--younger-than',
  '--ns',
  '-s',
  '-u',
  '-y',
  '-o',
  '-n',
  '-Z',
  '-c',
  '-sHUP',
  '-s9',
  '-yx',
  '-o5',
  '-n1',
  '-9',
  '-0',
  '-15',
  '-99',
  '-HUP',
  '-SIGTERM',
  '-KILL',
  '-INT',
  '-ILL',
  '-VTALRM',
  '-IO',
  '-Hup',
  '-hup',
  '-stop',
  '-usr1',
  '-cont',
  '-int',
  '--',
  '-',
  '-x',
  '--foo',
  '-9v',
  '-v9',
  'hx7a',
  'hx7b',
  'hx7zz',
  'HX7A',
  '^hx7',
  'hx7.',
  '(',
  'a{1',
  '1s',
  '5',
  '1m',
  '1.5h',
  'root',
  'nobody',
  '0',
  'abc',
  'KILL',
  '15',
  'x',
];

describe('argv differential fuzzing (seeded)', { skip: psmiscSkip, concurrency: 1 }, () => {
  const cases = fc.sample(
    fc.record({
      args: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 }),
      stdin: fc.constantFrom<string | null>(null, 'y\n', 'n\ny\n', 'x\n'),
    }),
    { numRuns: 40, seed: 4242 },
  );
  for (const { args, stdin } of cases) {
    it(`${JSON.stringify(args)} stdin ${JSON.stringify(stdin)}`, () => {
      const { psmisc, ours } = runBoth({
        victims: [
          { label: 'a', exe: 'hx7a' },
          { label: 'b', exe: 'hx7b', detached: true },
        ],
        args,
        stdin,
        timeoutMs: 4000,
      });
      const a = comparable(psmisc);
      const b = comparable(ours);
      if (/^killall \(PSmisc\)/.test(a.stderr)) {
        assert.match(b.stderr, /^killall \(killall-ts\)/, 'D1: our version text');
        assert.equal(b.rc, a.rc);
      } else if (a.rc === 'signal SIGSEGV') {
        assert.equal(b.rc, 1, 'D2: an exit with a message instead of a crash');
      } else assert.deepEqual(b, a);
    });
  }
});
