/**
 * What a consumer folder's `tree-kill`, `pidtree`, `fkill` and `kill-port` are (run by tests/package/consumers.test.ts
 * with process.platform as the test sets it): the wrapper package or not, and what it hands over to, `killall-ts`
 * (Linux) or `original` (the aliased original package, which must be the registry's, never the wrapper itself).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

type Probe = { wrapper: boolean; impl: string };

export async function probe(dir: string): Promise<Record<string, Probe>> {
  const req = createRequire(`${dir}/`);
  const out: Record<string, Probe> = {};
  const original = (wrapperMain: string, alias: string, name: string): unknown => {
    const fromWrapper = createRequire(wrapperMain);
    const pkg = fromWrapper(`${alias}/package.json`) as { name: string };
    // The alias must be the registry's package: an override that reached it would make the wrapper load itself.
    if (pkg.name !== name) throw new Error(`${alias} is ${pkg.name}, not ${name}`);
    return fromWrapper(alias);
  };
  for (const [api, alias] of [
    ['tree-kill', 'tree-kill-original'],
    ['kill-port', 'kill-port-original'],
    ['pidtree', 'pidtree-original-cjs'],
  ] as const) {
    const main = req.resolve(api);
    const wrapper = (req(`${api}/package.json`) as { name: string }).name === `@killall-ts/${api}`;
    const loaded = req(api);
    let impl = 'other';
    if (loaded === original(main, alias, api)) impl = 'original';
    else if (process.platform === 'linux' && loaded === createRequire(main)(`killall-ts/${api}`))
      impl = 'killall-ts';
    out[api] = { wrapper, impl };
  }
  // fkill (ESM): what its folder resolves, and one harmless call through the wrapper.
  const fk = `${dir}/node_modules/fkill`;
  const wrapper = (req('fkill/package.json') as { name: string }).name === '@killall-ts/fkill';
  const fromFk = createRequire(`${fk}/index.js`);
  // fkill exports no ./package.json: read it beside its resolved entry.
  const origMain = fromFk.resolve('fkill-original');
  const orig = JSON.parse(readFileSync(`${dirname(origMain)}/package.json`, 'utf8')) as { name: string };
  if (orig.name !== 'fkill') throw new Error(`fkill-original is ${orig.name}`);
  let ours = false;
  try {
    ours = process.platform === 'linux' && fromFk.resolve('killall-ts/fkill') !== '';
  } catch {}
  const fkill = (await import(pathToFileURL(`${fk}/index.js`).href)).default as (
    i: unknown,
    o: unknown,
  ) => Promise<void>;
  await fkill('kts-no-process-has-this-name', { silent: true });
  out.fkill = { wrapper, impl: ours ? 'killall-ts' : 'original' };
  return out;
}
