/**
 * The picker's processes, read incrementally so that a picker left open costs little (issue 18). Each refresh
 * lists the PIDs of /proc (one directory read) and examines only what changed or what is due:
 * - a PID not seen before is examined in full (the selection of the command line: stat, and whatever `-u`, NAMEs,
 *   ages need) and its command line read;
 * - a PID gone leaves;
 * - every other PID is examined again in turn, a tenth of them per refresh ({@link RECHECK_TICKS}), so that a reused
 *   PID, a rename or an exec (its command line is read again then) or a filter that now passes (`-o`) shows within
 *   about ten refreshes;
 * - the rows on screen are sampled on every refresh ({@link ProcessSource.sample}: stat and status, for CPU %,
 *   memory, age and user).
 * A command line is read once per process instance, and again when its name changes; a program that rewrites its
 * own (setproctitle) without changing its name keeps the first one shown.
 * Processes are kept by PID and start time (a PID whose start time changed is a new process, never the old one's
 * row); ports are tracked by {@link PortWatch}.
 */
import { examine, type Match, type Selection } from '../../engine.js';
import { type Criteria, checkProc, compileSelection, snapshot } from '../../killall.js';
import { portInodes } from '../../procfs/fds.js';
import type { ProcReader } from '../../procfs/reader.js';
import { isKernelThread } from '../../procfs/stat.js';
import { parseRealUid } from '../../procfs/status.js';
import { escapeName } from '../../text/escape.js';
import type { PickRow } from './model.js';
import { PortWatch, type SocketHolder } from './ports.js';
import { formatCmdline, parseStatTimes, parseVmRssKiB } from './procinfo.js';
import { cellText } from './width.js';

/** Refreshes over which every known PID is examined again once. */
export const RECHECK_TICKS = 10;
/** Linux's USER_HZ on every architecture Node runs on. */
const CLOCK_TICKS = 100;
/** The most command line bytes read per process. */
const CMDLINE_CAP = 4096;

/** A selected process instance. */
interface Known extends SocketHolder {
  readonly startTime: string;
  row: PickRow;
  /** Its command line was read (a first listing may skip it, for a fast first frame). */
  hasCmdline: boolean;
  /** CPU ticks and the time (ms) of its last sample, for the next sample's CPU %. */
  ticks?: number;
  at?: number;
  /** The holder's sockets and the table version its row's ports were made from. */
  portsFor?: readonly string[];
  portsVersion?: number;
  /** The listing it was last seen in. */
  seen: number;
}

export class ProcessSource {
  private sel: Selection | undefined;
  private readonly known = new Map<string, Known>();
  /** PIDs seen and not selected (kernel threads, zombies, our ancestors, non-matching), with the listing. */
  private readonly others = new Map<string, number>();
  /** PIDs a sample found gone, reused or a zombie: examined again at the next listing. */
  private readonly suspects = new Set<string>();
  private listing = 0;
  private turn = 0;
  private readonly users = new Map<number, string>();
  readonly ports: PortWatch;

  constructor(
    private readonly criteria: Criteria,
    private readonly reader: ProcReader,
  ) {
    this.ports = new PortWatch(reader);
  }

  /**
   * The selected processes now, in PID order. `ports`: read the socket tables and the fds that need it.
   * `commandLines` false leaves the command lines of new rows unread (for a fast first frame; the next listing reads
   * them).
   */
  list(ports: boolean, commandLines = true): PickRow[] {
    const sel = this.selection();
    for (const n of sel.names) if (n.kind === 'port') n.inodes = portInodes(this.reader, n.port);
    const names = snapshot(this.reader);
    const gen = ++this.listing;
    const due = Math.ceil(names.length / RECHECK_TICKS);
    const from = names.length > 0 ? this.turn % names.length : 0;
    this.turn = from + due;
    const order: Known[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const recheck = (i - from + names.length) % names.length < due || this.suspects.has(name);
      let k = this.known.get(name);
      if (k) k = recheck ? this.recheck(name, k, gen) : k;
      else if (this.others.has(name) && !recheck) this.others.set(name, gen);
      else k = this.admit(name, gen, commandLines);
      if (!k) continue;
      k.seen = gen;
      if (!k.hasCmdline && commandLines) this.readCmdline(k);
      order.push(k);
    }
    this.suspects.clear();
    for (const [name, k] of this.known) if (k.seen !== gen) this.known.delete(name);
    for (const [name, g] of this.others) if (g !== gen) this.others.delete(name);
    if (ports) this.ports.update(order);
    return order.map((k) => this.withPorts(k));
  }

  /**
   * The rows on screen read again: CPU % since their last sample, memory, age and user (and the command line when
   * it was not read yet). A row whose process is gone, a zombie, or another process now (its start time changed) is
   * left out, and examined again at the next listing.
   */
  sample(rows: readonly PickRow[]): PickRow[] {
    const out: PickRow[] = [];
    const now = Date.now();
    const uptime = this.reader.readUptime();
    for (const r of rows) {
      const name = String(r.pid);
      const k = this.known.get(name);
      if (!k || k.startTime !== r.startTime) continue;
      const dir = this.reader.dirOf(name);
      const len = this.reader.readStat(dir);
      const st = typeof len === 'number' ? parseStatTimes(this.reader.buf, len) : null;
      if (!st || st.startTime !== k.startTime || st.state === 'Z') {
        this.suspects.add(name);
        continue;
      }
      const cpu =
        k.ticks !== undefined && k.at !== undefined && now > k.at
          ? Math.max(0, ((st.cpuTicks - k.ticks) / CLOCK_TICKS / ((now - k.at) / 1000)) * 100)
          : undefined;
      k.ticks = st.cpuTicks;
      k.at = now;
      const slen = this.reader.readFile(`${dir}/status`);
      const uid = typeof slen === 'number' ? parseRealUid(this.reader.buf, slen) : null;
      const rssKiB = typeof slen === 'number' ? parseVmRssKiB(this.reader.buf, slen) : undefined;
      const { cpu: _c, rssKiB: _r, ageSec: _a, ...rest } = k.row;
      k.row = {
        ...rest,
        user: this.userName(uid),
        ...(cpu !== undefined ? { cpu } : {}),
        ...(rssKiB !== undefined ? { rssKiB } : {}),
        ...(uptime !== undefined ? { ageSec: Math.max(0, uptime - st.startTicks / CLOCK_TICKS) } : {}),
      };
      if (!k.hasCmdline) this.readCmdline(k);
      out.push(this.withPorts(k));
    }
    return out;
  }

  private selection(): Selection {
    if (!this.sel) {
      checkProc(this.reader.sys);
      this.sel = compileSelection(this.criteria, this.reader);
    }
    return this.sel;
  }

  /** Examines a PID in full: its match, or null (not selected, gone, a zombie, a kernel thread, an ancestor). */
  private examine(name: string): Match | null {
    const sel = this.sel!;
    const pid = Number(name);
    if (sel.exclude.has(pid)) return null;
    const m = examine(this.reader, sel, pid, this.reader.dirOf(name));
    if (!m || m.stat.state === 'Z' || isKernelThread(m.stat)) return null;
    return m;
  }

  /** A PID not known as selected: examined; a new row when it is selected. */
  private admit(name: string, gen: number, withCmdline: boolean): Known | undefined {
    const m = this.examine(name);
    if (!m) {
      this.others.set(name, gen);
      return undefined;
    }
    this.others.delete(name);
    const k: Known = {
      dir: this.reader.dirOf(name),
      startTime: m.stat.startTime,
      row: {
        pid: m.pid,
        startTime: m.stat.startTime,
        comm: m.comm,
        ppid: m.stat.ppid,
        name: cellText(escapeName(m.longName ?? m.comm)),
        user: '',
        cmdline: '',
      },
      hasCmdline: false,
      seen: gen,
    };
    if (withCmdline) this.readCmdline(k);
    this.known.set(name, k);
    return k;
  }

  /**
   * A known PID examined again: the same instance (its name and parent brought up to date, and its command line when
   * the name changed: an exec), a new process on a reused PID (a new row), or not selected any more.
   */
  private recheck(name: string, k: Known, gen: number): Known | undefined {
    const m = this.examine(name);
    if (!m || m.stat.startTime !== k.startTime) {
      this.known.delete(name);
      return this.admit(name, gen, true);
    }
    const shown = cellText(escapeName(m.longName ?? m.comm));
    const renamed = shown !== k.row.name;
    if (renamed || m.stat.ppid !== k.row.ppid)
      k.row = { ...k.row, comm: m.comm, ppid: m.stat.ppid, name: shown };
    if (renamed) this.readCmdline(k);
    return k;
  }

  private readCmdline(k: Known): void {
    const len = this.reader.readFile(`${k.dir}/cmdline`, CMDLINE_CAP);
    const text = typeof len === 'number' ? formatCmdline(this.reader.buf, len) : '';
    const cmdline = text === '' ? `[${cellText(escapeName(k.row.comm))}]` : text;
    if (cmdline !== k.row.cmdline) k.row = { ...k.row, cmdline };
    k.hasCmdline = true;
  }

  /** The row with its ports from the newest table, made again only when its sockets or the table changed. */
  private withPorts(k: Known): PickRow {
    if (k.sockets !== undefined && (k.sockets !== k.portsFor || k.portsVersion !== this.ports.version)) {
      k.row = { ...k.row, ports: this.ports.portsOf(k) ?? [] };
      k.portsFor = k.sockets;
      k.portsVersion = this.ports.version;
    }
    return k.row;
  }

  private userName(uid: number | null | undefined): string {
    if (uid === null || uid === undefined) return '?';
    let name = this.users.get(uid);
    if (name === undefined) {
      name = cellText(escapeName(Buffer.from(this.reader.sys.userName?.(uid) ?? String(uid), 'latin1')));
      this.users.set(uid, name);
    }
    return name;
  }
}
