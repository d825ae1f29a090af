/**
 * The golden world's System: tests/helpers/fake-system.ts wrapped (its public API only) with what the baselines
 * need besides it: a virtual clock (`sleep` advances it; the harness points `Date.now` at it), what a signal does to
 * a process (it ends, stops, survives, or is refused), one log of every signal call in order, and the /proc files
 * the fake does not serve (socket tables, fd links, `exe`, `ns/pid`, `attr/current`). Extra files take their fd
 * numbers from the fake (a placeholder open), so the numbering the narration shows stays one sequence.
 */
import type { PidfdResult, System } from '../../src/system.js';
import { type FakeOptions, type FakeProc, FakeSystem } from '../helpers/fake-system.js';

/** A process of the golden world: the fake's fields, and what this wrapper adds. */
export interface GoldenProc extends FakeProc {
  /** The `exe` link's text; stat of it gives the file's inode from {@link GoldenSpec.files}. */
  readonly exePath?: string;
  /** Socket inodes among its fds (`socket:[N]` links after fds 0-2). */
  readonly sockets?: readonly number[];
  /** `attr/current` (default: `unconfined`). */
  readonly securityContext?: string;
  /** The inode of `ns/pid` (default: the root namespace's). */
  readonly pidNs?: number;
  /** Signals it handles and survives (SIGKILL and SIGSTOP never). */
  readonly survives?: readonly number[];
  /** Another user's process that we may not signal: EPERM. */
  readonly foreign?: boolean;
  /** When it ends, its parent does not reap it: it stays a zombie. */
  readonly zombieOnDeath?: boolean;
}

/** Everything a world is made of. */
export interface GoldenSpec {
  readonly procs: readonly GoldenProc[];
  readonly fake: FakeOptions;
  /** Files on disk that path NAMEs and `exe` links name: path to inode (device 2049). */
  readonly files: Readonly<Record<string, number>>;
  /** `/proc/net/NAME` contents (tcp, tcp6, udp, udp6). */
  readonly net: Readonly<Record<string, string>>;
  /** getpwuid names for display. */
  readonly userNames: Readonly<Record<number, string>>;
}

/**
 * A race a case stages, once: just before the pin of `pid` is opened (between the scan's read and the pin), or
 * just before a signal is sent to it (between the pin and the send: while `-i` asks, say), the process exits (and
 * is reaped), or its PID is reused by a newcomer with another start time, or by one with the same start time and
 * comm (only the scan's kept stat fd can tell it apart).
 */
export interface Race {
  readonly pid: number;
  readonly before: 'pin' | 'send';
  readonly change: 'exit' | 'reuse' | 'reuse-same-start';
}

/** Where the virtual clock starts (ms since the epoch), and the most a case may wait on it. */
export const CLOCK_START = 1_700_000_000_000;
const CLOCK_LIMIT_MS = 3_600_000;
const ROOT_PID_NS = 4026531836;
const DEV = 2049n;
/** Default dispositions that do not end a process. */
const STOPS = new Set([19, 20, 21, 22]);
const IGNORED = new Set([17, 23, 28]);

const sysErr = (code: string, path = ''): Error => Object.assign(new Error(`${code}: ${path}`), { code });
const text = (p: string | Buffer): string => (typeof p === 'string' ? p : p.toString('latin1'));

export class GoldenSystem implements System {
  readonly pid: number;
  /** The fake underneath (its process table is the world's). */
  readonly fake: FakeSystem;
  /** Every signal call, in order, with what it did. */
  readonly signals: string[] = [];
  /** The virtual time, in ms since the epoch. */
  now = CLOCK_START;
  private readonly extra = new Map<number, { data: Buffer; off: number }>();
  private readonly pins = new Map<number, { pid: number; gen: number }>();
  private readonly byPid = new Map<number, GoldenProc>();

  private race: Race | undefined;

  constructor(
    readonly spec: GoldenSpec,
    race?: Race,
  ) {
    this.race = race;
    this.fake = new FakeSystem(
      spec.procs.map((p) => ({ ...p })),
      spec.fake,
    );
    this.pid = this.fake.pid;
    for (const p of spec.procs) this.byPid.set(p.pid, p);
  }

  /** Stages the case's race if this is its moment (see {@link Race}); logged with the signals. */
  private stage(pid: number, moment: Race['before']): void {
    const r = this.race;
    if (!r || r.pid !== pid || r.before !== moment) return;
    this.race = undefined;
    const old = this.live(pid);
    if (!old) return;
    if (r.change === 'exit') this.fake.procs.delete(pid);
    else {
      this.fake.reuse(pid, 'hx7newcomer');
      const newcomer = this.live(pid)!;
      if (r.change === 'reuse-same-start')
        Object.assign(newcomer, { comm: old.comm, startTime: old.startTime });
      this.byPid.set(pid, { pid, comm: newcomer.comm });
    }
    this.signals.push(
      `# race: before the ${moment} of ${pid}, ${r.change === 'exit' ? 'it exits' : `its PID is reused (${r.change})`}`,
    );
  }

  /** The live entry of a process (the fake's table), or undefined once it is reaped. */
  private live(pid: number): FakeProc | undefined {
    return this.fake.procs.get(pid);
  }

  /**
   * The process a path under a process directory belongs to (`/proc/PID/REST`, or a pin's `/proc/self/fd/N/REST`)
   * and REST; undefined for any other path. Throws ESRCH for a pin whose instance is gone.
   */
  private under(path: string): { pid: number; rest: string } | undefined {
    let m = /^\/proc\/(\d+)\/(.+)$/.exec(path);
    if (m) {
      const pid = Number(m[1]);
      if (!this.live(pid) && pid !== this.pid) throw sysErr('ENOENT', path);
      return { pid, rest: m[2]! };
    }
    m = /^\/proc\/self\/fd\/(\d+)\/(.+)$/.exec(path);
    if (!m) return undefined;
    const pin = this.pins.get(Number(m[1]));
    if (!pin) throw sysErr('ENOENT', path);
    if (pin.pid !== this.pid && this.live(pin.pid)?.gen !== pin.gen) throw sysErr('ESRCH', path);
    return { pid: pin.pid, rest: m[2]! };
  }

  /** The bytes of a file this wrapper serves, or undefined for the fake's own files. */
  private extraFile(path: string): Buffer | undefined {
    const net = /^\/proc\/net\/(\w+)$/.exec(path);
    if (net) {
      const table = this.spec.net[net[1]!];
      if (table === undefined) throw sysErr('ENOENT', path);
      return Buffer.from(table, 'latin1');
    }
    const u = this.under(path);
    if (u?.rest !== 'attr/current') return undefined;
    return Buffer.from(`${this.byPid.get(u.pid)?.securityContext ?? 'unconfined'}\n`, 'latin1');
  }

  readdir(path: string): string[] {
    if (path === '/proc') return [...new Set(this.fake.readdir(path))];
    const u = this.under(path);
    if (u?.rest !== 'fd') throw sysErr('ENOENT', path);
    const sockets = this.byPid.get(u.pid)?.sockets ?? [];
    return ['0', '1', '2', ...sockets.map((_, i) => String(3 + i))];
  }

  open(path: string | Buffer, directory = false): number {
    const p = text(path);
    const data = directory ? undefined : this.extraFile(p);
    if (data) {
      // The fd number comes from the fake, so that every open shares one sequence.
      const fd = this.fake.open('/proc/uptime');
      this.extra.set(fd, { data, off: 0 });
      return fd;
    }
    const m = directory ? /^\/proc\/(\d+)$/.exec(p) : null;
    if (m) this.stage(Number(m[1]), 'pin');
    const fd = this.fake.open(path, directory);
    if (m) {
      const pid = Number(m[1]);
      this.pins.set(fd, { pid, gen: this.live(pid)?.gen ?? -1 });
    }
    return fd;
  }

  read(fd: number, buf: Uint8Array, offset: number, length: number, position?: number | null): number {
    const f = this.extra.get(fd);
    if (!f) return this.fake.read(fd, buf, offset, length, position);
    const from = position ?? f.off;
    const n = Math.max(0, Math.min(length, f.data.length - from));
    f.data.copy(buf, offset, from, from + n);
    if (position === undefined || position === null) f.off += n;
    return n;
  }

  close(fd: number): void {
    this.extra.delete(fd);
    this.pins.delete(fd);
    this.fake.close(fd);
  }

  /** Fds still open (the fake's count covers the extra files too). */
  openFds(): number {
    return this.fake.openFds();
  }

  stat(path: string | Buffer): { dev: bigint; ino: bigint } {
    const p = text(path);
    const u = this.under(p);
    if (u?.rest === 'ns/pid') return { dev: 4n, ino: BigInt(this.byPid.get(u.pid)?.pidNs ?? ROOT_PID_NS) };
    const target = u?.rest === 'exe' ? this.byPid.get(u.pid)?.exePath : u ? undefined : p;
    const ino = target === undefined ? undefined : this.spec.files[target];
    if (ino === undefined) throw sysErr('ENOENT', p);
    return { dev: DEV, ino: BigInt(ino) };
  }

  readlink(path: string | Buffer): Buffer {
    const p = text(path);
    if (p === '/proc/self') return this.fake.readlink(path);
    const u = this.under(p);
    const proc = u ? this.byPid.get(u.pid) : undefined;
    if (u?.rest === 'exe' && proc?.exePath !== undefined) return Buffer.from(proc.exePath, 'latin1');
    const fd = u ? /^fd\/(\d+)$/.exec(u.rest) : null;
    if (fd) {
      const n = Number(fd[1]);
      if (n <= 2) return Buffer.from('/dev/null');
      const inode = proc?.sockets?.[n - 3];
      if (inode !== undefined) return Buffer.from(`socket:[${inode}]`);
    }
    throw sysErr('ENOENT', p);
  }

  /** What `signal` does to a live process (and does to it now): the log's words. */
  private deliver(pid: number, signal: number): string {
    const p = this.live(pid)!;
    if (signal === 0) return 'checked';
    if (p.state === 'Z') return 'a zombie: nothing';
    if (STOPS.has(signal)) {
      p.state = 'T';
      return `${pid} stops`;
    }
    if (signal === 18 || IGNORED.has(signal)) {
      if (signal === 18 && p.state === 'T') p.state = 'S';
      return `${pid} goes on`;
    }
    if (signal !== 9 && this.byPid.get(pid)?.survives?.includes(signal)) return `${pid} handles it`;
    if (this.byPid.get(pid)?.zombieOnDeath) {
      p.state = 'Z';
      p.cmdline = Buffer.alloc(0);
      return `${pid} ends (a zombie)`;
    }
    this.fake.procs.delete(pid);
    return `${pid} ends`;
  }

  /** The kernel's order: the target (ESRCH), the signal (EINVAL), the permission (EPERM). */
  private refusal(pids: readonly number[], signal: number): string | undefined {
    if (pids.length === 0) return 'ESRCH';
    if (signal < 0 || signal > 64) return 'EINVAL';
    if (pids.every((pid) => this.byPid.get(pid)?.foreign)) return 'EPERM';
    return undefined;
  }

  kill(pid: number, signal: number): void {
    const head = `kill(${pid}, ${signal})`;
    if (pid === 0 || pid === -1) {
      this.signals.push(`${head}: REFUSED BY THE GOLDEN WORLD`);
      throw new Error(`golden: ${head} reached the System`);
    }
    if (pid > 0) this.stage(pid, 'send');
    const pids =
      pid > 0
        ? this.live(pid)
          ? [pid]
          : []
        : [...this.fake.procs.values()].filter((p) => p.pgrp === -pid).map((p) => p.pid);
    const refused = this.refusal(pids, signal);
    if (refused) {
      this.signals.push(`${head} = ${refused}`);
      throw sysErr(refused);
    }
    const done = pids.filter((p) => !this.byPid.get(p)?.foreign).map((p) => this.deliver(p, signal));
    this.signals.push(`${head} = 0: ${done.join(', ')}`);
  }

  pidfdSendSignal(fd: number, signal: number): PidfdResult {
    const pin = this.pins.get(fd);
    const who = !pin ? `fd ${fd}` : pin.pid === this.pid ? 'self' : `${pin.pid}#${pin.gen}`;
    const head = `pidfd_send_signal(pin of ${who}, ${signal})`;
    if (pin && signal !== 0) this.stage(pin.pid, 'send');
    const r = this.fake.pidfdSendSignal(fd, signal);
    if (r !== 0 || !pin || pin.pid === this.pid) {
      this.signals.push(`${head} = ${r}`);
      return r;
    }
    const refused = this.refusal([pin.pid], signal);
    if (refused) {
      this.signals.push(`${head} = ${refused}`);
      return refused;
    }
    const p = this.live(pin.pid)!;
    this.signals.push(`${head} = 0: start ${p.startTime ?? 1000}, ${this.deliver(pin.pid, signal)}`);
    return 0;
  }

  lookupUser(name: string): number | undefined {
    return this.fake.lookupUser(name);
  }

  userName(uid: number): string | undefined {
    return this.spec.userNames[uid];
  }

  /** Advances the virtual clock; a wait that would never end fails the case instead of hanging it. */
  sleep(ms: number): Promise<void> {
    this.now += ms;
    if (this.now - CLOCK_START > CLOCK_LIMIT_MS)
      return Promise.reject(new Error('golden: the virtual clock passed one hour (a wait that never ends)'));
    return Promise.resolve();
  }
}

/**
 * The golden world as the CLI sees it: {@link GoldenSystem} plus the CLI system's process calls (an fd table of its
 * own, the raised send loop), which make a plain run batch its sends as the real CLI does. They do nothing here.
 */
export class GoldenCliSystem extends GoldenSystem {
  unshareFiles(): PidfdResult {
    return 0;
  }
  raisePriority(): PidfdResult | null {
    return 0;
  }
  restorePriority(): PidfdResult {
    return 0;
  }
}
