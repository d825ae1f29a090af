import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileEre, EreSyntaxError } from '../../src/match/ere.js';
import { regexOracle } from '../helpers/ns.js';

const t = (pattern: string, subject: string, ignoreCase = false): boolean =>
  compileEre(pattern, { ignoreCase }).test(Buffer.from(subject, 'latin1'));
const bad = (pattern: string): string => {
  try {
    compileEre(pattern);
  } catch (e) {
    if (e instanceof EreSyntaxError) return e.code;
    throw e;
  }
  return 'compiled';
};

const haveCc = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;

describe('POSIX ERE translation', () => {
  it('matches like glibc on the spec examples', () => {
    assert.equal(t('klmnop$', 'hx7abcdefghijklmnop'), true);
    assert.equal(t('^hx7', 'xhx7'), false);
    assert.equal(t('', 'anything'), true);
    assert.equal(t('.', 'a'), true);
    assert.equal(t('zzr)', 'zzr)'), true);
    assert.equal(t('^[[:digit:]]+$', '123'), true);
    assert.equal(t('^[[:digit:]]+$', '12a'), false);
    assert.equal(t('a{2,3}', 'xaax'), true);
    assert.equal(t('^a{2,3}$', 'aaaa'), false);
    assert.equal(t('^(ab|cd)+$', 'abcdab'), true);
    assert.equal(t('^HX7B$', 'hx7b', true), true);
    assert.equal(t('^[A-C]$', 'b', true), true);
    assert.equal(t('a.b', 'a\nb'), true);
    assert.equal(t('^a+?$', ''), true, 'a+? is (a+)? in POSIX, not a lazy a+');
    assert.equal(t('\\<foo\\>', 'a foo b'), true);
    assert.equal(t('^(a)\\1$', 'aa'), true);
    assert.equal(t('[]a]', ']'), true);
    assert.equal(t('[^]a]', ']'), false);
    assert.equal(t('\\s', '\xa0'), false, '\\s is C-locale isspace, not Unicode');
    assert.equal(t('[[:alpha:]]', '\xe9'), false, 'classes are ASCII as in the C locale');
  });

  it('rejects what glibc rejects', () => {
    const cases: [string, string][] = [
      ['(', 'REG_EPAREN'],
      ['a{1', 'REG_EBRACE'],
      ['a{1,2', 'REG_EBRACE'],
      ['a{x}', 'REG_BADBR'],
      ['a{2,1}', 'REG_BADBR'],
      ['a{}', 'REG_BADBR'],
      ['*a', 'REG_BADRPT'],
      ['a|*b', 'REG_BADRPT'],
      ['^*', 'REG_BADRPT'],
      ['{1}', 'REG_BADRPT'],
      ['[a', 'REG_EBRACK'],
      ['[[:foo:]]', 'REG_ECTYPE'],
      ['[z-a]', 'REG_ERANGE'],
      ['a\\', 'REG_EESCAPE'],
      ['\\1', 'REG_ESUBREG'],
      ['(a\\1)', 'REG_ESUBREG'],
      ['a{99999}', 'REG_ESIZE'],
      ['[a-z-9]', 'REG_ERANGE'],
    ];
    for (const [p, code] of cases) assert.equal(bad(p), code, p);
    for (const p of ['a)', '}', 'a{,3}', 'a{2,}', '()', 'a||b', '|', '[a-]', '[]]', 'a**', '\\(']) {
      assert.equal(bad(p), 'compiled', p);
    }
  });

  it('property: agrees with glibc regcomp/regexec (C locale) on random patterns', {
    skip: !haveCc && 'no C compiler',
  }, () => {
    const oracle = regexOracle();
    const atoms = [
      'a',
      'b',
      'A',
      '.',
      '*',
      '+',
      '?',
      '|',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      '^',
      '$',
      '\\',
      '-',
      ',',
      '1',
      '2',
      '0',
      ':',
      '=',
      'w',
      's',
      '<',
      '>',
      '[:alpha:]',
      '[:digit:]',
      '[:upper:]',
      '[.a.]',
      '[=b=]',
      '\xe9',
      ' ',
      '\n',
    ];
    const chars = ['a', 'b', 'A', 'B', '1', '-', ' ', '(', ')', '\n', '\xe9', '\xc9', '_', '{', ']', '\\'];
    const sample = fc.sample(
      fc.tuple(
        fc.array(fc.constantFrom(...atoms), { maxLength: 8 }).map((a) => a.join('')),
        fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((a) => a.join('')),
        fc.boolean(),
      ),
      { numRuns: 8000, seed: 20261126 },
    );
    const esc = (s: string) =>
      [...s]
        .map((c) =>
          c < ' ' || c > '~' || c === '\\' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c,
        )
        .join('');
    const input = `${sample.map(([p, s, i]) => `${i ? 'i' : 'x'}\t${esc(p)}\t${esc(s)}`).join('\n')}\n`;
    const want = execFileSync(oracle, { input, encoding: 'latin1' }).trim().split('\n');
    const mismatches: string[] = [];
    sample.forEach(([p, s, i], k) => {
      let mine: string;
      try {
        mine = compileEre(p, { ignoreCase: i }).test(Buffer.from(s, 'latin1')) ? '1' : '0';
      } catch (e) {
        if (!(e instanceof EreSyntaxError)) throw e;
        mine = 'E';
      }
      const w = want[k]!.startsWith('E') ? 'E' : want[k]!;
      if (mine !== w) mismatches.push(JSON.stringify({ p, s, i, mine, glibc: want[k] }));
    });
    assert.deepEqual(mismatches.slice(0, 10), []);
  });

  it('property: never throws anything but EreSyntaxError, and the RegExp always builds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 30 }), fc.boolean(), (p, i) => {
        try {
          compileEre(p, { ignoreCase: i }).test(Buffer.from('probe'));
        } catch (e) {
          if (!(e instanceof EreSyntaxError)) throw e;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
