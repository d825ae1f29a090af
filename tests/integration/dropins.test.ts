/**
 * The drop-ins on real processes, each case in a private PID namespace (ext-runner, tests/helpers/dropin-driver),
 * against the original packages from the registry where behaviour should be the same, and without the tools the
 * originals spawn (`ps`, `killall`, `ss`, `lsof`) where it should not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { byLabel, extVictim, one, runExt, sigs } from '../helpers/ext.js';
import type { ExtResult, ExtScenario, ExtVictim } from '../helpers/ext-runner.js';
import { nsSkip, runInNamespace, scenarioDir } from '../helpers/ns.js';
import { originals } from '../helpers/originals.js';

const DRIVER = fileURLToPath(new URL('../helpers/dropin-driver.js', import.meta.url));
const orig = nsSkip ? new Error(nsSkip) : originals();
const origSkip = orig instanceof Error ? orig.message : false;
/** Why user nobody cannot run the driver from this checkout (a 0700 folder above it), or false. */
function nobodyCannotRead(): string | false {
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', DRIVER]);
  return r.status === 0 ? false : 'user nobody cannot read this checkout';
}

/** PATH without ps, killall, ss or lsof (nothing at all). */
const NO_TOOLS = { PATH: '/nonexistent' };

type Result = {
  value?: unknown;
  error?: { name: string; message: string; errors?: string[] } | null;
  ms?: number;
};

/** Runs the driver: `calls` of `api` by each of `impls`, with `{pid:LABEL}` in `calls` replaced. */
function drive(
  api: string,
  impls: string,
  calls: string,
  victims: readonly ExtVictim[],
  extra: Partial<ExtScenario> = {},
  net = false,
): { r: ExtResult; out: Record<string, Result[]> } {
  const dir = typeof orig === 'string' ? orig : '/nonexistent';
  const r = runExt({
    scenario: { victims, command: [process.execPath, DRIVER, api, impls, dir, calls], ...extra },
    net,
  });
  let out: Record<string, Result[]> = {};
  try {
    out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, Result[]>;
  } catch {
    // The original crashed: no line; the caller looks at rc and stderr.
  }
  return { r, out };
}

const tree = (label: string, exe: string, n: number, depth: number, more: string[] = []): ExtVictim => ({
  label,
  exe,
  args: ['--children', String(n), `${exe}c`, '--depth', String(depth), ...more],
  size: 1 + n + (depth > 1 ? n * n : 0),
});

describe('drop-ins (private PID namespaces)', { skip: nsSkip, concurrency: 2 }, () => {
  it('tree-kill: every process of the tree gets the signal once, with no ps on PATH', () => {
    const { r, out } = drive('tree-kill', 'ours', '[[{pid:t},"SIGUSR1"]]', [tree('t', 'hx9tk', 2, 2)], {
      env: NO_TOOLS,
    });
    assert.deepEqual(out.ours, [{ error: null, ms: out.ours?.[0]?.ms }], r.stderr);
    const ps = byLabel(r, 't');
    assert.equal(ps.length, 7);
    for (const p of ps) assert.deepEqual([sigs(p), p.fate], [[10], 'gone'], `${p.pid}`);
  });

  it('tree-kill: the original does the same with ps, and crashes (spawn ps ENOENT) without it', {
    skip: origSkip,
  }, () => {
    const withPs = drive('tree-kill', 'orig', '[[{pid:t},"SIGUSR1"]]', [tree('t', 'hx9tko', 2, 2)]);
    for (const p of byLabel(withPs.r, 't')) assert.deepEqual([sigs(p), p.fate], [[10], 'gone']);
    const without = drive('tree-kill', 'orig', '[[{pid:t},"SIGUSR1"]]', [tree('t', 'hx9tkn', 2, 2)], {
      env: NO_TOOLS,
    });
    assert.notEqual(without.r.rc, 0);
    assert.match(without.r.stderr, /spawn ps ENOENT/);
    for (const p of byLabel(without.r, 't')) assert.deepEqual([sigs(p), p.fate], [[], 'alive']);
  });

  it('tree-kill: a bad pid or signal is an error and nothing is signalled', () => {
    const { r, out } = drive('tree-kill', 'ours', '[["x{pid:a}"],[0],[-1],[{pid:a},"TERM"],[{pid:a},65]]', [
      { label: 'a', exe: 'hx9tkb' },
    ]);
    assert.deepEqual(
      out.ours?.map((x) => x.error?.message),
      [
        'pid must be a number',
        'pid must be a positive process id',
        'pid must be a positive process id',
        'Unknown signal: TERM',
        'kill EINVAL',
      ],
    );
    assert.deepEqual(sigs(one(r, 'a')), []);
  });

  it('pidtree: the lists of pidtree 1.0 (ESM) and 0.6 (CommonJS), from the same processes', {
    skip: origSkip,
  }, () => {
    const calls =
      '[[{pid:t}],[{pid:t},{"root":true}],["{pid:t}",{"advanced":true,"root":true}],["x"],[-2],[-1]]';
    for (const api of ['pidtree', 'pidtree-cjs']) {
      const { out } = drive(api, 'ours,orig', calls, [tree('t', 'hx9pt', 3, 2)]);
      const [ours, theirs] = [out.ours!, out.orig!];
      assert.equal((ours[0]!.value as number[]).length, 12, api);
      for (let i = 0; i < 5; i++)
        assert.deepEqual([ours[i]!.value, ours[i]!.error], [theirs[i]!.value, theirs[i]!.error]);
      // -1: everything, in PID order; the original's list also has the `ps` it ran, gone by now.
      const all = ours[5]!.value as number[];
      const theirsAll = (theirs[5]!.value as number[]).filter((p) => all.includes(p));
      assert.deepEqual(all, theirsAll, api);
      assert.equal((theirs[5]!.value as number[]).length - theirsAll.length, 1, 'only ps is missing');
    }
  });

  it('pidtree: works without ps; the original fails', { skip: origSkip }, () => {
    const { out } = drive('pidtree', 'ours,orig', '[[{pid:t}]]', [tree('t', 'hx9ptn', 2, 1)], {
      env: NO_TOOLS,
    });
    assert.equal((out.ours![0]!.value as number[]).length, 2);
    assert.match(out.orig![0]!.error!.message, /spawn ps ENOENT/);
  });

  it('fkill: a name with spaces, a PID and ports (tcp, tcp6, udp, udp6) in one call, with no tool on PATH', () => {
    const victims: ExtVictim[] = [
      { label: 'name', exe: 'hx9 fk sp' },
      { label: 'pid', exe: 'hx9fkpid' },
      { label: 't4', exe: 'hx9fkp', args: ['--listen', 'tcp', '47101'] },
      { label: 't6', exe: 'hx9fkp', args: ['--listen', 'tcp6', '47102'] },
      { label: 'u4', exe: 'hx9fkp', args: ['--listen', 'udp', '47103'] },
      { label: 'u6', exe: 'hx9fkp', args: ['--listen', 'udp6', '47104'] },
      { label: 'near', exe: 'hx9fkp', args: ['--listen', 'tcp', '7101'] },
    ];
    const calls = '[[["hx9 fk sp",{pid:pid},":47101",":47102",":47103",":47104"]]]';
    const { r, out } = drive('fkill', 'ours', calls, victims, { env: NO_TOOLS }, true);
    assert.deepEqual(out.ours?.[0]?.value, null, JSON.stringify(out));
    for (const label of ['name', 'pid', 't4', 't6', 'u4', 'u6'])
      assert.deepEqual(sigs(one(r, label)), [15], label);
    assert.deepEqual(sigs(one(r, 'near')), [], 'port 7101 is not 47101');
  });

  it('fkill: the same outcome and messages as the original (which runs killall, kill, ps and ss)', {
    skip: origSkip,
  }, () => {
    const victims: ExtVictim[] = [
      { label: 'name', exe: 'hx9 fk so' },
      { label: 'pid', exe: 'hx9fkpo' },
      { label: 't4', exe: 'hx9fkpo', args: ['--listen', 'tcp', '47111'] },
    ];
    const calls = '[[["hx9 fk so",{pid:pid},":47111"]],[[4000,"hx9nosuch",":47119"]],[4000]]';
    for (const impl of ['ours', 'orig']) {
      const { r, out } = drive('fkill', impl, calls, victims, {}, true);
      const [kill, missing, one4000] = out[impl]!;
      assert.equal(kill!.value, null, `${impl}: ${JSON.stringify(out)}`);
      for (const label of ['name', 'pid', 't4'])
        assert.deepEqual(sigs(one(r, label)), [15], `${impl} ${label}`);
      assert.equal(missing!.error!.message, 'Failed to kill processes');
      // The original lists them in the order its child processes ended.
      assert.deepEqual(
        missing!.error!.errors!.sort(),
        [
          "Killing process 4000 failed: Process doesn't exist",
          "Killing process :47119 failed: Process doesn't exist",
          "Killing process hx9nosuch failed: Process doesn't exist",
        ],
        impl,
      );
      assert.deepEqual(one4000!.error!.errors, ["Killing process 4000 failed: Process doesn't exist"], impl);
    }
  });

  it('as another user (EPERM): fkill gives the messages the original gives; tree-kill the error process.kill gives', {
    skip: origSkip || nobodyCannotRead(),
  }, () => {
    const dir = typeof orig === 'string' ? orig : '';
    const calls = '[[{pid:a}],["hx9perm"]]';
    const asNobody = [
      'setpriv',
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      DRIVER,
    ];
    const f = runExt({
      scenario: {
        victims: [{ label: 'a', exe: 'hx9perm' }],
        command: [...asNobody, 'fkill', 'ours,orig', dir, calls],
      },
    });
    const out = JSON.parse(f.stdout.trim().split('\n').pop() ?? '{}') as Record<string, Result[]>;
    const pid = f.pids.a;
    assert.deepEqual(
      out.ours!.map((x) => x.error?.errors),
      [
        [`Killing process ${pid} failed: kill: (${pid}): Operation not permitted`],
        [
          `Killing process hx9perm failed: hx9perm(${pid}): Operation not permitted\nhx9perm: no process found`,
        ],
      ],
    );
    assert.deepEqual(
      out.ours!.map((x) => x.error?.errors),
      out.orig!.map((x) => x.error?.errors),
    );
    const t = runExt({
      scenario: {
        victims: [{ label: 'a', exe: 'hx9permt' }],
        command: [...asNobody, 'tree-kill', 'ours', dir, '[[{pid:a}]]'],
      },
    });
    const tk = JSON.parse(t.stdout.trim().split('\n').pop() ?? '{}') as Record<string, Result[]>;
    assert.equal(tk.ours![0]!.error!.message, 'kill EPERM');
    assert.deepEqual(sigs(one(t, 'a')), []);
  });

  it('fkill: tree (descendants too, on Linux), forceAfterTimeout (SIGKILL through the pin), waitForExit', () => {
    const victims: ExtVictim[] = [
      tree('tree', 'hx9fkt', 2, 1),
      { label: 'stay', exe: 'hx9fks', args: ['--stay'] },
      { label: 'late', exe: 'hx9fkl', args: ['--stay'] },
    ];
    const calls =
      '[[{pid:tree},{"tree":true}],[{pid:stay},{"forceAfterTimeout":200}],[{pid:late},{"waitForExit":300}]]';
    const { r, out } = drive('fkill', 'ours', calls, victims);
    const [t, f, w] = out.ours!;
    assert.equal(t!.value, null);
    for (const p of byLabel(r, 'tree')) assert.deepEqual([sigs(p), p.fate], [[15], 'gone'], `${p.pid}`);
    assert.equal(f!.value, null);
    assert.deepEqual([sigs(one(r, 'stay')), one(r, 'stay').exit], [[15], 'SIGKILL']);
    assert.deepEqual(
      [w!.error!.message, w!.error!.errors],
      ['Processes did not exit within timeout', [`Process ${r.pids.late} did not exit within 300ms`]],
    );
    assert.deepEqual(sigs(one(r, 'late')), [15]);
  });

  it('fkill: never its own process; a bad PID (0, -1, 1.5) does not exist', () => {
    const { out } = drive('fkill', 'ours', '[[0],[-1],[1.5]]', [{ label: 'a', exe: 'hx9fkz' }]);
    assert.deepEqual(
      out.ours!.map((x) => x.error?.errors),
      [0, -1, 1.5].map((n) => [`Killing process ${n} failed: Process doesn't exist`]),
    );
  });

  it('kill-port: the exact port, tcp and udp, IPv4 and IPv6, SIGKILL; the original also "kills" a port that only shares digits', {
    skip: origSkip,
  }, () => {
    const victims: ExtVictim[] = [
      { label: 'a', exe: 'hx9kp', args: ['--listen', 'tcp', '49302'] },
      { label: 'b', exe: 'hx9kp', args: ['--listen', 'tcp6', '47121'] },
      { label: 'c', exe: 'hx9kp', args: ['--listen', 'udp', '47122'] },
      { label: 'd', exe: 'hx9kp', args: ['--listen', 'udp6', '47123'] },
    ];
    const calls = '[[9302],[49302],[47121],["47122","udp"],[47123,"udp"],[47124],[0],["x"],[70000]]';
    const { r, out } = drive('kill-port', 'ours', calls, victims, { env: NO_TOOLS }, true);
    const msg = out.ours!.map((x) => x.error?.message ?? (x.value as { code: number }).code);
    assert.deepEqual(msg, [
      'No process running on port',
      0,
      0,
      0,
      0,
      'No process running on port',
      'Invalid port number provided',
      'Invalid port number provided',
      'Invalid port number provided',
    ]);
    for (const label of ['a', 'b', 'c', 'd']) assert.deepEqual([one(r, label).exit], ['SIGKILL'], label);
    const o = drive('kill-port', 'orig', '[[9302]]', [victims[0]!], {}, true);
    assert.equal(o.out.orig![0]!.error, undefined, 'the original resolves for 9302 (it matched 49302)');
    assert.deepEqual([one(o.r, 'a').fate], ['alive'], 'and killed nothing');
  });
});

describe('signalTree with the races forced (private PID namespaces)', {
  skip: nsSkip,
  concurrency: 2,
}, () => {
  type Facts = { sup: number; kids: number[]; born?: number; newcomer?: number; failed: [number, string][] };
  const race = (mode: string, passes: number) => {
    const dir = scenarioDir();
    mkdirSync(dir, { recursive: true });
    try {
      const f = runInNamespace('tree-runner.js', [
        extVictim(),
        dir,
        mode,
        String(passes),
      ]) as unknown as Facts & {
        signals: Record<string, string[]>;
      };
      return f;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  it('a child born during the walk is found by the next pass and signalled (not with maxPasses 1)', () => {
    const f = race('rewalk', 8);
    assert.deepEqual(f.signals[f.born!], ['15'], JSON.stringify(f));
    assert.deepEqual(f.signals[f.sup], ['15']);
    const once = race('rewalk', 1);
    assert.deepEqual(once.signals[once.born!], [], 'the control: one pass misses it');
  });
  it('a child born while the tree is signalled is found after the sends and signalled (not with maxPasses 1)', () => {
    const f = race('newcomer', 8);
    assert.deepEqual(f.signals[f.born!], ['15'], JSON.stringify(f));
    assert.deepEqual(f.signals[f.kids[0]!], ['15']);
    const once = race('newcomer', 1);
    assert.deepEqual(
      once.signals[once.born!],
      [],
      'the control: without the pass after the sends it is missed',
    );
  });
  it('a PID reused between the walk and its signal: the newcomer gets nothing, the rest of the tree is signalled', () => {
    const f = race('reuse', 8);
    assert.equal(f.newcomer, f.kids[0], 'the newcomer took the PID of the first child');
    assert.deepEqual(f.signals[f.newcomer!], [], JSON.stringify(f));
    assert.deepEqual(f.failed, [[f.kids[0], 'ESRCH']]);
    assert.deepEqual([f.signals[f.kids[1]!], f.signals[f.sup]], [['15'], ['15']]);
  });
});
