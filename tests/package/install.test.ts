import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { completionFileName, renderCompletion, SHELLS } from '../../src/cli/completion.js';
import { renderHelp } from '../../src/cli/help.js';
import { renderSignalList } from '../../src/signal/signals.js';
import { nsSkip, runScenario } from '../helpers/ns.js';

/**
 * The package as a user gets it: `npm pack`, lint of the tarball (publint, attw with the esm-only profile), the
 * lockfile in step with package.json, then `npm install -g` of the tarball into a fresh prefix, offline (koffi and
 * its Linux binary package are packed from node_modules, which `npm ci` filled from the npm cache), and the
 * installed commands, man page, completions and library used for real.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = `${ROOT}node_modules/.bin`;
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  man: string[];
  files: string[];
};

function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, npm_config_update_notifier: 'false', ...opts.env },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

const npmMissing = run('npm', ['--version']).status === 0 ? false : 'npm is not on PATH';

describe('the packed package', { skip: npmMissing, concurrency: 1 }, () => {
  let work = '';
  let tgz = '';
  let packed: { path: string }[] = [];
  before(() => {
    work = mkdtempSync(`${tmpdir()}/kts-pkg-`);
    // --ignore-scripts: `npm test` has built dist/ already; prepare would rebuild it under the running tests.
    const r = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work]);
    assert.equal(r.status, 0, r.stderr);
    const info = (
      JSON.parse(r.stdout) as { filename: string; size: number; files: { path: string }[] }[]
    )[0]!;
    tgz = `${work}/${info.filename}`;
    packed = info.files;
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('package-lock.json is what npm install would write for package.json', () => {
    const dir = `${work}/lock`;
    mkdirSync(dir);
    copyFileSync(`${ROOT}package.json`, `${dir}/package.json`);
    copyFileSync(`${ROOT}package-lock.json`, `${dir}/package-lock.json`);
    const r = run(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
      {
        cwd: dir,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      readFileSync(`${dir}/package-lock.json`, 'utf8'),
      readFileSync(`${ROOT}package-lock.json`, 'utf8'),
      'npm install would rewrite package-lock.json: run npm install and commit the lock',
    );
  });

  it('the tarball holds what package.json promises, and no tests or CLI modules', () => {
    const paths = new Set(packed.map((f) => f.path));
    for (const p of [...Object.values(pkg.bin), ...pkg.man.map((m) => m.replace(/^\.\//, ''))])
      assert.ok(paths.has(p), p);
    for (const shell of SHELLS) assert.ok(paths.has(`dist/completions/${completionFileName(shell)}`), shell);
    for (const p of [
      'dist/killall.cjs',
      'dist/killall-ts.cjs',
      'dist/killall-ts-extras.cjs',
      'dist/src/index.js',
    ])
      assert.ok(paths.has(p), p);
    assert.ok(paths.has('dist/src/index.d.ts'));
    assert.ok(paths.has('docs/api/README.md'));
    assert.deepEqual(
      // The CLI ships as its bundles; the library's dist/src has no use for the CLI's modules.
      [...paths].filter((p) => /^(dist\/tests|dist\/src\/cli|src|tests)\//.test(p)),
      [],
    );
  });

  it('publint finds nothing to report (strict)', () => {
    const r = run(`${BIN}/publint`, ['run', tgz, '--strict']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /All good!/);
  });

  it('attw: the types resolve for ESM and bundlers; CommonJS is served by require(esm) (profile esm-only)', () => {
    const r = run(`${BIN}/attw`, [tgz, '--profile', 'esm-only', '--format', 'json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as {
      analysis: { problems: { kind: string; resolutionKind: string }[] };
    };
    const kept = report.analysis.problems.filter((p) => !['node10', 'node16-cjs'].includes(p.resolutionKind));
    assert.deepEqual(kept, []);
  });

  it('npx: the bin named like the package is killall-ts, and npm exec runs it from the tarball', () => {
    // `npx killall-ts` runs the bin whose name is the package's when a package has several.
    assert.equal(pkg.bin[pkg.name], 'bin/killall-ts');
    const dir = `${work}/npx`;
    mkdirSync(dir);
    const r = run(
      'npm',
      ['exec', '--yes', '--offline', `--package=${tgz}`, '--', 'killall-ts', '--version'],
      {
        cwd: dir,
        env: { npm_config_cache: `${work}/npx-cache` },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^killall \(killall-ts\) /);
  });

  describe('npm install -g of the tarball into a fresh prefix', () => {
    let prefix = '';
    before(() => {
      prefix = `${work}/prefix`;
      mkdirSync(prefix);
      // koffi is an optional dependency: offline, npm cannot resolve its range without the registry, so koffi and
      // its binary package for this platform are installed beside it from tarballs packed out of node_modules.
      const deps: string[] = [];
      if (existsSync(`${ROOT}node_modules/koffi/package.json`)) {
        const plat = `@koromix/koffi-${process.platform}-${process.arch}`;
        const dirs = [`${ROOT}node_modules/koffi`, `${ROOT}node_modules/${plat}`].filter((d) =>
          existsSync(d),
        );
        const p = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ...dirs]);
        assert.equal(p.status, 0, p.stderr);
        for (const f of JSON.parse(p.stdout) as { filename: string }[]) deps.push(`${work}/${f.filename}`);
      }
      const r = run(
        'npm',
        ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tgz, ...deps],
        {
          cwd: work,
        },
      );
      assert.equal(r.status, 0, r.stderr);
    });

    it('killall -l lists the signals', () => {
      const r = run(`${prefix}/bin/killall`, ['-l']);
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, renderSignalList(), '']);
    });

    it('killall-ts --help prints the full help; killall --help stays psmisc usage', () => {
      const r = run(`${prefix}/bin/killall-ts`, ['--help']);
      assert.deepEqual([r.status, r.stdout, r.stderr], [0, renderHelp(), '']);
      const k = run(`${prefix}/bin/killall`, ['--help']);
      assert.equal(k.status, 1);
      assert.match(k.stderr, /^Usage: killall \[OPTION\]\.\.\. \[--\] NAME\.\.\.\n/);
      const v = run(`${prefix}/bin/killall-ts`, ['--version']);
      assert.equal(v.status, 0);
      assert.match(v.stdout, new RegExp(`^killall \\(killall-ts\\) ${pkg.version.replace(/\./g, '\\.')}\\n`));
    });

    it('the completion files are installed and are what --generate-completion prints', () => {
      for (const shell of SHELLS) {
        const file = `${prefix}/lib/node_modules/${pkg.name}/dist/completions/${completionFileName(shell)}`;
        const r = run(`${prefix}/bin/killall-ts`, ['--generate-completion', shell]);
        assert.deepEqual([r.status, r.stdout], [0, renderCompletion(shell)], shell);
        assert.equal(readFileSync(file, 'utf8'), r.stdout, shell);
      }
    });

    it('the installed completions work: bash through source <(killall-ts --generate-completion bash), fish from its directory', (t) => {
      const bash = run('bash', [
        '-c',
        `source <("${prefix}/bin/killall-ts" --generate-completion bash) && complete -p killall-ts && ` +
          "COMP_LINE='killall-ts --sig' COMP_POINT=16 COMP_WORDS=(killall-ts --sig) COMP_CWORD=1 && _killall_ts && " +
          // biome-ignore lint/suspicious/noTemplateCurlyInString: bash syntax, not a placeholder
          'printf "%s\\n" "${COMPREPLY[@]}"',
      ]);
      assert.deepEqual(
        [bash.status, bash.stdout],
        [0, 'complete -F _killall_ts killall-ts\n--signal\n'],
        bash.stderr,
      );
      if (run('fish', ['--version']).status !== 0) return t.skip('fish is not installed');
      const config = `${work}/fish-config`;
      mkdirSync(`${config}/fish/completions`, { recursive: true });
      symlinkSync(
        `${prefix}/lib/node_modules/${pkg.name}/dist/completions/killall-ts.fish`,
        `${config}/fish/completions/killall-ts.fish`,
      );
      const fish = run('fish', ['-c', "complete --do-complete 'killall-ts --sig'"], {
        env: { XDG_CONFIG_HOME: config, PATH: `${prefix}/bin:${process.env.PATH}` },
      });
      assert.equal(fish.status, 0, fish.stderr);
      assert.equal(fish.stdout.split('\t')[0], '--signal');
    });

    it('man finds the installed page and renders it', (t) => {
      if (run('man', ['--version']).status !== 0) return t.skip('man is not installed');
      const page = `${prefix}/share/man/man1/killall-ts.1`;
      assert.ok(existsSync(page), page);
      const env = { MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' };
      const l = run('man', ['--warnings', '-l', page], { env });
      assert.deepEqual([l.status, l.stderr], [0, '']);
      assert.match(l.stdout, /^KILLALL-TS\(1\)/);
      assert.match(l.stdout, /--generate-completion/);
      // `man killall-ts` as a user would get it once the prefix's man directory is searched.
      const m = run('man', ['killall-ts'], { env: { ...env, MANPATH: `${prefix}/share/man` } });
      assert.equal(m.status, 0, m.stderr);
      assert.equal(m.stdout, l.stdout);
    });

    it('a real kill inside a private PID namespace, through pidfd_send_signal when koffi is there', (t) => {
      if (nsSkip) return t.skip(nsSkip);
      const strace = run('strace', ['-V']).status === 0;
      const out = `${work}/strace.txt`;
      for (const name of ['killall', 'killall-ts']) {
        const cmd = strace
          ? ['strace', '-f', '-e', 'trace=pidfd_send_signal,kill', '-o', out, `${prefix}/bin/${name}`]
          : [`${prefix}/bin/${name}`];
        const r = runScenario(cmd, {
          victims: [{ label: 'a', exe: 'ktspkgvictim' }],
          args: ['-v', '-w', 'ktspkgvictim'],
        });
        assert.equal(r.rc, 0, `${name}: ${r.stderr}`);
        assert.match(r.stderr, /^Killed ktspkgvictim\(\d+\) with signal 15\n$/);
        assert.deepEqual(r.victims.a?.signals, [15]);
        if (!strace) continue;
        const trace = readFileSync(out, 'utf8');
        const koffi = existsSync(`${prefix}/lib/node_modules/koffi/package.json`);
        if (koffi) {
          assert.match(trace, /pidfd_send_signal\(\d+, SIGTERM, NULL, 0\) = 0/, trace);
          assert.doesNotMatch(trace, /\bkill\(\d+, SIGTERM\)/, trace);
        } else assert.match(trace, /\bkill\(\d+, SIGTERM\) = 0/, trace);
      }
      if (!strace) t.diagnostic('strace is not installed: the signal path was not checked');
    });

    it('the library imports from an ESM and a CommonJS consumer', () => {
      const consumer = `${work}/consumer`;
      mkdirSync(`${consumer}/node_modules`, { recursive: true });
      symlinkSync(`${prefix}/lib/node_modules/${pkg.name}`, `${consumer}/node_modules/${pkg.name}`);
      const probe = (api: Record<string, unknown>) =>
        JSON.stringify({
          killall: typeof api.killall,
          findProcesses: typeof api.findProcesses,
          KillallError: typeof api.KillallError,
          signals: (api.SIGNAL_NAMES as string[]).length,
        });
      writeFileSync(
        `${consumer}/esm.mjs`,
        `import * as api from 'killall-ts';\nconsole.log((${probe.toString()})(api));\n` +
          "const found = await api.findProcesses({ names: ['kts-nothing-runs-as-this'] });\nconsole.log(found.length);\n",
      );
      writeFileSync(
        `${consumer}/cjs.cjs`,
        `const api = require('killall-ts');\nconsole.log((${probe.toString()})(api));\n` +
          "api.findProcesses({ names: ['kts-nothing-runs-as-this'] }).then((f) => console.log(f.length));\n",
      );
      const want = `${JSON.stringify({ killall: 'function', findProcesses: 'function', KillallError: 'function', signals: 31 })}\n0\n`;
      for (const file of ['esm.mjs', 'cjs.cjs']) {
        const r = run(process.execPath, [file], { cwd: consumer });
        assert.deepEqual([r.status, r.stdout, r.stderr], [0, want, ''], file);
      }
    });
  });
});
