// npm run build && node bench/pick.mjs: time from exec to the picker's first full frame, seen in a tmux capture,
// in a private PID namespace holding N idle processes (tmux is its PID 1). Compared in the same run with
// fkill-cli's time to its list when FKILL_BIN points at an installed fkill (npm i fkill-cli into /tmp, never -g).
// Then the picker at rest against `top -d 1` on the same crowd, alternating (PICK_IDLE_ROUNDS of each): CPU used
// (utime + stime from /proc/PID/stat) over PICK_IDLE_S seconds while nobody types, after PICK_SETTLE_S seconds
// from its first frame, and its resident memory (VmRSS, VmHWM) at the end.
// PICK_BEFORE=/path/to/another/checkout/bin/killall adds that build's picker to both measurements, alternating with
// this one's (before and after a change, in one run).
// Env: PICK_N=5000 PICK_SIZE=120x40 PICK_ROUNDS=10 PICK_IDLE_ROUNDS=3 PICK_IDLE_S=10 PICK_SETTLE_S=3
// FKILL_BIN=/tmp/fkill-bench/node_modules/.bin/fkill. Needs root, unshare, cc, tmux, top (procps).
//
// t0 is taken by `date +%s%N` in the window's shell right before it execs the picker; t1 is when a capture-pane
// first shows the complete frame (header count, every list row, the footer). Captures are taken back to back, so
// t1 is late by at most one capture (about 2-5 ms, measured and printed as the resolution).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const N = Number(process.env.PICK_N ?? 5000);
const rounds = Number(process.env.PICK_ROUNDS ?? 10);
const [W, H] = (process.env.PICK_SIZE ?? '120x40').split('x').map(Number);
const idleRounds = Number(process.env.PICK_IDLE_ROUNDS ?? 3);
const idleS = Number(process.env.PICK_IDLE_S ?? 10);
const settleS = Number(process.env.PICK_SETTLE_S ?? 3);
const fkill = process.env.FKILL_BIN ?? '/tmp/fkill-bench/node_modules/.bin/fkill';
const ours = here('../bin/killall');
const before = process.env.PICK_BEFORE;
const BEFORE = 'killall-ts --pick (PICK_BEFORE)';
if (process.getuid() !== 0) {
  console.error('bench/pick: needs root (private PID namespaces)');
  process.exit(1);
}
// A directory of our own (the spawner too: another checkout's bench run must not replace it mid-run).
const dir = mkdtempSync(`${tmpdir()}/kts-pickbench-`);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
execFileSync('cc', ['-O2', '-o', `${dir}/spawner`, here('./spawner.c')]);

const sock = `${dir}/tmux.sock`;
const tmux = (...a) => execFileSync('tmux', ['-S', sock, ...a], { encoding: 'utf8' });
const server = spawn(
  'unshare',
  ['--pid', '--fork', '--kill-child', '--mount-proc', 'tmux', '-D', '-S', sock, '-f', '/dev/null'],
  { stdio: 'ignore', env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } },
);
const until = (ok, what, ms = 60_000) => {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (ok()) return;
    } catch {}
    if (Date.now() > end) throw new Error(`bench/pick: timed out waiting for ${what}`);
    spawnSync('sleep', ['0.02']);
  }
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  until(() => existsSync(sock), 'the tmux socket');
  until(
    () =>
      spawnSync('tmux', [
        '-S',
        sock,
        'new-session',
        '-d',
        '-s',
        'main',
        '-x',
        String(W),
        '-y',
        String(H),
        'sleep 86400',
      ]).status === 0,
    'the first session',
  );
  tmux('set-option', '-g', 'default-size', `${W}x${H}`);
  tmux('new-window', '-d', '-n', 'crowd', `exec ${dir}/spawner ${N} idlepick`);
  until(() => tmux('capture-pane', '-p', '-t', 'crowd').includes('ready'), 'the crowd');

  // Resolution: how long one capture takes.
  const cap = [];
  for (let i = 0; i < 20; i++) {
    const a = process.hrtime.bigint();
    tmux('capture-pane', '-p', '-t', 'main');
    cap.push(Number(process.hrtime.bigint() - a) / 1e6);
  }

  // In-process numbers: the picker's own trace at its first frame, and node -e 0's at its end.
  const inproc = { 'killall-ts --pick': [], [BEFORE]: [], 'baseline: node -e 0': [] };
  const trace = (label, file) => {
    const m = /wall_ms=([\d.]+) cpu_ms=([\d.]+)/.exec(readFileSync(file, 'utf8'));
    if (m) inproc[label].push([Number(m[1]), Number(m[2])]);
  };
  const nodeProbe = `const c=process.cpuUsage();console.error('wall_ms='+performance.now().toFixed(1)+' cpu_ms='+((c.user+c.system)/1000).toFixed(1))`;
  const measure = (label, command, complete) => {
    const t0file = `${dir}/t0`;
    rmSync(t0file, { force: true });
    tmux('new-window', '-d', '-n', 'w', `date +%s%N > ${t0file}; exec ${command}`);
    let t1 = 0;
    until(() => {
      const s = tmux('capture-pane', '-p', '-t', 'w');
      t1 = Date.now() * 1e6;
      return complete(s);
    }, `${label}'s first frame`);
    // Date.now() has ms resolution: take the wall clock in ns from the same source as date(1).
    const t0 = Number(readFileSync(t0file, 'utf8').trim());
    tmux('kill-window', '-t', 'w');
    until(() => !tmux('list-windows', '-F', '#W').split('\n').includes('w'), 'the window to close');
    return (t1 - t0) / 1e6;
  };

  const oursFull = (s) => {
    const l = s.split('\n');
    return (
      /\s\d{4,} processes$/.test(l[0] ?? '') &&
      /^TERM \[Tab/.test(l[H - 1] ?? '') &&
      (l[H - 3] ?? '').includes('idlepick')
    );
  };
  // fkill-cli (@inquirer/search) shows its navigation hint once the list of choices is rendered.
  const fkillListed = (s) =>
    s.includes('Running processes:') && s.includes('navigate') && s.split('\n').length > 10;
  const haveFkill = existsSync(fkill);
  const done = (s) => s.includes('DONE');
  const times = {
    'killall-ts --pick': [],
    [BEFORE]: [],
    'fkill-cli': [],
    'baseline: node -e 0': [],
    'baseline: killall-ts -q NOMATCH (plain run, full scan)': [],
  };
  for (let r = 0; r < rounds; r++) {
    times['baseline: node -e 0'].push(
      measure('node', `sh -c '${process.execPath} -e 0; echo DONE; sleep 86400'`, done),
    );
    times['baseline: killall-ts -q NOMATCH (plain run, full scan)'].push(
      measure('killall-ts', `sh -c '${ours} -q zzznomatch; echo DONE; sleep 86400'`, done),
    );
    times['killall-ts --pick'].push(
      measure('killall-ts --pick', `env KILLALL_TS_PICK_TRACE=1 ${ours} --pick 2>${dir}/trace`, oursFull),
    );
    trace('killall-ts --pick', `${dir}/trace`);
    if (before) {
      times[BEFORE].push(
        measure(BEFORE, `env KILLALL_TS_PICK_TRACE=1 ${before} --pick 2>${dir}/trace`, oursFull),
      );
      trace(BEFORE, `${dir}/trace`);
    }
    // Without NODE_EXTRA_CA_CERTS, as bin/killall and the tmux windows run (a CA bundle costs 50-70 ms).
    spawnSync(
      'unshare',
      [
        '--pid',
        '--fork',
        '--mount-proc',
        'sh',
        '-c',
        `${process.execPath} -e "${nodeProbe}" 2>${dir}/ntrace`,
      ],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } },
    );
    trace('baseline: node -e 0', `${dir}/ntrace`);
    if (haveFkill) times['fkill-cli'].push(measure('fkill-cli', `${process.execPath} ${fkill}`, fkillListed));
  }
  console.log(
    `--pick first paint, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, ${N} idle processes + tmux in a private PID namespace, ${W}x${H}, ${rounds} alternating rounds; capture resolution ${median(cap).toFixed(1)} ms (median of one capture-pane)`,
  );
  console.log('| program | median ms | min | max |');
  console.log('|---|---:|---:|---:|');
  for (const [k, v] of Object.entries(times)) {
    if (v.length === 0) {
      if (k !== BEFORE) console.log(`| ${k} | not installed | | |`);
      continue;
    }
    console.log(
      `| ${k} | ${median(v).toFixed(0)} | ${Math.min(...v).toFixed(0)} | ${Math.max(...v).toFixed(0)} |`,
    );
  }
  console.log(
    '\nIn-process (performance.now() since the process started; CPU = user + system of the process):',
  );
  console.log('| program | wall ms median | CPU ms median |');
  console.log('|---|---:|---:|');
  for (const [k, v] of Object.entries(inproc)) {
    if (v.length === 0) continue;
    console.log(
      `| ${k} | ${median(v.map((x) => x[0])).toFixed(0)} | ${median(v.map((x) => x[1])).toFixed(0)} |`,
    );
  }
  if (idleRounds > 0) idleTable(oursFull);
} finally {
  try {
    tmux('kill-server');
  } catch {}
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

// A file of the namespace's /proc, read by a window of the namespace (PIDs there are not ours).
function nsRead(path) {
  const out = `${dir}/nsread`;
  rmSync(out, { force: true });
  tmux('new-window', '-d', '-n', 'reader', `cat ${path} > ${out}.tmp; mv ${out}.tmp ${out}`);
  until(() => existsSync(out), `a read of ${path}`);
  return readFileSync(out, 'latin1');
}

// utime + stime in clock ticks, and VmRSS/VmHWM in KiB, of the process a window runs.
function usage(pid) {
  const stat = nsRead(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = nsRead(`/proc/${pid}/status`);
  const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { ticks: Number(f[11]) + Number(f[12]), rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

// The picker and top -d 1 at rest on the same crowd, alternating: CPU % of one core over idleS seconds.
function idleTable(oursFull) {
  const picker = (bin) => () => {
    tmux('new-window', '-d', '-n', 'idle', `exec ${bin} --pick`);
    until(() => oursFull(tmux('capture-pane', '-p', '-t', 'idle')), 'the picker');
  };
  const start = {
    'killall-ts --pick': picker(ours),
    ...(before ? { [BEFORE]: picker(before) } : {}),
    'top -d 1': () => {
      tmux('new-window', '-d', '-n', 'idle', 'exec top -d 1');
      until(() => /^top - /.test(tmux('capture-pane', '-p', '-t', 'idle')), 'top');
    },
  };
  const runs = Object.fromEntries(Object.keys(start).map((k) => [k, []]));
  for (let r = 0; r < idleRounds; r++) {
    const keys = Object.keys(start);
    for (const k of keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length))) {
      start[k]();
      const pid = Number(tmux('display-message', '-p', '-t', 'idle', '#{pane_pid}').trim());
      spawnSync('sleep', [String(settleS)]);
      const a = usage(pid);
      const t0 = process.hrtime.bigint();
      spawnSync('sleep', [String(idleS)]);
      const b = usage(pid);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      runs[k].push({ cpu: (b.ticks - a.ticks) / s, rss: b.rss, hwm: b.hwm });
      tmux('kill-window', '-t', 'idle');
      until(() => !tmux('list-windows', '-F', '#W').split('\n').includes('idle'), 'the window to close');
    }
  }
  console.log(
    `\nAt rest on the same ${N} processes, ${W}x${H}, alternating, ${idleRounds} rounds each: CPU over ${idleS} s from ${settleS} s after the first frame (utime + stime), % of one core; memory at the end`,
  );
  console.log('| program | CPU % median | min | max | VmRSS MiB | VmHWM MiB |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [k, v] of Object.entries(runs)) {
    const c = v.map((x) => x.cpu);
    const mib = (x) => (median(v.map((y) => y[x])) / 1024).toFixed(1);
    console.log(
      `| ${k} | ${median(c).toFixed(1)} | ${Math.min(...c).toFixed(1)} | ${Math.max(...c).toFixed(1)} | ${mib('rss')} | ${mib('hwm')} |`,
    );
  }
}
