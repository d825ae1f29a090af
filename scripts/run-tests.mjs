#!/usr/bin/env node
/**
 * Runs the compiled test files with node:test on any supported Node (20 has no glob expansion in --test, 22+ reads
 * a directory argument as a module):
 *   node scripts/run-tests.mjs [FILTER...]
 * Lists dist/tests/**\/*.test.js (only the paths containing one of the FILTERs, when given) and runs
 * `node --test --test-concurrency=2 FILE...` with the running Node; exits with its status.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const base = `${root}dist/tests`;

function list(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) =>
      e.isDirectory() ? list(`${dir}/${e.name}`) : e.name.endsWith('.test.js') ? [`${dir}/${e.name}`] : [],
    )
    .sort();
}

const filters = process.argv.slice(2);
const files = list(base).filter(
  (f) => filters.length === 0 || filters.some((x) => f.slice(base.length).includes(x)),
);
if (files.length === 0) {
  process.stderr.write(
    `run-tests: no test file under ${base}${filters.length ? ` matching ${filters.join(' ')}` : ''} (run npm run build first)\n`,
  );
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
