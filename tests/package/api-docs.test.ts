import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The API reference (docs/api, TypeDoc + typedoc-plugin-markdown, configured in typedoc.json) is regenerated and
 * compared with the checked-in copy. typedoc.json turns every warning into an error: an export without a doc
 * comment, a `{@link}` that does not resolve, a type referenced by the API but not exported. The relative links of
 * the Markdown docs (README, docs/, docs/api) must name files that exist.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

describe('API reference', () => {
  it('TypeDoc builds it without a warning, and docs/api is current (npm run docs:api)', () => {
    const out = mkdtempSync(`${tmpdir()}/kts-api-`);
    try {
      const r = spawnSync(process.execPath, [`${ROOT}node_modules/typedoc/bin/typedoc`, '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 180_000,
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
      assert.doesNotMatch(r.stdout + r.stderr, /warning|error/i);
      const fresh = files(out).sort();
      assert.deepEqual(files(`${ROOT}docs/api`).sort(), fresh, 'docs/api is stale: run npm run docs:api');
      for (const f of fresh)
        assert.equal(
          readFileSync(`${ROOT}docs/api/${f}`, 'utf8'),
          readFileSync(join(out, f), 'utf8'),
          `docs/api/${f} is stale: run npm run docs:api`,
        );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('every relative link in README.md, docs/ and docs/api names a file that exists', () => {
    const docs = ['README.md', 'AGENTS.md', ...files(`${ROOT}docs`).map((f) => `docs/${f}`)].filter((f) =>
      f.endsWith('.md'),
    );
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(`${ROOT}${doc}`, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(dirname(`${ROOT}${doc}`), decodeURIComponent(target.split('#')[0]!));
        if (!existsSync(path)) broken.push(`${doc}: ${target}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
