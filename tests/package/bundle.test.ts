import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Start-up of plain runs is not paid for by killall-ts's texts: the help and the completion scripts live in
 * dist/killall-ts-extras.cjs, which only `killall-ts --help` and `--generate-completion` load.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function modulesLoaded(bin: string, args: readonly string[]): string {
  const r = spawnSync(`${ROOT}bin/${bin}`, args, {
    encoding: 'utf8',
    env: { ...process.env, NODE_DEBUG: 'module' },
  });
  return r.stderr;
}

describe('the CLI bundles', () => {
  it('dist/killall.cjs holds none of the help and completion texts; dist/killall-ts-extras.cjs does', () => {
    const main = readFileSync(`${ROOT}dist/killall.cjs`, 'utf8');
    const extras = readFileSync(`${ROOT}dist/killall-ts-extras.cjs`, 'utf8');
    for (const text of [
      'Selecting processes',
      'complete -F _killall_ts',
      '#compdef killall-ts',
      'Examples:',
    ]) {
      assert.ok(!main.includes(text), text);
      assert.ok(extras.includes(text), text);
    }
  });

  it('plain runs never load the extras; killall-ts --help does', () => {
    assert.doesNotMatch(modulesLoaded('killall', ['-l']), /killall-ts-extras/);
    assert.doesNotMatch(modulesLoaded('killall-ts', ['-l']), /killall-ts-extras/);
    assert.doesNotMatch(modulesLoaded('killall', ['--help']), /killall-ts-extras/);
    assert.match(modulesLoaded('killall-ts', ['--help']), /killall-ts-extras/);
  });
});
