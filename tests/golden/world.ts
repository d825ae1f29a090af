/**
 * The one fixed world every golden case runs in: a small host whose /proc holds each kind of process the engine
 * treats differently. Ages are uptime (100,000 s) minus the start time (ticks of 10 ms). Victims are named `hx7…`;
 * we are PID 999 (`node`), whose parent 998 is a child of `hx7anc`. Variants change one thing for one case.
 */
import type { FakeOptions } from '../helpers/fake-system.js';
import type { GoldenProc, GoldenSpec } from './system.js';

const UPTIME = 100_000;
/** The start time (ticks after boot) of a process `seconds` old. */
const aged = (seconds: number): number => (UPTIME - seconds) * 100;
const KTHREAD = 0x00208040;
const b = (s: string): Buffer => Buffer.from(s, 'latin1');
/** NUL-terminated cmdline bytes from latin1 byte strings. */
const argv = (...args: string[]): Buffer => Buffer.concat(args.map((a) => Buffer.concat([b(a), b('\0')])));

const ALICE = 1000;
const BOB = 1001;
const MALLORY = 1002;

/** One process; user processes default to alice's, a day old, in a group of their own, children of init. */
function proc(pid: number, comm: string | Buffer, extra: Partial<GoldenProc> = {}): GoldenProc {
  return {
    pid,
    comm,
    uid: ALICE,
    ppid: 1,
    pgrp: pid,
    startTime: aged(86_400),
    cmdline: [String(comm)],
    ...extra,
  };
}

const PROCS: readonly GoldenProc[] = [
  proc(1, 'systemd', { uid: 0, ppid: 0, pgrp: 1, startTime: 1, cmdline: ['/sbin/init', 'splash'] }),
  proc(2, 'kthreadd', { uid: 0, ppid: 0, pgrp: 0, startTime: 1, cmdline: [], flags: KTHREAD }),
  proc(3, 'kworker/0:1', { uid: 0, ppid: 2, pgrp: 0, startTime: 2, cmdline: [], flags: KTHREAD }),
  proc(100, 'sshd', {
    uid: 0,
    startTime: 500,
    cmdline: ['sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups'],
    exePath: '/usr/sbin/sshd',
    sockets: [1022],
  }),
  proc(200, 'bash', { ppid: 100, cmdline: ['-bash'], exePath: '/usr/bin/bash' }),
  proc(201, 'hx7a', {
    ppid: 200,
    startTime: aged(100),
    cmdline: ['./hx7a', '--port', '0'],
    exePath: '/opt/hx7/bin/hx7a',
  }),
  proc(202, 'hx7a', {
    uid: BOB,
    startTime: aged(10_000),
    cmdline: ['/opt/hx7/bin/hx7a'],
    exePath: '/opt/hx7/bin/hx7a',
  }),
  proc(203, 'hx7b', { ppid: 200, startTime: aged(50), survives: [1, 2, 15] }),
  proc(204, 'HX7Case', { ppid: 200 }),
  proc(210, 'hx7abcdefghijkl', {
    cmdline: ['/opt/hx7/bin/hx7abcdefghijklmnop', '--serve'],
    exePath: '/opt/hx7/bin/hx7abcdefghijklmnop',
  }),
  proc(211, 'hx7abcdefghijkl', { cmdline: ['fooarg0'] }),
  proc(220, 'sh', { ppid: 200, cmdline: ['sh', '/home/alice/hx7job.sh'], exePath: '/usr/bin/dash' }),
  proc(221, 'hx7worker', { cmdline: ['hx7-worker: idle'], exePath: '/usr/bin/hx7worker' }),
  proc(222, 'python3', { cmdline: ['/usr/bin/python3', '/srv/hx7tool.py'], exePath: '/usr/bin/python3.12' }),
  // Hostile bytes: a terminal escape and BEL, a newline, invalid UTF-8 (with a user name to match), valid UTF-8,
  // and a 15-byte comm cut inside a UTF-8 sequence.
  proc(230, b('hx7\x1b]0;X\x07'), { cmdline: argv('hx7\x1b[31mred', '--x\x07') }),
  proc(231, 'hx7\nfake', { cmdline: argv('hx7\nfake', 'line2\nKilled init(1) with signal 9') }),
  proc(232, b('hx7\xff\xfe\xc3'), { uid: MALLORY, cmdline: argv('hx7\xff\xfe\xc3', '\x9b31m') }),
  proc(233, b('hx7\xc3\xa9\xe2\x82\xac'), { cmdline: argv('/usr/bin/hx7\xc3\xa9\xe2\x82\xac') }),
  proc(234, b(`hx7x${'\xc3\xa9'.repeat(5)}\xc3`), { cmdline: argv(`/usr/bin/hx7x${'\xc3\xa9'.repeat(6)}`) }),
  // Process groups: 240 leads a group of three (two named hx7g), 243 is another hx7g group, 250 is in group 1.
  proc(240, 'hx7g'),
  proc(241, 'hx7gchild', { ppid: 240, pgrp: 240 }),
  proc(242, 'hx7g', { ppid: 240, pgrp: 240 }),
  proc(243, 'hx7g'),
  proc(250, 'hx7one', { pgrp: 1 }),
  // A tree: 260 with two children and a grandchild; 270 is an ancestor of ours (998 sh, then 999 node).
  proc(260, 'hx7sup'),
  proc(261, 'hx7kid', { ppid: 260, pgrp: 260 }),
  proc(262, 'hx7kid', { ppid: 260, pgrp: 260 }),
  proc(263, 'hx7grandkid', { ppid: 261, pgrp: 260 }),
  proc(270, 'hx7anc', { ppid: 200, cmdline: ['/bin/sh', './hx7anc'] }),
  proc(271, 'hx7sib', { ppid: 270, pgrp: 270 }),
  proc(998, 'sh', { ppid: 270, pgrp: 270, cmdline: ['sh', '-c', 'killall --tree hx7anc'] }),
  proc(999, 'node', {
    ppid: 998,
    pgrp: 270,
    cmdline: ['node', '/usr/lib/node_modules/killall-ts/dist/killall.cjs', '--tree', 'hx7anc'],
  }),
  // A zombie whose parent does not reap it, and a parent that leaves its children zombies.
  proc(280, 'hx7zp'),
  proc(281, 'hx7zomb', { ppid: 280, state: 'Z', cmdline: [] }),
  proc(282, 'hx7zkid', { ppid: 280, zombieOnDeath: true }),
  // Sockets: 8080/tcp (IPv4), 8443/tcp (IPv6), 5353/udp; 293 shares a name but holds none; 294 is a client of 8080.
  proc(290, 'hx7srv', { sockets: [31337] }),
  proc(291, 'hx7srv6', { sockets: [31338] }),
  proc(292, 'hx7dns', { uid: BOB, sockets: [31339] }),
  proc(293, 'hx7srv'),
  proc(294, 'hx7cli', { sockets: [31340] }),
  proc(300, 'hx7old', { startTime: 100 }),
  proc(301, 'hx7new', { startTime: aged(5) }),
  proc(320, 'hx7locked', { uid: 0, foreign: true }),
  // Path NAMEs: 330 runs /usr/local/bin/hx7bin; 331 a copy of it elsewhere (another inode).
  proc(330, 'hx7bin', { cmdline: ['/usr/local/bin/hx7bin'], exePath: '/usr/local/bin/hx7bin' }),
  proc(331, 'hx7bin', { cmdline: ['/tmp/hx7bin'], exePath: '/tmp/hx7bin' }),
  proc(340, 'hx7a', { pidNs: 4026532500, cmdline: ['hx7a', '--nested'] }),
  proc(350, 'hx7ctx', { securityContext: 'system_u:system_r:hx7_t:s0' }),
];

const TCP_HEAD =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const Z6 = '0'.repeat(32);
const row = (sl: number, local: string, remote: string, st: string, inode: number): string =>
  `  ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

const NET: Readonly<Record<string, string>> = {
  tcp:
    TCP_HEAD +
    row(0, '00000000:0016', '00000000:0000', '0A', 1022) +
    row(1, '00000000:1F90', '00000000:0000', '0A', 31337) +
    row(2, '0100007F:C738', '0100007F:1F90', '01', 31340),
  tcp6: TCP_HEAD + row(0, `${Z6}:20FB`, `${Z6}:0000`, '0A', 31338),
  udp: TCP_HEAD + row(0, '00000000:14E9', '00000000:0000', '07', 31339),
  udp6: TCP_HEAD,
};

const FILES: Readonly<Record<string, number>> = {
  '/usr/sbin/sshd': 11,
  '/usr/bin/bash': 12,
  '/usr/bin/dash': 13,
  '/usr/bin/python3.12': 14,
  '/usr/bin/hx7worker': 15,
  '/opt/hx7/bin/hx7a': 16,
  '/opt/hx7/bin/hx7abcdefghijklmnop': 17,
  '/usr/local/bin/hx7bin': 18,
  '/tmp/hx7bin': 19,
  '/usr/local/bin': 20,
};

const FAKE: FakeOptions = {
  uptime: UPTIME,
  fdLimit: 1024,
  users: { root: 0, alice: ALICE, bob: BOB, mallory: MALLORY, nobody: 65534 },
};

/** One change of the world, for the cases that need it. */
export type Variant = 'hidepid' | 'no-proc' | 'no-pidfd' | 'emfile' | 'foreign-proc';

/** The fake's options a variant changes. */
const VARIANTS: Readonly<Record<Variant, FakeOptions>> = {
  // Another user's processes cannot be read (hidepid=1): three stat files refuse.
  hidepid: {
    openErrors: { '/proc/202/stat': 'EACCES', '/proc/232/stat': 'EACCES', '/proc/292/stat': 'EPERM' },
  },
  // /proc is not mounted: /proc/self does not resolve.
  'no-proc': { procSelf: null },
  // pidfd_send_signal does not exist (an old kernel): kill(2) after the re-check through the pin.
  'no-pidfd': { pidfd: 'ENOSYS' },
  // The fd table is full when the scan reaches 240.
  emfile: { openErrors: { '/proc/240/stat': 'EMFILE' } },
  // /proc/self names another PID: a /proc of another namespace.
  'foreign-proc': { procSelf: '4242' },
};

/** The golden world, or one variant of it. */
export function goldenSpec(variant?: Variant): GoldenSpec {
  return {
    procs: PROCS,
    fake: { ...FAKE, self: 999, ...(variant ? VARIANTS[variant] : {}) },
    files: FILES,
    net: NET,
    userNames: { 0: 'root', [ALICE]: 'alice', [BOB]: 'bob', [MALLORY]: 'm\x1b[31mallory', 65534: 'nobody' },
  };
}
