/** Helpers for tests that send real signals: only ever inside a private PID namespace. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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

function compile(name: string): string {
  const src = `${ROOT}tests/helpers/${name}.c`;
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 12);
  const out = `${tmpdir()}/killall-ts-${name}-${hash}`;
  if (!existsSync(out))
    execFileSync('cc', ['-O2', '-o', `${out}.tmp`, src]) && execFileSync('mv', [`${out}.tmp`, out]);
  return out;
}

let victim: string | undefined;
/** The compiled victim binary (tests/helpers/victim.c). */
export function victimBinary(): string {
  victim ??= compile('victim');
  return victim;
}

/** The compiled glibc regex oracle (tests/helpers/regcomp-oracle.c). */
export function regexOracle(): string {
  return compile('regcomp-oracle');
}

let seq = 0;
/** A fresh scenario folder path (same path for both runs of a differential case). */
export function scenarioDir(): string {
  return `${tmpdir()}/kts-${process.pid}-${++seq}`;
}

/** Runs a scenario in a new PID namespace with the given killall command. */
export function runScenario(killall: readonly string[], sc: Scenario, dir = scenarioDir()): RunResult {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const payload = JSON.stringify({ ...sc, victimBinary: victimBinary(), killall, dir });
    const init = sc.groupOne ? ['setsid', process.execPath] : [process.execPath];
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', ...init, RUNNER, payload], {
      encoding: 'latin1',
      timeout: (sc.timeoutMs ?? 15000) + 30000,
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

/** Runs the scenario with psmisc and with killall-ts, in that order, from the same folder path. */
export function runBoth(sc: Scenario): { psmisc: RunResult; ours: RunResult } {
  const dir = scenarioDir();
  return { psmisc: runScenario([PSMISC], sc, dir), ours: runScenario([OURS], sc, dir) };
}

/** What a differential test compares: everything but timing. */
export function comparable(r: RunResult): Omit<RunResult, 'elapsedMs' | 'pids'> {
  const { elapsedMs: _, pids: __, ...rest } = r;
  return rest;
}

/**
 * Runs a helper script (compiled, next to this file) as PID 1 of a new PID namespace and returns the JSON object it
 * prints last; throws with its error when it reports one.
 */
export function runInNamespace(
  script: string,
  args: readonly string[],
  timeoutMs = 60_000,
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
