/** An in-memory /proc and signal recorder implementing System, for deterministic library tests. */
import type { PidfdResult, System } from '../../src/system.js';

export interface FakeProc {
  pid: number;
  comm: string | Buffer;
  cmdline?: Buffer | string[];
  uid?: number;
  state?: string;
  pgrp?: number;
  ppid?: number;
  startTime?: number;
  flags?: number;
  /** Instance counter: a reused PID gets a new generation. */
  gen?: number;
  /** Sockets it holds (fds 3, 4, …, after 0-2 on /dev/null), listed in /proc/net/tcp or udp as bound. */
  bound?: { inode: number; port: number; proto?: 'tcp' | 'udp' }[];
  /** The `exe` link's text (readlink); stat of the link, or of this path, gives one inode per distinct text. */
  exe?: string | Buffer;
  /** Every signal to it fails with this errno code (`EPERM`: another user's process). */
  refuse?: string;
}

export interface FakeOptions {
  self?: number;
  /** Make open() of these paths throw this code. */
  openErrors?: Record<string, string>;
  readErrors?: Record<string, string>;
  pidfd?: 'ok' | 'ENOSYS' | 'EPERM';
  procSelf?: string | null;
  uptime?: number;
  users?: Record<string, number>;
  /** The soft fd limit /proc/self/limits shows (the file is missing without it). */
  fdLimit?: number;
  /** Called before each open (to change the table at a precise moment). */
  beforeOpen?: (path: string) => void;
  /** getpwuid names (byte strings, one latin1 char per byte): `userName` exists only with this. */
  userNames?: Record<number, string>;
}

const sysErr = (code: string, path = ''): Error => Object.assign(new Error(`${code}: ${path}`), { code });

export class FakeSystem implements System {
  readonly pid: number;
  readonly procs = new Map<number, FakeProc>();
  readonly kills: [number, number][] = [];
  readonly pidfdSends: [number, number][] = [];
  readonly opened: string[] = [];
  /** Directories read (besides /proc itself) and links read, in order. */
  readonly readdirs: string[] = [];
  readonly readlinks: string[] = [];
  private fds = new Map<
    number,
    {
      path: string;
      data: Buffer;
      off: number;
      pin?: { pid: number; gen: number };
      /** A file of one process instance (`/proc/PID/NAME`): pread regenerates it, or fails once it is gone. */
      of?: { pid: number; gen: number; name: string };
    }
  >();
  private nextFd = 100;
  constructor(
    procs: FakeProc[],
    readonly opts: FakeOptions = {},
  ) {
    this.pid = opts.self ?? 999;
    for (const p of procs) this.procs.set(p.pid, { gen: 0, ...p });
    const names = opts.userNames;
    if (names) this.userName = (uid) => names[uid];
  }

  /** getpwuid for display: only with `userNames` (see {@link FakeOptions}). */
  userName?: (uid: number) => string | undefined;
  private readonly inodes = new Map<string, bigint>();
  /** One inode per distinct exe text (the dev is always 1). */
  private inodeOf(text: Buffer): { dev: bigint; ino: bigint } {
    const key = text.toString('latin1');
    let ino = this.inodes.get(key);
    if (ino === undefined) {
      ino = BigInt(7000 + this.inodes.size);
      this.inodes.set(key, ino);
    }
    return { dev: 1n, ino };
  }
  /** The process an `exe` path names (`/proc/PID/exe`, or through a pin), when it has an exe. */
  private exeOf(path: string): Buffer | undefined {
    let m = /^\/proc\/(\d+)\/exe$/.exec(path);
    let pid = m ? Number(m[1]) : undefined;
    m = /^\/proc\/self\/fd\/(\d+)\/exe$/.exec(path);
    if (m) {
      const pin = this.fds.get(Number(m[1]))?.pin;
      if (pin && this.procs.get(pin.pid)?.gen === pin.gen) pid = pin.pid;
    }
    const exe = pid === undefined ? undefined : this.procs.get(pid)?.exe;
    return exe === undefined ? undefined : Buffer.isBuffer(exe) ? exe : Buffer.from(exe);
  }

  /** The process exits and another one takes its PID (a new start time). */
  reuse(pid: number, comm = 'newcomer'): void {
    const old = this.procs.get(pid)!;
    this.procs.set(pid, { pid, comm, startTime: (old.startTime ?? 1000) + 777, gen: (old.gen ?? 0) + 1 });
  }

  private statOf(p: FakeProc): Buffer {
    const comm = Buffer.isBuffer(p.comm) ? p.comm : Buffer.from(p.comm);
    const tail = `) ${p.state ?? 'S'} ${p.ppid ?? 1} ${p.pgrp ?? p.pid} ${p.pgrp ?? p.pid} 0 -1 ${p.flags ?? 4194304} 0 0 0 0 0 0 0 0 20 0 1 0 ${p.startTime ?? 1000} 0 0\n`;
    return Buffer.concat([Buffer.from(`${p.pid} (`), comm, Buffer.from(tail)]);
  }

  /** /proc/net/tcp or udp: a header, then one bound socket per line (TCP ones listening, st 0A). */
  private netTable(proto: 'tcp' | 'udp'): Buffer {
    const lines = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    ];
    const seen = new Set<number>();
    for (const p of this.procs.values()) {
      for (const k of p.bound ?? []) {
        if ((k.proto ?? 'tcp') !== proto || seen.has(k.inode)) continue;
        seen.add(k.inode);
        const port = k.port.toString(16).toUpperCase().padStart(4, '0');
        lines.push(
          `${String(lines.length - 1).padStart(4)}: 0100007F:${port} 00000000:0000 ${proto === 'tcp' ? '0A' : '07'} 00000000:00000000 00:00000000 00000000     0        0 ${k.inode} 1 0000000000000000 100 0 0 10 0`,
        );
      }
    }
    return Buffer.from(`${lines.join('\n')}\n`);
  }

  private file(path: string): Buffer {
    if (path === '/proc/net/tcp' || path === '/proc/net/udp')
      return this.netTable(path === '/proc/net/tcp' ? 'tcp' : 'udp');
    if (path === '/proc/uptime') return Buffer.from(`${this.opts.uptime ?? 5000}.00 1.00\n`);
    if (path === '/proc/self/limits' && this.opts.fdLimit !== undefined)
      return Buffer.from(
        `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${this.opts.fdLimit}                ${this.opts.fdLimit}                files     \n`,
      );
    const pinned = /^\/proc\/self\/fd\/(\d+)\/(\w+)$/.exec(path);
    let pid: number;
    let name: string;
    if (pinned) {
      const f = this.fds.get(Number(pinned[1]));
      if (!f?.pin) throw sysErr('ENOENT', path);
      const p = this.procs.get(f.pin.pid);
      if (!p || p.gen !== f.pin.gen) throw sysErr('ESRCH', path);
      pid = f.pin.pid;
      name = pinned[2]!;
    } else {
      const m = /^\/proc\/(\d+)\/(\w+)$/.exec(path);
      if (!m) throw sysErr('ENOENT', path);
      pid = Number(m[1]);
      name = m[2]!;
    }
    const p = this.procs.get(pid);
    if (!p) throw sysErr('ENOENT', path);
    if (name === 'stat') return this.statOf(p);
    if (name === 'comm')
      return Buffer.concat([Buffer.isBuffer(p.comm) ? p.comm : Buffer.from(p.comm), Buffer.from('\n')]);
    if (name === 'cmdline') {
      if (Buffer.isBuffer(p.cmdline)) return p.cmdline;
      return Buffer.from((p.cmdline ?? []).map((a) => `${a}\0`).join(''));
    }
    if (name === 'status') return Buffer.from(`Name:\tx\nUid:\t${p.uid ?? 0}\t0\t0\t0\nGid:\t0\n`);
    throw sysErr('ENOENT', path);
  }

  readdir(path: string): string[] {
    const fd = /^\/proc\/(\d+)\/fd$/.exec(path);
    if (fd) {
      this.readdirs.push(path);
      const p = this.procs.get(Number(fd[1]));
      if (!p) throw sysErr('ENOENT', path);
      return ['0', '1', '2', ...(p.bound ?? []).map((_, i) => String(i + 3))];
    }
    if (path !== '/proc') throw sysErr('ENOENT', path);
    return ['self', 'uptime', ...[...this.procs.keys()].map(String), String(this.pid)].sort();
  }
  open(path: string | Buffer, directory = false): number {
    const p = String(path);
    this.opts.beforeOpen?.(p);
    this.opened.push(p);
    const err = this.opts.openErrors?.[p];
    if (err) throw sysErr(err, p);
    const fd = this.nextFd++;
    if (directory) {
      const m = /^\/proc\/(\d+)$/.exec(p);
      const pid = Number(m?.[1]);
      if (pid === this.pid) {
        this.fds.set(fd, { path: p, data: Buffer.alloc(0), off: 0, pin: { pid, gen: -1 } });
        return fd;
      }
      const proc = this.procs.get(pid);
      if (!proc) throw sysErr('ENOENT', p);
      this.fds.set(fd, { path: p, data: Buffer.alloc(0), off: 0, pin: { pid, gen: proc.gen ?? 0 } });
      return fd;
    }
    const data = this.file(p);
    const m = /^\/proc\/(\d+)\/(\w+)$/.exec(p);
    const proc = m ? this.procs.get(Number(m[1])) : undefined;
    this.fds.set(fd, {
      path: p,
      data,
      off: 0,
      ...(m && proc ? { of: { pid: proc.pid, gen: proc.gen ?? 0, name: m[2]! } } : {}),
    });
    return fd;
  }
  /**
   * read(2), or with `position` pread(2): as the real /proc does, a file of a process is generated anew from the
   * instance it was opened on, and fails with ESRCH once that instance is gone (even when the PID was reused).
   */
  read(fd: number, buf: Uint8Array, offset: number, length: number, position?: number | null): number {
    const f = this.fds.get(fd);
    if (!f) throw sysErr('EBADF');
    const err = this.opts.readErrors?.[f.path];
    if (err) throw sysErr(err, f.path);
    if (position !== undefined && position !== null) {
      if (f.of) {
        const p = this.procs.get(f.of.pid);
        if (!p || (p.gen ?? 0) !== f.of.gen) throw sysErr('ESRCH', f.path);
        f.data = this.file(`/proc/${f.of.pid}/${f.of.name}`);
      }
      const n = Math.max(0, Math.min(length, f.data.length - position));
      f.data.copy(buf, offset, position, position + n);
      return n;
    }
    const n = Math.min(length, f.data.length - f.off);
    f.data.copy(buf, offset, f.off, f.off + n);
    f.off += n;
    return n;
  }
  close(fd: number): void {
    if (!this.fds.delete(fd)) throw sysErr('EBADF');
  }
  openFds(): number {
    return this.fds.size;
  }
  stat(path: string | Buffer): { dev: bigint; ino: bigint } {
    const p = typeof path === 'string' ? path : path.toString('latin1');
    const exe = this.exeOf(p);
    if (exe) return this.inodeOf(exe);
    for (const q of this.procs.values()) {
      const e = q.exe === undefined ? undefined : Buffer.isBuffer(q.exe) ? q.exe : Buffer.from(q.exe);
      if (e?.equals(typeof path === 'string' ? Buffer.from(path) : path)) return this.inodeOf(e);
    }
    throw sysErr('ENOENT', String(path));
  }
  readlink(path: string | Buffer): Buffer {
    const fd = /^\/proc\/(\d+)\/fd\/(\d+)$/.exec(String(path));
    if (fd) {
      this.readlinks.push(String(path));
      const n = Number(fd[2]);
      const k = this.procs.get(Number(fd[1]))?.bound?.[n - 3];
      if (n < 3) return Buffer.from('/dev/null');
      if (!k) throw sysErr('ENOENT', String(path));
      return Buffer.from(`socket:[${k.inode}]`);
    }
    if (String(path) === '/proc/self') {
      if (this.opts.procSelf === null) throw sysErr('ENOENT', '/proc/self');
      return Buffer.from(this.opts.procSelf ?? String(this.pid));
    }
    const exe = this.exeOf(typeof path === 'string' ? path : path.toString('latin1'));
    if (exe) return exe;
    throw sysErr('ENOENT', String(path));
  }
  kill(pid: number, signal: number): void {
    this.kills.push([pid, signal]);
    if (pid > 0 && !this.procs.has(pid)) throw sysErr('ESRCH');
    const refuse = this.procs.get(Math.abs(pid))?.refuse;
    if (refuse) throw sysErr(refuse);
  }
  pidfdSendSignal(fd: number, signal: number): PidfdResult {
    const mode = this.opts.pidfd ?? 'ok';
    if (mode === 'ENOSYS') return 'ENOSYS';
    if (mode === 'EPERM') return 'EPERM';
    const f = this.fds.get(fd);
    if (!f?.pin) return 'EBADF';
    if (f.pin.pid === this.pid) return 0;
    const p = this.procs.get(f.pin.pid);
    if (!p || p.gen !== f.pin.gen) return 'ESRCH';
    if (p.refuse) return p.refuse as PidfdResult;
    this.pidfdSends.push([f.pin.pid, signal]);
    return 0;
  }
  lookupUser(name: string): number | undefined {
    return (this.opts.users ?? { root: 0, nobody: 65534 })[name];
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}
