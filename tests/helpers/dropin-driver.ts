/**
 * Calls a drop-in, and/or its original, the way a consumer does, and prints what came back as one JSON line:
 *   node dropin-driver.js API IMPLS ORIGINALS CALLS_JSON
 * API: tree-kill, pidtree, pidtree-cjs, fkill, kill-port. IMPLS: `ours` (killall-ts's subpath: `require` for the
 * CommonJS ones, `import` for the ESM ones), `orig` (the package installed in the ORIGINALS folder), or both
 * (`ours,orig`: each makes every call in turn). CALLS_JSON: a list of argument lists. Prints `{ IMPL: [result…] }`,
 * a result being `{value}` or `{error: {name, message, code?, errors?}}` and `ms`. Run by ext-runner inside a
 * private PID namespace, against victims it started.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [api, impls, originals, callsJson] = process.argv.slice(2) as [string, string, string, string];
const calls = JSON.parse(callsJson) as unknown[][];
const requireOurs = createRequire(import.meta.url);
const requireOrig = createRequire(`${originals}/`);

type Fn = (...a: unknown[]) => unknown;

async function load(impl: string): Promise<Fn> {
  const esm = async (ours: string, orig: string): Promise<Fn> =>
    (impl === 'ours'
      ? await import(ours)
      : await import(pathToFileURL(`${originals}/node_modules/${orig}/index.js`).href)
    ).default as Fn;
  switch (api) {
    case 'tree-kill':
      return (impl === 'ours' ? requireOurs('killall-ts/tree-kill') : requireOrig('tree-kill')) as Fn;
    case 'kill-port':
      return (impl === 'ours' ? requireOurs('killall-ts/kill-port') : requireOrig('kill-port')) as Fn;
    case 'pidtree-cjs':
      return (impl === 'ours' ? requireOurs('killall-ts/pidtree') : requireOrig('pidtree06')) as Fn;
    case 'pidtree':
      return esm('killall-ts/pidtree', 'pidtree');
    case 'fkill':
      return esm('killall-ts/fkill', 'fkill');
    default:
      throw new Error(`unknown API ${api}`);
  }
}

function shown(e: unknown): Record<string, unknown> {
  const x = e as Error & { code?: string; errors?: unknown[] };
  return {
    name: x.name,
    message: x.message,
    ...(x.code !== undefined ? { code: x.code } : {}),
    ...(Array.isArray(x.errors) ? { errors: x.errors.map(String) } : {}),
  };
}

/** One call: the callback form for tree-kill (called once the signals are sent), else the promise. */
async function call(fn: Fn, args: readonly unknown[]): Promise<Record<string, unknown>> {
  const start = process.hrtime.bigint();
  const ms = (): number => Number(process.hrtime.bigint() - start) / 1e6;
  if (api === 'tree-kill') {
    return new Promise((resolve) => {
      fn(...args, (error?: Error) => resolve({ error: error ? shown(error) : null, ms: ms() }));
    });
  }
  try {
    const value = await fn(...args);
    return { value: value ?? null, ms: ms() };
  } catch (e) {
    return { error: shown(e), ms: ms() };
  }
}

async function main(): Promise<void> {
  const out: Record<string, unknown[]> = {};
  for (const impl of impls.split(',')) {
    const fn = await load(impl);
    const results: unknown[] = [];
    for (const args of calls) results.push(await call(fn, args));
    out[impl] = results;
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stdout.write(`${JSON.stringify({ failed: shown(e) })}\n`);
  process.exitCode = 1;
});
