/** Runs an extension scenario (tests/helpers/ext-runner.ts) as PID 1 of a private PID namespace. */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtResult, ExtScenario } from './ext-runner.js';
import { compiledHelper, nobodyKit, ROOT, scenarioDir } from './ns.js';

const RUNNER = fileURLToPath(new URL('./ext-runner.js', import.meta.url));

/** The command element that stands for the launcher of the nobody kit (tests/helpers/ns.ts), and its PATH. */
export const NOBODY_KILLALL = '{nobody:killall}';

/** One extension scenario, and what it needs besides. */
export interface ExtCase {
  readonly scenario: ExtScenario;
  /** A private network namespace too (sockets on fixed ports). */
  readonly net?: boolean;
  /** The command runs the nobody kit's launcher ({@link NOBODY_KILLALL}). */
  readonly nobody?: boolean;
}

/** The compiled victim (tests/helpers/ext-victim.c). */
export const extVictim = (): string => compiledHelper('ext-victim');

/**
 * Runs one scenario in a fresh folder (or `dir`, which it empties first and removes after), with `root`'s nobody
 * kit for {@link NOBODY_KILLALL}; throws the runner's error.
 */
export function runExt(c: ExtCase, opts: { dir?: string; root?: string } = {}): ExtResult {
  const dir = opts.dir ?? scenarioDir();
  rmSync(dir, { recursive: true, force: true });
  const kit = c.nobody ? nobodyKit(opts.root ?? ROOT) : undefined;
  const sc: ExtScenario = kit
    ? {
        ...c.scenario,
        command: c.scenario.command.map((a) => (a === NOBODY_KILLALL ? kit.killall : a)),
        ...(kit.path ? { env: { ...c.scenario.env, PATH: kit.path } } : {}),
      }
    : c.scenario;
  try {
    const payload = JSON.stringify({ ...sc, victimBinary: extVictim(), dir });
    const r = spawnSync(
      'unshare',
      ['--pid', '--fork', '--mount-proc', ...(c.net ? ['--net'] : []), process.execPath, RUNNER, payload],
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
