/** Runs an ext-runner scenario (tests/helpers/ext-runner.ts) in a new private PID namespace, and reads its result. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtProcess, ExtResult, ExtScenario } from './ext-runner.js';
import { compiledHelper, scenarioDir } from './ns.js';

const RUNNER = fileURLToPath(new URL('./ext-runner.js', import.meta.url));

/** The compiled ext-victim binary. */
export const extVictim = (): string => compiledHelper('ext-victim');

/** Runs `sc` as PID 1 of a new PID namespace (and network namespace with `net`); throws the runner's error. */
export function runExt(sc: ExtScenario, opts: { net?: boolean } = {}): ExtResult {
  const dir = scenarioDir();
  rmSync(dir, { recursive: true, force: true });
  try {
    const payload = JSON.stringify({ ...sc, victimBinary: extVictim(), dir });
    const r = spawnSync(
      'unshare',
      ['--pid', '--fork', '--mount-proc', ...(opts.net ? ['--net'] : []), process.execPath, RUNNER, payload],
      {
        encoding: 'latin1',
        timeout: (sc.timeoutMs ?? 30_000) + 60_000,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: '' },
      },
    );
    const parsed = JSON.parse(r.stdout.trim().split('\n').pop() || '{"error":"no output"}') as ExtResult & {
      error?: string;
    };
    if (parsed.error) throw new Error(`ext-runner failed: ${parsed.error}\n${r.stderr}`);
    return parsed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The processes of a scenario's tree labelled `label`. */
export const byLabel = (r: ExtResult, label: string): ExtProcess[] =>
  r.processes.filter((p) => p.label === label);

/** The one process labelled `label`. */
export const one = (r: ExtResult, label: string): ExtProcess => {
  const ps = byLabel(r, label);
  assert.equal(ps.length, 1, `one process labelled ${label}`);
  return ps[0]!;
};

/** The signals a process handled, in order. */
export const sigs = (p: ExtProcess): number[] => p.signals.map((s) => s.sig);
