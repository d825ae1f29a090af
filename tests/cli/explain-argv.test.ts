import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CliOptions, type ParseOutcome, parseArgv } from '../../src/cli/argv.js';

const parse = (args: string[], posixlyCorrect = false): ParseOutcome =>
  parseArgv(args, { posixlyCorrect, lookupUser: () => undefined });
const run = (args: string[], posix = false): CliOptions => {
  const r = parse(args, posix);
  assert.equal(r.kind, 'run', JSON.stringify(r));
  return (r as { options: CliOptions }).options;
};

describe('--explain in the parser', () => {
  it('--explain, its unambiguous prefixes, and --explain=all', () => {
    assert.equal(run(['--explain', 'x']).explain, 'some');
    assert.equal(run(['--exp', 'x']).explain, 'some');
    assert.equal(run(['--explain=all', 'x']).explain, 'all');
    assert.equal(parse(['--ex=all', 'x']).kind, 'usage', "--ex is psmisc's --exact, which takes no argument");
    assert.equal(run(['x']).explain, undefined);
  });
  it('in --explain all, all is a NAME (the argument is optional: only the = form takes it)', () => {
    const o = run(['--explain', 'all']);
    assert.equal(o.explain, 'some');
    assert.deepEqual(o.names, ['all']);
  });
  it('any other argument is a clear error, exit 1, nothing sent', () => {
    for (const a of ['--explain=', '--explain=ALL', '--explain=some', '--explain=all,x']) {
      const r = parse([a, 'x']);
      assert.equal(r.kind, 'fail', a);
      assert.match(
        (r as { message: string }).message,
        /^killall: --explain: invalid argument '.*' \(only --explain=all\)$/,
      );
    }
  });
  it('one-dash forms stay psmisc usage errors, and it combines with every other option', () => {
    assert.equal(parse(['-explain', 'x']).kind, 'usage');
    const o = run(['-v', '--explain', '--dry-run', '--json', '-s', 'KILL', '-w', '--timeout', '1s', 'x']);
    assert.equal(o.explain, 'some');
    assert.ok(o.dryRun && o.json && o.verbose && o.wait);
  });
  it('under POSIXLY_CORRECT a NAME spelling --explain after the first NAME stops with the safety error', () => {
    const r = parse(['foo', '--explain'], true);
    assert.equal(r.kind, 'fail');
    assert.match((r as { message: string }).message, /would be a NAME, not --explain/);
  });
});
