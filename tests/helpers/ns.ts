/** Helpers for tests that send real signals: only ever inside a private PID namespace. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RunResult, Scenario } from './scenario.js';

/** The repository root (this file runs from dist/tests/helpers). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const OURS = `${ROOT}bin/killall`;
export const PSMISC = '/usr/bin/killall';
const RUNNER = fileURLToPath(new URL('./ns-runner.js', import.meta.url));

function probe(): string | true {
  if (process.getuid?.() !== 0) return 'not root: private PID namespaces need root here';
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
  return r.status === 0 ? true : 'unshare --pid --fork --mount-proc is not permitted here';
}

const probed = probe();
/** Why namespace tests must skip, or false when they can run. */
export const nsSkip: string | false = probed === true ? false : probed;
/** Why differential tests must skip (no psmisc), or false. */
export const psmiscSkip: string | false =
  nsSkip || (existsSync(PSMISC) ? false : 'psmisc killall is not installed');

/** Compiles tests/helpers/NAME.c once per content (cached in the temporary directory) and returns the binary. */
export function compiledHelper(name: string): string {
  const src = `${ROOT}tests/helpers/${name}.c`;
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12);
  const out = `${tmpdir()}/killall-ts-${name}-${hash}`;
  if (!existsSync(out)) {
    // Test files (and other checkouts) compile at the same time: each into its own file, renamed atomically.
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync('cc', ['-O2', '-o', tmp, src]);
    renameSync(tmp, out);
  }
  return out;
}

let victim: string | undefined;
/** The compiled victim binary (tests/helpers/victim.c). */
export function victimBinary(): string {
  victim ??= compiledHelper('victim');
  return victim;
}

/** The compiled glibc regex oracle (tests/helpers/regcomp-oracle.c). */
export function regexOracle(): string {
  return compiledHelper('regcomp-oracle');
}

let seq = 0;
/** A fresh scenario folder path (same path for both runs of a differential case). */
export function scenarioDir(): string {
  return `${tmpdir()}/kts-${process.pid}-${++seq}`;
}

/** killall's own deadline in a scenario, unless the scenario sets one. */
const KILLALL_MS = 15_000;
/** killall-ts's deadline in runBoth when psmisc returned: generous, as killall-ts starts slower under load. */
const OURS_MS = 60_000;

/** Whether a scenario runs something as user nobody (then it needs {@link nobodyKit}). */
export function needsNobody(sc: Scenario): boolean {
  return sc.asNobody === true || sc.victims.some((v) => v.nobody) || sc.whilePrompted?.reuse?.nobody === true;
}

/**
 * Runs a scenario in a new PID namespace with the given killall command. A scenario that runs anything as nobody
 * runs the copies of {@link nobodyKit} (`root`'s bin/killall in `killall`, by default OURS, is replaced by the
 * launcher of that checkout's kit).
 */
export function runScenario(
  killall: readonly string[],
  sc: Scenario,
  dir = scenarioDir(),
  root = ROOT,
): RunResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  try {
    const kit = needsNobody(sc) ? nobodyKit(root) : undefined;
    const launcher = `${root}bin/killall`;
    const payload = JSON.stringify({
      ...sc,
      ...(kit?.path ? { env: { ...sc.env, PATH: kit.path } } : {}),
      victimBinary: kit?.victim ?? victimBinary(),
      killall: kit ? killall.map((a) => (a === launcher ? kit.killall : a)) : killall,
      dir,
    });
    const init = sc.groupOne ? ['setsid', process.execPath] : [process.execPath];
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', ...init, RUNNER, payload], {
      encoding: 'latin1',
      // killall's deadline, then up to 30 s per victim to start and 30 s for the fates (ns-runner.ts).
      timeout: (sc.timeoutMs ?? KILLALL_MS) + 30_000 * (sc.victims.length + 2),
      env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const parsed = JSON.parse(line || '{"error":"no output"}') as RunResult & { error?: string };
    if (parsed.error) throw new Error(`runner failed: ${parsed.error}\n${r.stderr}`);
    return parsed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the scenario with psmisc and with killall-ts, in that order, from the same folder path. killall-ts gets the
 * same deadline when psmisc ran out of it (both then show that they wait), else a generous one (it returned; ours
 * must too, however slowly it starts under load). A pair that broke the scenario's timing precondition
 * (`youngDuringRun`) is run again, up to 5 times.
 */
export function runBoth(sc: Scenario): { psmisc: RunResult; ours: RunResult } {
  for (let attempt = 1; ; attempt++) {
    const dir = scenarioDir();
    const psmisc = runScenario([PSMISC], sc, dir);
    const oursMs = Math.max(sc.timeoutMs ?? KILLALL_MS, OURS_MS);
    const ours = runScenario([OURS], psmisc.rc === 'timeout' ? sc : { ...sc, timeoutMs: oursMs }, dir);
    const young = sc.youngDuringRun;
    const bounds = young ? [psmisc, ours].map((r) => r.ageBoundMs[young.label] ?? Infinity) : [];
    if (!young || bounds.every((b) => b < young.ms)) return { psmisc, ours };
    if (attempt === 5)
      throw new Error(
        `victim ${young.label} was not kept younger than ${young.ms} ms in 5 attempts: ${bounds}`,
      );
  }
}

/** What a differential test compares: everything but timing. */
export function comparable(r: RunResult): Omit<RunResult, 'elapsedMs' | 'pids' | 'ageBoundMs'> {
  const { elapsedMs: _, pids: __, ageBoundMs: ___, ...rest } = r;
  return rest;
}

/** What user nobody runs: copies in a folder that nobody can reach (see {@link nobodyKit}). */
export interface NobodyKit {
  readonly dir: string;
  /** The copied bin/killall. */
  readonly killall: string;
  /** The copied victim binary. */
  readonly victim: string;
  /** PATH for killall-ts when the `node` on PATH is not reachable by nobody (a copy of it comes first). */
  readonly path?: string;
}

const NOBODY = { uid: 65534, gid: 65534 } as const;
/** The kit of each checkout (by its root), or why it could not be made. */
const kits = new Map<string, NobodyKit | string>();

/**
 * Copies what a process run as user nobody needs (bin/killall, dist/*.cjs, koffi and its native module when present,
 * the victim binary, and this process's `node` when nobody would run another one) of the checkout at `root` into a
 * new folder under the temporary directory, checks that nobody can run killall-ts from it, and removes it when the
 * process exits. The checkout itself may be where nobody cannot go (a clone under a 0700 folder). Returns the
 * reason when that fails.
 */
function makeNobodyKit(root: string): NobodyKit | string {
  if (process.getuid?.() !== 0) return 'not root: cannot run processes as nobody';
  const dir = mkdtempSync(`${tmpdir()}/kts-nobody-`);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  for (const sub of ['bin', 'dist', 'node_modules']) mkdirSync(`${dir}/${sub}`, { mode: 0o755 });
  copyFileSync(`${root}bin/killall`, `${dir}/bin/killall`);
  chmodSync(`${dir}/bin/killall`, 0o755);
  // The main bundle and the files bundled apart that it requires on demand (--explain, --pick, killall-ts's texts).
  for (const f of readdirSync(`${root}dist`))
    if (f.endsWith('.cjs')) copyFileSync(`${root}dist/${f}`, `${dir}/dist/${f}`);
  // koffi and its platform package (the native module), so that nobody's killall-ts takes the pidfd path too.
  for (const m of ['koffi', '@koromix'])
    if (existsSync(`${root}node_modules/${m}`))
      cpSync(`${root}node_modules/${m}`, `${dir}/node_modules/${m}`, { recursive: true });
  copyFileSync(victimBinary(), `${dir}/victim`);
  chmodSync(`${dir}/victim`, 0o755);
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  let path: string | undefined;
  const asNobody = (cmd: string, env: NodeJS.ProcessEnv = process.env) =>
    spawnSync('sh', ['-c', cmd], { ...NOBODY, env, encoding: 'latin1', cwd: '/' });
  // nobody must run the Node the tests run on: a `node` on PATH that nobody cannot reach (one under a 0700 folder)
  // is skipped by the shell's PATH search, which may then find another Node.
  if (asNobody('node -p process.version').stdout.trim() !== process.version) {
    mkdirSync(`${dir}/node/bin`, { recursive: true, mode: 0o755 });
    copyFileSync(process.execPath, `${dir}/node/bin/node`);
    chmodSync(`${dir}/node/bin/node`, 0o755);
    path = `${dir}/node/bin:${process.env.PATH ?? ''}`;
  }
  const env = { ...process.env, ...(path ? { PATH: path } : {}) };
  const r = asNobody(`"${dir}/bin/killall" -V && test -x "${dir}/victim"`, env);
  if (r.status !== 0 || !r.stderr.includes('killall-ts'))
    return `user nobody cannot run killall-ts from a copy in ${tmpdir()}: ${r.stderr.trim() || `status ${r.status}`}`;
  return { dir, killall: `${dir}/bin/killall`, victim: `${dir}/victim`, ...(path ? { path } : {}) };
}

function kitOf(root: string): NobodyKit | string {
  let kit = kits.get(root);
  if (kit === undefined) {
    kit = makeNobodyKit(root);
    kits.set(root, kit);
  }
  return kit;
}

/**
 * The copies that tests running as nobody use (of this checkout, or of the one at `root`), made on first use; throws
 * when they cannot be made.
 */
export function nobodyKit(root = ROOT): NobodyKit {
  const kit = kitOf(root);
  if (typeof kit === 'string') throw new Error(kit);
  return kit;
}

/** Why tests that run processes as nobody must skip, or false (makes the kit). */
export function nobodySkip(root = ROOT): string | false {
  if (nsSkip) return nsSkip;
  const kit = kitOf(root);
  return typeof kit === 'string' ? kit : false;
}

/**
 * Runs a helper script (compiled, next to this file) as PID 1 of a new PID namespace and returns the JSON object it
 * prints last; throws with its error when it reports one.
 */
export function runInNamespace(
  script: string,
  args: readonly string[],
  timeoutMs = 180_000,
): Record<string, unknown> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, path, ...args], {
    encoding: 'latin1',
    timeout: timeoutMs,
  });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{"error":"no output"}') as Record<
    string,
    unknown
  >;
  if (out.error) throw new Error(`${script} failed: ${String(out.error)}\n${r.stderr}`);
  return out;
}

/**
 * Runs our killall in a new PID namespace with one of its output streams closed by the reader at once; resolves
 * with what came out on the other stream and the exit status.
 */
export async function runWithClosedStream(
  closed: 'stdout' | 'stderr',
  args: readonly string[],
): Promise<{ other: string; code: number | null }> {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', OURS, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child[closed].destroy();
  let other = '';
  child[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => {
    other += d.toString('latin1');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { other, code };
}
