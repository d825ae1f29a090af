/**
 * The original npm packages the drop-ins replace, installed from the registry into a folder of the temporary
 * directory once for the test files of a run (and later runs), for differential tests and the consumer test. Tests
 * skip, with the reason, when the registry cannot be reached. Installs older than a day are removed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
/** Folders of earlier installs are removed once they are a day old. */
const KEEP_MS = 24 * 3600 * 1000;

function pruneOld(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('kts-npm-')) continue;
    const path = `${tmpdir()}/${name}`;
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another test file removed it first.
    }
  }
}

/**
 * A folder with `node_modules` holding `specs` (and `package.json` with `extra` merged in), installed once for a
 * given spec list (another test file, or a later run, reuses it; a `file:` spec must name its content, see
 * {@link contentNamed}). Returns the folder, or why it cannot be had.
 */
export function installed(specs: readonly string[], extra: Record<string, unknown> = {}): string | Error {
  const id = createHash('sha256')
    .update(JSON.stringify([specs, extra]))
    .digest('hex')
    .slice(0, 12);
  const dir = `${tmpdir()}/kts-npm-${id}`;
  const known = cache.get(dir);
  if (known) return known;
  if (!existsSync(`${dir}/.done`)) {
    pruneOld();
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

/** A copy of a tarball under a name made of its content (so that an install keyed by its path is keyed by it). */
export function contentNamed(tgz: string): string {
  const hash = createHash('sha256').update(readFileSync(tgz)).digest('hex').slice(0, 16);
  const out = `${tmpdir()}/kts-npm-tgz-${hash}.tgz`;
  if (!existsSync(out)) copyFileSync(tgz, out);
  return out;
}
