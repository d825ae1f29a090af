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

  private file(path: string): Buffer {
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
