/**
 * The wrapper packages as consumers get them: packed (with killall-ts), publint- and attw-clean, then installed
 * through npm `overrides` under real consumer projects from the registry (concurrently, which kills through
 * tree-kill; npm-run-all2, which lists trees through pidtree), whose kills are run in a private PID namespace whose
 * PATH has no `ps`, `lsof`, `ss` or `killall`: they work with the override and not without. On macOS and Windows
 * (npm's --os, and process.platform) the wrappers install without killall-ts and hand over to the original package,
 * never to themselves.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { nsSkip } from '../helpers/ns.js';
import { contentNamed, installed, npm } from '../helpers/originals.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = `${ROOT}node_modules/.bin`;
const WRAPPERS = ['tree-kill', 'pidtree', 'fkill', 'kill-port'] as const;
/** Projects that depend on tree-kill and pidtree, and the two APIs used directly. */
const CONSUMERS = ['concurrently@9.2.5', 'npm-run-all2@7.0.2'];
const DIRECT = ['fkill@10.0.3', 'kill-port@2.0.1'];

const npmMissing = npm(['--version'], ROOT).status === 0 ? false : 'npm is not on PATH';

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  return {
    status: r.status,
    out: `${r.stdout ?? ''}${r.stderr ?? ''}`,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
}

describe('the wrapper packages under real consumers', { skip: npmMissing, concurrency: 1 }, () => {
  let work = '';
  const tgz: Record<string, string> = {};
  before(() => {
    work = mkdtempSync(`${tmpdir()}/kts-consumers-`);
    const dirs = [ROOT, ...WRAPPERS.map((w) => `${ROOT}packages/${w}`)];
    const r = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...dirs], ROOT);
    assert.equal(r.status, 0, r.stderr);
    const files = (JSON.parse(r.stdout) as { filename: string }[]).map((f) => `${work}/${f.filename}`);
    // Named by content: an install keyed by these paths is reused while the packages do not change.
    tgz['killall-ts'] = contentNamed(files[0]!);
    WRAPPERS.forEach((w, i) => {
      tgz[w] = contentNamed(files[i + 1]!);
    });
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The consumers installed with every API overridden by its wrapper (and killall-ts by its tarball). */
  const withOverrides = (os?: string): string | Error => {
    // A dependency of a dependency is replaced through `overrides`; a direct one by its spec (npm refuses an
    // override that conflicts with a direct dependency).
    const overrides = {
      'killall-ts': `file:${tgz['killall-ts']}`,
      'tree-kill': `file:${tgz['tree-kill']}`,
      pidtree: `file:${tgz.pidtree}`,
    };
    const direct = [`fkill@file:${tgz.fkill}`, `kill-port@file:${tgz['kill-port']}`];
    return installed([...CONSUMERS, ...direct, ...(os ? [`--os=${os}`] : [])], { overrides });
  };

  it('publint and attw find nothing to report in any wrapper', () => {
    for (const w of WRAPPERS) {
      const p = run(`${BIN}/publint`, ['run', tgz[w]!, '--strict'], work);
      assert.equal(p.status, 0, `${w}: ${p.out}`);
      assert.match(p.out, /All good!/, w);
      // fkill is ESM-only, as the original: CommonJS callers import() it.
      const profile = w === 'fkill' ? ['--profile', 'esm-only'] : [];
      const a = run(`${BIN}/attw`, [tgz[w]!, ...profile], work);
      assert.equal(a.status, 0, `${w}: ${a.out}`);
      assert.match(a.out, w === 'fkill' ? /ignored per resolution/ : /No problems found/, w);
    }
  });

  it('concurrently -k and run-p --race kill with the override, without ps, lsof, ss or killall on PATH', (t) => {
    if (nsSkip) return t.skip(nsSkip);
    const over = withOverrides();
    if (over instanceof Error) return t.skip(over.message);
    const plain = installed([...CONSUMERS, ...DIRECT]);
    if (plain instanceof Error) return t.skip(plain.message);
    const withIt = consume(over);
    assert.equal(withIt.concurrently.left, '', `no sleep left: ${withIt.concurrently.out}`);
    assert.doesNotMatch(withIt.concurrently.out, /ENOENT/);
    assert.deepEqual([withIt.runp.rc, withIt.runp.left], ['0', ''], withIt.runp.out);
    const without = consume(plain);
    assert.match(without.concurrently.out, /spawn ps ENOENT/);
    assert.notEqual(without.concurrently.left, '', 'the original leaves sleep 100 running');
    assert.equal(
      without.runp.rc,
      '124',
      `run-p --race waits for the task it could not kill: ${without.runp.out}`,
    );
  });

  it('the override reaches every copy: each API resolves to its wrapper, which loads killall-ts on Linux', (t) => {
    const over = withOverrides();
    if (over instanceof Error) return t.skip(over.message);
    const r = probeIn(over, 'linux');
    assert.equal(r.stderr, '');
    const got = JSON.parse(r.stdout) as Record<string, { wrapper: boolean; impl: string }>;
    for (const w of WRAPPERS)
      assert.deepEqual(got[w], { wrapper: true, impl: 'killall-ts' }, `${w}: ${r.out}`);
  });

  it('on macOS: installs without killall-ts and hands over to the original package, never to itself', (t) => {
    const mac = withOverrides('darwin');
    if (mac instanceof Error) return t.skip(mac.message);
    assert.ok(!existsSync(`${mac}/node_modules/killall-ts`), 'killall-ts (os: linux) is skipped');
    const r = probeIn(mac, 'darwin');
    const got = JSON.parse(r.stdout) as Record<string, { wrapper: boolean; impl: string }>;
    for (const w of WRAPPERS) assert.deepEqual(got[w], { wrapper: true, impl: 'original' }, `${w}: ${r.out}`);
    assert.equal(r.stderr, '', 'no warning: the original is what macOS gets');
    // The same folder on Linux is what `npm install --omit=optional` leaves: the original serves, with a warning.
    const omitted = probeIn(mac, 'linux');
    const fallback = JSON.parse(omitted.stdout) as Record<string, { impl: string }>;
    for (const w of WRAPPERS) assert.equal(fallback[w]?.impl, 'original', w);
    assert.match(omitted.stderr, /killall-ts is not installed: tree-kill falls back to the original package/);
  });
});

/** Runs tests/helpers/wrapper-probe.ts on a consumer folder, with process.platform as `platform`. */
function probeIn(dir: string, platform: string) {
  const probe = `${ROOT}dist/tests/helpers/wrapper-probe.js`;
  const script = `Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} });
    const { probe } = await import(${JSON.stringify(probe)});
    console.log(JSON.stringify(await probe(${JSON.stringify(dir)})));`;
  return run(process.execPath, ['--input-type=module', '-e', script], dir);
}

/** Runs the two consumers' kills in a private PID namespace, PATH holding only node, npm, sh, sleep and false. */
function consume(dir: string): Record<'concurrently' | 'runp', { rc: string; out: string; left: string }> {
  const tools = mkdtempSync(`${tmpdir()}/kts-tools-`);
  try {
    for (const tool of ['sh', 'sleep', 'false'])
      symlinkSync(
        spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(),
        `${tools}/${tool}`,
      );
    symlinkSync(process.execPath, `${tools}/node`);
    const npmCli = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(npmCli, `${tools}/npm`);
    for (const t of ['ps', 'lsof', 'ss', 'killall']) assert.ok(!existsSync(`${tools}/${t}`));
    writeFileSync(
      `${dir}/package.json`,
      JSON.stringify({
        ...JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')),
        scripts: { hx9long: 'sleep 100', hx9short: 'sleep 0.5' },
      }),
    );
    const out: Record<string, { rc: string; out: string; left: string }> = {};
    const cases = {
      concurrently: `"${dir}/node_modules/concurrently/dist/bin/concurrently.js" -k "sleep 100" "sleep 0.5; false"`,
      runp: `"${dir}/node_modules/npm-run-all2/bin/run-p/index.js" --race hx9long hx9short`,
    };
    for (const [name, cmd] of Object.entries(cases)) {
      // PID 1 runs the consumer with the bare PATH (bounded by timeout), then lists any sleep still running.
      const script = `cd "${dir}"; timeout 30 env -i HOME="$HOME" PATH="${tools}" node ${cmd} >out.txt 2>&1; echo "rc=$?";
        for f in /proc/[0-9]*/comm; do [ "$(cat "$f" 2>/dev/null)" = sleep ] && echo "left=$f"; done; cat out.txt`;
      const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', script], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      const text = r.stdout ?? '';
      out[name] = {
        rc: /rc=(\d+)/.exec(text)?.[1] ?? '?',
        left: [...text.matchAll(/left=(\S+)/g)].map((m) => m[1]).join(' '),
        out: text + (r.stderr ?? ''),
      };
    }
    return out as Record<'concurrently' | 'runp', { rc: string; out: string; left: string }>;
  } finally {
    rmSync(tools, { recursive: true, force: true });
  }
}
