// node bench/fscost.mjs: what one open/read/close of a /proc/PID/stat costs from Node, by way of node:fs and by way
// of koffi (the optional dependency killall-ts already loads for pidfd_send_signal), for issue 18's items 2-3.
// Read-only: it opens the stat files of the PIDs it finds in /proc (cycling over them), signals nothing.
//
// Variants, alternated batch by batch (FSCOST_BATCH calls each, FSCOST_ROUNDS rounds, medians in ns per call):
//   fs            fs.openSync(path) + fs.readSync(fd, buf, 0, 4096, null) + fs.closeSync(fd)
//   koffi         open(path string) + read + close through koffi, one reused buffer
//   koffi openat  openat(fd of /proc, "PID/stat" as a JS string) + read + close
//   koffi openat, path buffer   the same, the relative path written into a reused byte buffer (no string passed)
// and each call alone: open+close only, and read only (pread at 0 of one kept fd), both ways. The CPU split (user,
// system) of each variant comes from process.cpuUsage() around its batches.
// As root, FSCOST_CROWD=N (default 5000; 0: none) runs it as PID 1 of a private PID namespace filled with N idle
// processes (spawner.c), as a scan sees /proc; without it, over the PIDs of the machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { crowd } from './lib.mjs';

const require = createRequire(import.meta.url);
const CROWD = Number(process.env.FSCOST_CROWD ?? 5000);
if (process.argv[2] === '--inner') {
  await crowd(process.argv[3], [String(CROWD), 'hx7fscost']);
} else if (CROWD > 0 && process.getuid() === 0) {
  const dir = mkdtempSync(`${tmpdir()}/kts-fscost-`);
  try {
    execFileSync('cc', [
      '-O2',
      '-o',
      `${dir}/spawner`,
      fileURLToPath(new URL('./spawner.c', import.meta.url)),
    ]);
    const self = fileURLToPath(import.meta.url);
    const args = ['--pid', '--fork', '--mount-proc', process.execPath, self, '--inner', `${dir}/spawner`];
    process.exitCode = spawnSync('unshare', args, { stdio: 'inherit' }).status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit();
}
const BATCH = Number(process.env.FSCOST_BATCH ?? 2000);
const ROUNDS = Number(process.env.FSCOST_ROUNDS ?? 15);

let koffi;
try {
  koffi = require('koffi');
} catch {
  console.error('bench/fscost: koffi is not installed (npm ci installs it)');
  process.exit(1);
}
const c = koffi.load('libc.so.6');
const kOpen = c.func('int open(const char *, int)');
const kOpenat = c.func('int openat(int, const char *, int)');
const kOpenatBuf = c.func('int openat(int, const uint8_t *, int)');
const kRead = c.func('long read(int, void *, unsigned long)');
const kPread = c.func('long pread(int, void *, unsigned long, long)');
const kClose = c.func('int close(int)');
const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;

const pids = readdirSync('/proc').filter((n) => /^[1-9][0-9]*$/.test(n));
const paths = pids.map((p) => `/proc/${p}/stat`);
const rel = pids.map((p) => `${p}/stat`);
const relBytes = rel.map((r) => Buffer.from(`${r}\0`, 'latin1'));
const procFd = kOpen('/proc', O_RDONLY | O_DIRECTORY | O_CLOEXEC);
const buf = Buffer.allocUnsafe(4096);
const pathBuf = Buffer.alloc(64);
const selfFd = openSync('/proc/self/stat', 'r');
let sink = 0;

// Each variant does `n` calls; a failed open (the process exited) still counts as a call made.
const variants = {
  fs: (n, i0) => {
    for (let i = 0; i < n; i++) {
      let fd;
      try {
        fd = openSync(paths[(i0 + i) % paths.length], 'r');
      } catch {
        continue;
      }
      sink += readSync(fd, buf, 0, 4096, null);
      closeSync(fd);
    }
  },
  koffi: (n, i0) => {
    for (let i = 0; i < n; i++) {
      const fd = kOpen(paths[(i0 + i) % paths.length], O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      sink += Number(kRead(fd, buf, 4096));
      kClose(fd);
    }
  },
  'koffi openat': (n, i0) => {
    for (let i = 0; i < n; i++) {
      const fd = kOpenat(procFd, rel[(i0 + i) % rel.length], O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      sink += Number(kRead(fd, buf, 4096));
      kClose(fd);
    }
  },
  'koffi openat, path buffer': (n, i0) => {
    for (let i = 0; i < n; i++) {
      relBytes[(i0 + i) % relBytes.length].copy(pathBuf);
      const fd = kOpenatBuf(procFd, pathBuf, O_RDONLY | O_CLOEXEC);
      if (fd < 0) continue;
      sink += Number(kRead(fd, buf, 4096));
      kClose(fd);
    }
  },
  'fs open+close only': (n, i0) => {
    for (let i = 0; i < n; i++) {
      try {
        closeSync(openSync(paths[(i0 + i) % paths.length], 'r'));
      } catch {}
    }
  },
  'koffi open+close only': (n, i0) => {
    for (let i = 0; i < n; i++) {
      const fd = kOpen(paths[(i0 + i) % paths.length], O_RDONLY | O_CLOEXEC);
      if (fd >= 0) kClose(fd);
    }
  },
  'fs read only (pread 0)': (n) => {
    for (let i = 0; i < n; i++) sink += readSync(selfFd, buf, 0, 4096, 0);
  },
  'koffi read only (pread 0)': (n) => {
    for (let i = 0; i < n; i++) sink += Number(kPread(selfFd, buf, 4096, 0));
  },
};

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const keys = Object.keys(variants);
const wall = Object.fromEntries(keys.map((k) => [k, []]));
const cpu = Object.fromEntries(keys.map((k) => [k, { user: 0, system: 0, calls: 0 }]));
for (const k of keys) variants[k](BATCH, 0); // warm-up: JIT and dentry caches
for (let r = 0; r < ROUNDS; r++) {
  const order = keys.slice(r % keys.length).concat(keys.slice(0, r % keys.length));
  for (const k of order) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    variants[k](BATCH, r * BATCH);
    wall[k].push(Number(process.hrtime.bigint() - t0) / BATCH);
    const d = process.cpuUsage(c0);
    cpu[k].user += d.user;
    cpu[k].system += d.system;
    cpu[k].calls += BATCH;
  }
}
console.log(
  `fscost: ${pids.length} PIDs in /proc, ${ROUNDS} rounds of ${BATCH} calls per variant, alternating; Node ${process.version}, koffi ${koffi.version ?? '?'}`,
);
console.log('| variant | ns per call (median) | user ns | system ns |');
console.log('|---|---:|---:|---:|');
for (const k of keys) {
  const c1 = cpu[k];
  console.log(
    `| ${k} | ${median(wall[k]).toFixed(0)} | ${((c1.user * 1000) / c1.calls).toFixed(0)} | ${((c1.system * 1000) / c1.calls).toFixed(0)} |`,
  );
}
closeSync(selfFd);
kClose(procFd);
if (sink < 0) console.log(sink);
// As PID 1 of the namespace: exiting ends the crowd with it.
process.exit(0);
