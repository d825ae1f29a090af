// Runs as PID 1 of a private PID (and network) namespace (see dropins.mjs): one measurement of a drop-in or of the
// original package, on processes it starts itself:
//   node dropins-inner.mjs CASE IMPL N ROOT ORIGINALS EXT_VICTIM SPAWNER
// CASE: tree-kill or pidtree (a tree of about N processes: ext-victim, 2 levels), kill-port (a listener among N idle
// processes), fkill-name, fkill-port (likewise). IMPL: ours or orig. Both are loaded before the clock starts. Prints
// JSON: callMs (until the call returns, or its callback runs), goneMs (until the last target is gone; kills only).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const [CASE, IMPL, N, ROOT, ORIGINALS, EXT_VICTIM, SPAWNER] = process.argv.slice(2);
const n = Number(N);
const dir = `/tmp/kts-bench-dropins-${process.pid}-${Date.now()}`;
const PORT = 47201;

const ours = createRequire(`${ROOT}/`);
const orig = createRequire(`${ORIGINALS}/`);
const esm = async (path) => (await import(pathToFileURL(path).href)).default;

async function load() {
  const o = IMPL === 'ours';
  switch (CASE) {
    case 'tree-kill':
      return o ? ours('killall-ts/tree-kill') : orig('tree-kill');
    case 'pidtree':
      return o
        ? esm(`${ROOT}/dist/src/dropins/pidtree.js`)
        : esm(`${ORIGINALS}/node_modules/pidtree/index.js`);
    case 'kill-port':
      return o ? ours('killall-ts/kill-port') : orig('kill-port');
    default:
      return o ? esm(`${ROOT}/dist/src/dropins/fkill.js`) : esm(`${ORIGINALS}/node_modules/fkill/index.js`);
  }
}

const lines = (rec) =>
  existsSync(rec)
    ? readFileSync(rec, 'latin1')
        .split('\n')
        .filter((l) => l.endsWith(' ready') || / ready \d+$/.test(l))
        .map((l) => Number(l.split(' ')[0]))
    : [];

async function until(test, what) {
  const end = Date.now() + 120_000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(1);
  }
}

const gone = (pid) => {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return /^[ZX]/.test(s.slice(s.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
};

/** An ext-victim (a tree with `children` per level, 2 levels; or a listener), ready; its PIDs. */
async function victim(name, args, size) {
  const exe = `${dir}/${name}`;
  if (!existsSync(exe)) symlinkSync(EXT_VICTIM, exe);
  const rec = `${dir}/${name}.rec`;
  const cp = spawn(exe, [rec, ...args], { stdio: 'ignore' });
  await until(() => lines(rec).length >= size, `${name} ready`);
  return { root: cp.pid, pids: lines(rec) };
}

async function crowd(count) {
  const child = spawn(SPAWNER, [String(count), 'hx9crowd'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.on('data', (d) => d.toString().includes('ready') && resolve()));
}

async function main() {
  mkdirSync(dir, { recursive: true });
  const fn = await load();
  let t;
  let call;
  if (CASE === 'tree-kill' || CASE === 'pidtree') {
    // 1 + c + c² processes: c = 10 gives 111, c = 31 gives 993.
    const c = Math.max(1, Math.round((Math.sqrt(4 * n - 3) - 1) / 2));
    t = await victim('hx9bt', ['--children', String(c), 'hx9btc', '--depth', '2'], 1 + c + c * c);
    call = CASE === 'pidtree' ? () => fn(t.root) : () => new Promise((r) => fn(t.root, r));
  } else {
    await crowd(n);
    const listen = CASE === 'fkill-name' ? [] : ['--listen', 'tcp', String(PORT)];
    t = await victim('hx9bk', listen, 1);
    const arg = CASE === 'kill-port' ? PORT : CASE === 'fkill-port' ? `:${PORT}` : 'hx9bk';
    call = () => fn(arg);
  }
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  await call();
  const callMs = ms();
  let goneMs = null;
  if (CASE !== 'pidtree') {
    await until(() => t.pids.every(gone), 'targets gone');
    goneMs = ms();
  }
  process.stdout.write(`${JSON.stringify({ callMs, goneMs, processes: t.pids.length })}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ error: String(e?.stack ?? e) })}\n`);
  process.exit(0);
});
