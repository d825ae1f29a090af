/**
 * The original npm packages the drop-ins replace, installed from the registry once per run into a folder of the
 * temporary directory (shared by the test files of the run), for differential tests and the consumer test. Tests
 * skip, with the reason, when the registry cannot be reached.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** The originals, at the versions the drop-ins reproduce (pidtree 0.6 under an alias). */
export const ORIGINALS = [
  'tree-kill@1.2.2',
  'pidtree@1.0.0',
  'pidtree06@npm:pidtree@0.6.0',
  'fkill@10.0.3',
  'kill-port@2.0.1',
];

/** npm with the registry settings of this machine (NODE_EXTRA_CA_CERTS kept for npm), quietly. */
export function npm(args: readonly string[], cwd: string, timeout = 600_000) {
  return spawnSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
}

const cache = new Map<string, string>();

/**
 * A folder with `node_modules` holding `specs` (and `package.json` with `extra` merged in), installed once per run
 * (per spec list): another test file of the same run reuses it. Returns the folder, or why it cannot be had.
 */
export function installed(specs: readonly string[], extra: Record<string, unknown> = {}): string | Error {
  const id = createHash('sha256')
    .update(JSON.stringify([specs, extra, process.ppid]))
    .digest('hex')
    .slice(0, 12);
  const dir = `${tmpdir()}/kts-npm-${id}`;
  const known = cache.get(dir);
  if (known) return known;
  if (!existsSync(`${dir}/.done`)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(`${tmp}/package.json`, JSON.stringify({ name: 'kts-scratch', private: true, ...extra }));
    const r = npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', ...specs], tmp);
    if (r.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      return new Error(
        `npm install ${specs.join(' ')} failed (registry unreachable?): ${r.stderr.slice(-400)}`,
      );
    }
    writeFileSync(`${tmp}/.done`, '');
    try {
      renameSync(tmp, dir);
    } catch {
      // Another test file of this run finished first: use its folder.
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  cache.set(dir, dir);
  return dir;
}

/** The originals' folder, or an Error saying why they cannot be installed. */
export function originals(): string | Error {
  return installed(ORIGINALS);
}
