/**
 * One explained run: receives the syscall records of the traced System and the library's own events, groups the
 * records by the process they concern, re-derives every decision from the bytes that were read (with the same
 * matching functions the engine uses), and emits the narration as events. Nothing here runs on a plain run.
 */
import { ageAllowed, processAge } from '../match/age.js';
import { compileEre, type Ere } from '../match/ere.js';
import { matchPlainName, TRUNCATED_LENGTHS } from '../match/name.js';
import { scanLongName } from '../procfs/cmdline.js';
import { type PortName, parsePortName, socketInodes, socketLinkInode } from '../procfs/sockets.js';
import { isKernelThread, parseStat } from '../procfs/stat.js';
import { parseRealUid } from '../procfs/status.js';
import type { System } from '../system.js';
import { strerror } from '../text/strerror.js';
import {
  basename,
  type NearMiss,
  type NearMissKind,
  nearMissByCmdline,
  nearMissByComm,
  nearMissByExe,
  operand,
  splitCmdline,
} from './nearmiss.js';
import { quotePath, signalName } from './strace.js';
import type { SyscallRecord, TraceSink } from './system.js';

/** Which rule a decision comment is about. */
export type DecisionRule =
  | 'proc'
  | 'path-name'
  | 'snapshot'
  | 'comm'
  | 'long-name'
  | 'exact'
  | 'regex'
  | 'path'
  | 'port'
  | 'user'
  | 'age'
  | 'namespace'
  | 'context'
  | 'no-match'
  | 'near-miss'
  | 'pin'
  | 'confirm'
  | 'group'
  | 'dry-run'
  | 'signal'
  | 'gone'
  | 'probe'
  | 'wait'
  | 'note'
  | 'reconstructed';

/** What the narration is made of. Every event carries the `line` the CLI prints (comments start with `# `). */
export type ExplainEvent =
  | {
      readonly type: 'syscall';
      readonly line: string;
      readonly record: SyscallRecord;
      /** The process the call concerns, when it concerns one. */
      readonly pid?: number;
      /** `explain`: a read that only `--explain` makes (near-miss evidence); `killall`: part of the run itself. */
      readonly by: 'killall' | 'explain';
    }
  | { readonly type: 'decision'; readonly line: string; readonly rule: DecisionRule; readonly pid?: number }
  | {
      readonly type: 'summary';
      readonly line: string;
      /** Processes whose lines were left out (neither a match nor a near miss). */
      readonly processes: number;
      readonly syscalls: number;
      /** Their calls by name. */
      readonly calls: Readonly<Record<string, number>>;
      readonly by: 'killall' | 'explain';
    }
  | {
      readonly type: 'hint';
      readonly line: string;
      /** The NAME that got no process, as text (latin1). */
      readonly name: string;
      readonly pid: number;
      /** `eperm`: matched, the kernel refused; `filtered`: matched by name, left out by a filter or by -g. */
      readonly kind: NearMissKind | 'eperm' | 'filtered';
      /** What would have matched it (`killall -I foo`, `pkill -f foo`), or for EPERM what to do. */
      readonly suggestion: string;
    }
  | { readonly type: 'pause'; readonly line: string; readonly ms: number };

/** The library's `explain` option. */
export interface ExplainOptions {
  /** Show every process in full (`--explain=all`) instead of summarising those that neither matched nor nearly did. */
  readonly all?: boolean;
  /** Receives the narration, in order, as it happens. */
  readonly onEvent: (event: ExplainEvent) => void;
  /**
   * Called once at the start with a function that hands over at once what the narration holds back (the calls of
   * the process being handled, until its decision is known). A caller that writes lines of its own during the run
   * (a prompt in `confirm`) calls it first, so that its lines follow the calls that led to them.
   */
  readonly attach?: (flush: () => void) => void;
}

/** The options of a run that explain reads (the structural part of `KillallOptions`/`Criteria`). */
export interface ExplainCriteria {
  readonly names?: readonly (string | Uint8Array)[];
  readonly regexp?: boolean;
  readonly exact?: boolean;
  readonly ignoreCase?: boolean;
  readonly user?: string | number;
  readonly youngerThan?: number;
  readonly olderThan?: number;
  readonly processGroup?: boolean;
  readonly dryRun?: boolean;
}

type NameKind =
  | { readonly kind: 'plain' }
  | { readonly kind: 'port'; readonly port: PortName }
  | { readonly kind: 'path'; dev?: bigint; ino?: bigint }
  | { readonly kind: 'regex'; readonly ere: Ere | null };

interface Item {
  readonly rec: SyscallRecord;
  readonly by: 'killall' | 'explain';
  /** The process the call concerns, as attributed when it was made. */
  readonly pid: number | undefined;
}

interface Group {
  readonly pid: number;
  readonly items: Item[];
  /** `-e` skipped it (the library's `partial` event). */
  partial: boolean;
  readonly hint: boolean;
}

const NO_MATCH = -2;

const HINT_KIND: Readonly<Record<NearMissKind, string>> = {
  case: 'case',
  truncated: 'cut comm',
  script: 'script',
  renamed: 'renamed',
  exe: 'executable',
  prefix: 'prefix',
};
/** A byte string quoted as strace quotes a path: whole, not cut at 32 bytes. */
const str = (b: Uint8Array): string => quotePath(b);
const PROC_PID = /^\/proc\/(\d+)(?:\/|$)/;
const PIN_PATH = /^\/proc\/self\/fd\/(\d+)(?:\/|$)/;

/** What the scan learnt about a process that did not match (for the hint pass). */
interface Seen {
  readonly comm: Buffer;
  readonly kernel: boolean;
}

/** Counters of left-out processes. */
class Tally {
  processes = 0;
  gone = 0;
  syscalls = 0;
  readonly calls: Record<string, number> = {};
  add(items: readonly Item[], gone: boolean): void {
    this.processes++;
    if (gone) this.gone++;
    for (const it of items) this.call(it);
  }
  /** One more call of a process already counted. */
  call(it: Item): void {
    this.syscalls++;
    this.calls[it.rec.name] = (this.calls[it.rec.name] ?? 0) + 1;
  }
  text(): string {
    const per = this.processes > 0 ? this.syscalls / this.processes : 0;
    const list = Object.entries(this.calls)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const perText = Number.isInteger(per) ? `${per} per process` : `${per.toFixed(1)} per process on average`;
    return `${this.syscalls} syscalls (${list}), ${perText}`;
  }
}

/** One explained run. See {@link ExplainOptions}. */
export class ExplainSession implements TraceSink {
  private phase: 'setup' | 'scan' | 'hints' | 'after' = 'setup';
  private readonly names: Buffer[];
  private readonly kinds: NameKind[];
  private readonly fdPid = new Map<number, number>();
  /** Paths of open fds outside any process (the socket tables of port NAMEs), and the bytes read from them. */
  private readonly fdGlobal = new Map<number, string>();
  private readonly tables = new Map<string, Buffer>();
  private group: Group | null = null;
  /**
   * The PID of the last group summarised rather than printed: its stat fd may be closed after the group ended (a
   * `-e` skip ends the group at the library's event, before the scan closes the fd), and that close is counted too.
   */
  private summarisedPid: number | undefined;
  private by: 'killall' | 'explain' = 'killall';
  private readonly scanTally = new Tally();
  private readonly hintTally = new Tally();
  /** Non-matching processes the scan read, for the hint pass. */
  private readonly seen = new Map<number, Seen>();
  /** The NAME index each selected process matched, by PID. */
  private readonly matched = new Map<number, { nameIndex: number; comm: Buffer }>();
  /** Near misses per NAME index. */
  private readonly near = new Map<number, { pid: number; comm: Buffer; miss: NearMiss }[]>();
  /** Matches whose signal the kernel refused with EPERM. */
  private readonly eperm: { pid: number; nameIndex: number; comm: Buffer }[] = [];
  /** Processes whose name matched but that a filter (age) or -g left out, with why. */
  private readonly filtered: { pid: number; nameIndex: number; comm: Buffer; why: string }[] = [];
  private scanEnded = false;
  /** The NAMEs the hint pass looks for (those without a process, but regexes and ports). */
  private hintNames: readonly number[] = [];
  /** The traced System, for the hint pass's own reads (set by {@link withExplain}). */
  system: System | null = null;

  constructor(
    private readonly criteria: ExplainCriteria,
    private readonly options: ExplainOptions,
    private readonly selfPid: number,
  ) {
    this.names = (criteria.names ?? []).map((n) =>
      typeof n === 'string' ? Buffer.from(n, 'utf8') : Buffer.from(n),
    );
    this.kinds = this.names.map((raw): NameKind => {
      if (criteria.regexp) {
        try {
          return {
            kind: 'regex',
            ere: compileEre(raw.toString('latin1'), { ignoreCase: criteria.ignoreCase }),
          };
        } catch {
          return { kind: 'regex', ere: null };
        }
      }
      const port = parsePortName(raw.toString('latin1'));
      if (port && port !== 'out-of-range') return { kind: 'port', port };
      return raw.includes(0x2f) ? { kind: 'path' } : { kind: 'plain' };
    });
  }

  // ---- output ----

  private emit(e: ExplainEvent): void {
    this.options.onEvent(e);
  }

  private comment(rule: DecisionRule, text: string, pid?: number): void {
    this.emit({ type: 'decision', line: `# ${text}`, rule, ...(pid !== undefined ? { pid } : {}) });
  }

  private syscall(it: Item, pid?: number): void {
    this.emit({
      type: 'syscall',
      line: it.rec.line,
      record: it.rec,
      ...(pid !== undefined ? { pid } : {}),
      by: it.by,
    });
  }

  // ---- TraceSink ----

  note(text: string): void {
    this.flushGroup();
    this.comment('note', text);
  }

  pause(ms: number): void {
    this.flushGroup();
    this.emit({ type: 'pause', line: `# waiting ${ms} ms (a timer in Node's event loop: not shown)`, ms });
  }

  call(rec: SyscallRecord): void {
    const pid = this.pidOf(rec);
    const it: Item = { rec, by: this.by, pid };
    if (rec.name === 'openat' && rec.fd !== undefined && pid !== undefined) this.fdPid.set(rec.fd, pid);
    if (rec.name === 'openat' && rec.fd !== undefined && rec.path?.startsWith('/proc/net/'))
      this.fdGlobal.set(rec.fd, rec.path);
    if (rec.name === 'read' && rec.fd !== undefined && rec.data) {
      const table = this.fdGlobal.get(rec.fd);
      if (table) this.tables.set(table, Buffer.concat([this.tables.get(table) ?? Buffer.alloc(0), rec.data]));
    }
    if (rec.name === 'close' && rec.fd !== undefined) {
      this.fdPid.delete(rec.fd);
      this.fdGlobal.delete(rec.fd);
    }
    // A readdir of a process's directory (its fds, for port NAMEs) belongs to that process's lines; /proc's is global.
    const own = !rec.reconstructed || pid !== undefined;
    if (rec.reconstructed && rec.name === 'openat' && !own) {
      this.flushGroup();
      this.reconstructedComment(rec, undefined);
      if (this.phase === 'setup' && rec.path === '/proc') this.phase = 'scan';
    }
    if (
      this.phase === 'scan' &&
      !this.group &&
      rec.name === 'close' &&
      pid !== undefined &&
      pid === this.summarisedPid
    ) {
      this.scanTally.call(it);
      return;
    }
    if ((this.phase === 'scan' || this.phase === 'hints') && own) {
      if (pid === undefined || (this.group && this.group.pid === pid)) {
        if (this.group) {
          this.group.items.push(it);
          return;
        }
      } else {
        this.flushGroup();
        this.group = { pid, items: [it], partial: false, hint: this.phase === 'hints' };
        return;
      }
    }
    this.flushGroup();
    this.syscall(it, pid);
    this.after(it, pid);
  }

  private reconstructedComment(rec: SyscallRecord, pid: number | undefined): void {
    this.comment(
      'reconstructed',
      `reconstructed: readdir(${quotePath(rec.path ?? '')}) is scandir(3) inside Node; its fd (FD), buffer address and the split between getdents64 calls are not observed`,
      pid,
    );
  }

  private pidOf(rec: SyscallRecord): number | undefined {
    let pid: number | undefined;
    if (rec.path !== undefined) {
      const m = PROC_PID.exec(rec.path);
      if (m) pid = Number(m[1]);
      else {
        const p = PIN_PATH.exec(rec.path);
        if (p) pid = this.fdPid.get(Number(p[1]));
      }
    } else if (rec.fd !== undefined) pid = this.fdPid.get(rec.fd);
    else if (rec.name === 'kill' && rec.target !== undefined && rec.target > 0) pid = rec.target;
    return pid === this.selfPid ? undefined : pid;
  }

  /** Comments for a call printed on its own (setup, after the scan, parts of a selected process's handling). */
  private after(it: Item, pid: number | undefined): void {
    const r = it.rec;
    if (r.name === 'readlink' && r.path === '/proc/self' && typeof r.result === 'number') {
      const ours = r.data?.toString('latin1') === String(this.selfPid);
      this.comment(
        'proc',
        ours
          ? `/proc is mounted and is ours: /proc/self names our PID ${this.selfPid}`
          : `/proc/self does not name our PID ${this.selfPid}: this /proc is not ours`,
      );
      return;
    }
    if (r.name === 'statx' && r.path !== undefined && pid === undefined) {
      const i = this.names.findIndex((n) => n.toString('latin1') === r.path);
      const k = i >= 0 ? this.kinds[i] : undefined;
      if (k?.kind === 'path' && r.ino !== undefined) {
        k.dev = r.dev;
        k.ino = r.ino;
        this.comment(
          'path-name',
          `NAME ${str(this.names[i]!)} has a '/': a process matches when its exe is this file (dev ${r.dev}, inode ${r.ino}), or its exe link reads exactly this path`,
        );
      }
      return;
    }
    if (r.name === 'close' && r.reconstructed && r.path === '/proc') {
      this.comment(
        'snapshot',
        'that is the PID snapshot: each PID is read in ascending order, our own left out',
      );
      return;
    }
    if (r.name === 'openat' && r.directory && r.path === `/proc/${this.selfPid}`) {
      this.comment('probe', 'a pin of ourselves, to probe once whether pidfd_send_signal works here');
      return;
    }
    if (r.name === 'pidfd_send_signal' && r.signal === 0 && pid === undefined) {
      this.comment(
        'probe',
        r.result === 0
          ? 'pidfd_send_signal works: signals go through pins'
          : 'pidfd_send_signal is not usable: kill(2) after re-checking the start time through the pin',
      );
      return;
    }
    if (r.name === 'pidfd_send_signal' || r.name === 'kill') this.signalComment(r, pid);
  }

  private signalComment(r: SyscallRecord, pid: number | undefined): void {
    const sig = signalName(r.signal ?? 0);
    const who =
      r.name === 'kill' && r.target !== undefined && r.target < 0
        ? `process group ${-r.target}`
        : pid !== undefined
          ? `${pid}`
          : 'the process';
    if (r.result === 0) {
      this.comment('signal', `${sig} delivered to ${who}: the kernel said 0`, pid);
      return;
    }
    const code = String(r.result);
    if (code === 'EPERM' && pid !== undefined) {
      const m = this.matched.get(pid);
      if (m) this.eperm.push({ pid, nameIndex: m.nameIndex, comm: m.comm });
      this.comment(
        'signal',
        `the kernel refused ${sig} to ${who}: EPERM, it belongs to another user; killall reports "${strerror('EPERM')}" for it, and it does not count as found`,
        pid,
      );
      return;
    }
    if (code === 'ESRCH') {
      this.comment(
        'signal',
        `${who} is gone (ESRCH): it ended after it was pinned; nothing was signalled`,
        pid,
      );
      return;
    }
    this.comment('signal', `${sig} to ${who} failed: ${code} (${strerror(code)})`, pid);
  }

  // ---- groups ----

  private flushGroup(): void {
    const g = this.group;
    if (!g) return;
    this.group = null;
    if (g.hint) this.finishHintGroup(g);
    else {
      const before = this.scanTally.processes;
      this.finishScanGroup(g);
      this.summarisedPid = this.scanTally.processes > before ? g.pid : undefined;
    }
  }

  private printGroup(g: Group, notes: Map<number, string[]>, rule: Map<number, DecisionRule>): void {
    g.items.forEach((it, i) => {
      if (it.rec.reconstructed && it.rec.name === 'openat') this.reconstructedComment(it.rec, it.pid);
      this.syscall(it, it.pid);
      for (const n of notes.get(i) ?? []) this.comment(rule.get(i) ?? 'note', n, g.pid);
      this.after(it, it.pid);
    });
  }

  /**
   * Bytes read from the file opened at `path` (first open at or after `from`), with the fd and the indexes of its
   * calls: its read(2) calls up to its close, or up to a pread64 of the same fd (the scan's stat fd, kept open and
   * read again after pinning: see {@link confirmNote}), which is not part of this read.
   */
  private readFile(
    items: readonly Item[],
    test: (path: string) => boolean,
    from = 0,
  ): { data: Buffer; open: number; last: number; fd?: number; failed?: string } | null {
    for (let i = from; i < items.length; i++) {
      const r = items[i]!.rec;
      if (r.name !== 'openat' || r.directory || r.path === undefined || !test(r.path)) continue;
      if (typeof r.result === 'string') return { data: Buffer.alloc(0), open: i, last: i, failed: r.result };
      const parts: Buffer[] = [];
      let last = i;
      for (let j = i + 1; j < items.length; j++) {
        const q = items[j]!.rec;
        if (q.fd !== r.fd) continue;
        if (q.name === 'pread64') break;
        last = j;
        if (q.name === 'read' && q.data) parts.push(q.data);
        if (q.name === 'close') break;
      }
      return { data: Buffer.concat(parts), open: i, last, ...(r.fd !== undefined ? { fd: r.fd } : {}) };
    }
    return null;
  }

  /**
   * The confirmation after the pin at `pinI`, as the run made it (src/killall.ts, verify): the stat fd the scan
   * opened (`statFd`) is read again from offset 0 (pread64) and closed. That open file belongs to the process
   * instance it was opened on: it fails with ESRCH once that instance is gone, even if its PID was reused. So when it
   * still reads, the instance held the PID from the scan's read until after the pin was opened, and the pin holds
   * it; a verdict that rested on stat alone is then confirmed by an unchanged start time and comm, any other is
   * examined again in full through the pin (its reads through /proc/self/fd/PIN/ follow).
   */
  private confirmNote(
    items: readonly Item[],
    pinI: number,
    statFd: number | undefined,
    dir: string,
    stat: { readonly startTime: string; readonly comm: Buffer },
    statOnly: boolean,
    note: (i: number, rule: DecisionRule, text: string) => void,
  ): void {
    const reI =
      statFd === undefined
        ? -1
        : items.findIndex((x, i) => i > pinI && x.rec.name === 'pread64' && x.rec.fd === statFd);
    if (reI < 0) {
      // No stat fd kept (an older read pattern): stat read again by path or through the pin.
      const again = this.readFile(items, (p) => p === `${dir}/stat` || PIN_PATH.test(p), pinI + 1);
      if (again && !again.failed) {
        const st = parseStat(again.data);
        const same = st !== null && st.startTime === stat.startTime && st.comm.equals(stat.comm);
        note(
          again.last,
          'confirm',
          same
            ? `start time ${stat.startTime} and comm read again after pinning: unchanged, so the pin holds the instance the scan read`
            : 'read again after pinning: not the instance the scan read; not signalled',
        );
      }
      return;
    }
    const re = items[reI]!.rec;
    const closeI = items.findIndex((x, i) => i > reI && x.rec.name === 'close' && x.rec.fd === statFd);
    const at = closeI === reI + 1 ? closeI : reI;
    if (typeof re.result === 'string') {
      note(
        at,
        re.result === 'ESRCH' ? 'gone' : 'confirm',
        re.result === 'ESRCH'
          ? `the stat file the scan read, still open, fails now (ESRCH): the instance it was opened on is gone, so whatever holds PID ${dir.slice(6)} now is a newcomer; not signalled`
          : `the stat file the scan read cannot be read again (${re.result}): examined again in full through the pin`,
      );
      return;
    }
    const st = parseStat(re.data ?? Buffer.alloc(0));
    const same = st !== null && st.startTime === stat.startTime && st.comm.equals(stat.comm);
    const full = !statOnly;
    const via = 'read again after pinning, through the stat fd the scan opened (pread64)';
    const held =
      'that fd fails with ESRCH once its instance is gone, even on a reused PID, so the pin holds the instance the scan read';
    note(
      at,
      'confirm',
      !same
        ? `stat ${via}: ${held}, but its comm changed since the scan: examined again in full through the pin`
        : full
          ? `start time ${stat.startTime} and comm ${via}: unchanged; ${held}; its verdict rested on more than stat, so it is examined again through the pin`
          : `start time ${stat.startTime} and comm ${via}: unchanged; ${held}`,
    );
  }

  private finishScanGroup(g: Group): void {
    const pid = g.pid;
    const items = g.items;
    const first = items[0]!.rec;
    const dir = `/proc/${pid}`;
    // The scan opens (or, for -n, stats) a file under /proc/PID first; anything else continues a selected process.
    const isScan =
      (first.name === 'openat' || first.name === 'statx') && first.path?.startsWith(`${dir}/`) === true;
    if (!isScan) {
      this.printGroup(g, new Map(), new Map());
      return;
    }
    const notes = new Map<number, string[]>();
    const rules = new Map<number, DecisionRule>();
    const note = (i: number, rule: DecisionRule, text: string): void => {
      const list = notes.get(i) ?? [];
      list.push(text);
      notes.set(i, list);
      rules.set(i, rule);
    };
    const all = this.options.all === true;
    // Filters read before stat: -u (status).
    const status = this.readFile(items, (p) => p === `${dir}/status`);
    if (status && this.criteria.user !== undefined && !status.failed) {
      const uid = parseRealUid(status.data);
      const stop = !items.some((x) => x.rec.path === `${dir}/stat`);
      note(
        status.last,
        'user',
        `-u: real uid ${uid ?? '?'}${stop ? ': not the user asked for, skipped' : ': the user asked for'}`,
      );
      if (stop) {
        if (all) this.printGroup(g, notes, rules);
        else this.scanTally.add(items, false);
        return;
      }
    }
    const statF = this.readFile(items, (p) => p === `${dir}/stat`);
    if (!statF) {
      // A filter read before stat said no: -n (the PID namespace) or -Z (the security context).
      const ns = items.findIndex((x) => x.rec.name === 'statx' && x.rec.path === `${dir}/ns/pid`);
      const ctx = this.readFile(items, (p) => p === `${dir}/attr/current`);
      if (ns >= 0) {
        const r = items[ns]!.rec;
        note(
          ns,
          'namespace',
          r.ino !== undefined
            ? `-n: its PID namespace (inode ${r.ino}) is not the one asked for: skipped`
            : `-n: its PID namespace cannot be read (${String(r.result)}): skipped`,
        );
      } else if (ctx) note(ctx.last, 'context', '-Z: its security context does not match: skipped');
      if (all) this.printGroup(g, notes, rules);
      else this.scanTally.add(items, false);
      return;
    }
    const stat = !statF.failed ? parseStat(statF.data) : null;
    if (!stat) {
      if (statF.failed && !all) {
        this.scanTally.add(items, true);
        return;
      }
      note(statF.last, 'gone', `${pid} could not be read (${statF.failed ?? 'unparsable'}): skipped`);
      this.printGroup(g, notes, rules);
      return;
    }
    const comm = stat.comm;
    let at = statF.last;
    const uptime = this.readFile(items, (p) => p === '/proc/uptime', statF.open);
    if (
      uptime &&
      !uptime.failed &&
      (this.criteria.youngerThan !== undefined || this.criteria.olderThan !== undefined)
    ) {
      const up = Number.parseFloat(uptime.data.toString('latin1')) || 0;
      const age = Math.round(processAge(up, Number(stat.startTime), 100) * 100) / 100;
      const ok = ageAllowed(age, this.criteria.youngerThan, this.criteria.olderThan);
      note(
        uptime.last,
        'age',
        `age ${age} s (uptime ${up} s, start time ${stat.startTime} ticks): ${ok ? 'within -y/-o' : 'outside -y/-o, skipped'}`,
      );
      at = uptime.last;
      if (!ok) {
        // The names were not compared (the age comes first); compared here, a match by name is worth a hint.
        const byName = this.firstMatch(items, dir, comm, undefined);
        if (byName < 0) this.seen.set(pid, { comm, kernel: isKernelThread(stat) });
        if (byName >= 0) {
          const why = `its age, ${age} s, is outside ${this.ageText()}`;
          this.filtered.push({ pid, nameIndex: byName, comm, why });
          note(uptime.last, 'age', `its name matches NAME ${str(this.names[byName]!)}, but ${why}`);
          this.printGroup(g, notes, rules);
        } else if (all) this.printGroup(g, notes, rules);
        else this.scanTally.add(items, false);
        return;
      }
    }
    // The long name, as the engine reads it.
    let longName: Buffer | undefined;
    const cut = TRUNCATED_LENGTHS.includes(comm.length);
    const cmd = cut ? this.readFile(items, (p) => p === `${dir}/cmdline`, statF.open) : null;
    if (cut) {
      // Before the cmdline's calls: the scan's stat fd may stay open (and be closed) after them.
      note(
        cmd ? cmd.open - 1 : statF.last,
        'long-name',
        `comm ${str(comm)} is ${comm.length} bytes: maybe cut by the kernel, so cmdline is read for the long name`,
      );
      if (cmd && !cmd.failed) {
        const r = scanLongName(cmd.data, cmd.data.length, comm, true);
        let arg = '';
        if (r.kind === 'found') {
          longName = Buffer.from(cmd.data.subarray(r.start, r.end));
          const from = r.start === 0 ? 0 : cmd.data.lastIndexOf(0, r.start - 1) + 1;
          let index = 0;
          for (let i = 0; i < from; i++) if (cmd.data[i] === 0) index++;
          arg = `cmdline argument ${index} ${str(cmd.data.subarray(from, r.end))}`;
        }
        at = cmd.last;
        note(
          cmd.last,
          'long-name',
          longName
            ? `long name ${str(longName)}: the basename of ${arg}, the first argument whose basename starts with comm`
            : 'no cmdline argument has a basename starting with comm: no long name',
        );
      }
    }
    const exactSkip = g.partial || (this.criteria.exact === true && cut && longName === undefined);
    const pinI = items.findIndex(
      (x) => x.rec.name === 'openat' && x.rec.directory === true && x.rec.path === dir,
    );
    let nameIndex = exactSkip ? NO_MATCH : this.firstMatch(items, dir, comm, longName);
    // The run pinned it, so the run selected it: never hide that, even if a rule is not re-derived here.
    const underived = nameIndex === NO_MATCH && pinI >= 0;
    if (underived) nameIndex = -3;
    const exeI = lastIndex(items, (x) => x.rec.path === `${dir}/exe`);
    if (exeI >= 0) at = Math.max(at, exeI);
    // Port NAMEs: the fd links read before the pin (the last one is the socket that matched, if one did).
    const linkI = lastIndex(
      items,
      (x, i) =>
        x.rec.name === 'readlink' && x.rec.path?.startsWith(`${dir}/fd/`) === true && (pinI < 0 || i < pinI),
    );
    if (linkI >= 0) at = Math.max(at, linkI);
    const shown = longName ?? comm;
    if (nameIndex !== NO_MATCH) {
      this.matched.set(pid, { nameIndex, comm });
      note(
        at,
        underived ? 'note' : this.ruleOf(nameIndex, longName),
        underived
          ? `${pid} was selected by the run (by a rule --explain does not re-derive)`
          : `${pid} matches: ${this.whyMatch(nameIndex, comm, longName)}`,
      );
      if (pinI < 0) {
        const why = !this.criteria.processGroup
          ? 'it was handled already (a descendant of an earlier match)'
          : stat.pgrp <= 0
            ? `-g: its process group is ${stat.pgrp} (outside this PID namespace), which psmisc's table counts as handled, so it is not signalled`
            : stat.pgrp === 1
              ? '-g: its process group is 1, never signalled (that would hit every process)'
              : `-g: its process group ${stat.pgrp} was signalled already`;
        note(at, 'group', `selected, but not signalled: ${why}`);
        if (nameIndex >= 0) this.filtered.push({ pid, nameIndex, comm, why });
      } else {
        const pin = items[pinI]!.rec;
        if (typeof pin.result === 'string') {
          note(
            pinI,
            'gone',
            `${pid} is gone before it could be pinned (${pin.result}): what psmisc sees as ESRCH`,
          );
        } else {
          note(
            pinI,
            'pin',
            `pinned: fd ${pin.result} holds this process instance (/proc/${pid}); the signal goes through it, so a reused PID cannot be hit`,
          );
          // As the engine decides (src/engine.ts, statOnly): the verdict rests on stat alone without -u, -n, -Z,
          // an age filter, a comm that may be cut (cmdline read), or a path or port NAME.
          const statOnly =
            this.criteria.user === undefined &&
            this.criteria.youngerThan === undefined &&
            this.criteria.olderThan === undefined &&
            !cut &&
            !this.kinds.some((k) => k.kind === 'path' || k.kind === 'port') &&
            !items.some((x) => x.rec.path === `${dir}/ns/pid` || x.rec.path === `${dir}/attr/current`);
          this.confirmNote(items, pinI, statF.fd, dir, stat, statOnly, note);
        }
        if (this.criteria.dryRun) note(items.length - 1, 'dry-run', '--dry-run: nothing is sent');
      }
      this.printGroup(g, notes, rules);
      return;
    }
    this.seen.set(pid, { comm, kernel: isKernelThread(stat) });
    let near = false;
    const nearIndex = notes.get(at)?.length ?? 0;
    this.names.forEach((name, i) => {
      if (this.kinds[i]!.kind === 'port') return;
      if (this.kinds[i]!.kind === 'regex') {
        const k = this.kinds[i] as { ere: Ere | null };
        if (!this.criteria.ignoreCase && k.ere) {
          try {
            const ci = compileEre(name.toString('latin1'), { ignoreCase: true });
            if (ci.test(shown)) {
              this.addNear(i, pid, comm, {
                kind: 'case',
                evidence: shown,
                suggestion: `killall -r -I ${operand(name)}`,
                why: `regex ${str(name)} matches ${str(shown)} only when ASCII case is ignored`,
              });
              note(at, 'near-miss', `near miss for NAME ${str(name)}: regex matches only ignoring case (-I)`);
              near = true;
            }
          } catch {}
        }
        return;
      }
      const base = this.kinds[i]!.kind === 'path' ? basename(name) : name;
      const m = nearMissByComm(Buffer.from(base), comm, longName, this.criteria.exact === true);
      if (!m) return;
      this.addNear(i, pid, comm, m);
      note(at, 'near-miss', `near miss for NAME ${str(name)}: ${m.why} (${m.suggestion} would match)`);
      near = true;
    });
    if (exactSkip && (near || all)) {
      const list = notes.get(at) ?? [];
      list.splice(
        nearIndex,
        0,
        '-e: comm may be cut and there is no long name: skipped before any NAME is compared',
      );
      notes.set(at, list);
    }
    if (near || all) {
      if (!near) note(at, 'no-match', `${str(shown)} is no NAME: not a match`);
      this.printGroup(g, notes, rules);
      return;
    }
    this.scanTally.add(items, false);
  }

  private ageText(): string {
    const parts: string[] = [];
    if (this.criteria.youngerThan !== undefined) parts.push(`-y ${this.criteria.youngerThan} s`);
    if (this.criteria.olderThan !== undefined) parts.push(`-o ${this.criteria.olderThan} s`);
    return parts.join(' and ');
  }

  private addNear(i: number, pid: number, comm: Buffer, miss: NearMiss): void {
    const list = this.near.get(i) ?? [];
    if (!list.some((x) => x.pid === pid)) list.push({ pid, comm, miss });
    this.near.set(i, list);
  }

  private ruleOf(i: number, longName: Buffer | undefined): DecisionRule {
    const k = this.kinds[i];
    if (!k) return 'user';
    if (k.kind === 'regex') return 'regex';
    if (k.kind === 'path') return 'path';
    if (k.kind === 'port') return 'port';
    return longName ? 'long-name' : 'comm';
  }

  private whyMatch(i: number, comm: Buffer, longName: Buffer | undefined): string {
    if (i < 0) return 'no NAMEs were given; the filters alone select';
    const name = this.names[i]!;
    const k = this.kinds[i]!;
    const ic = this.criteria.ignoreCase ? ' ignoring ASCII case (-I)' : '';
    if (k.kind === 'regex')
      return `regex ${str(name)} matches ${longName ? 'the long name' : 'comm'} ${str(longName ?? comm)}${ic}`;
    if (k.kind === 'path') return `its exe is NAME's file ${str(name)}`;
    if (k.kind === 'port')
      return `one of its fds is a socket bound to port ${k.port.port} (its inode is in /proc/net/${k.port.protocols.join(' or /proc/net/')})`;
    if (longName) return `the long name ${str(longName)} equals NAME ${str(name)}${ic}`;
    if (TRUNCATED_LENGTHS.includes(comm.length) && name.length > comm.length)
      return `NAME ${str(name)} is longer than comm; its first ${comm.length} bytes equal comm ${str(comm)}${ic}`;
    return `comm ${str(comm)} equals NAME ${str(name)}${ic}`;
  }

  private firstMatch(
    items: readonly Item[],
    dir: string,
    comm: Buffer,
    longName: Buffer | undefined,
  ): number {
    if (this.names.length === 0) return -1;
    for (let j = 0; j < this.names.length; j++) {
      const k = this.kinds[j]!;
      const n = this.names[j]!;
      if (k.kind === 'plain') {
        if (matchPlainName(n, comm, 0, comm.length, longName, this.criteria.ignoreCase === true)) return j;
      } else if (k.kind === 'regex') {
        if (k.ere?.test(longName ?? comm)) return j;
      } else if (k.kind === 'port') {
        if (this.holdsPort(items, dir, k.port) !== undefined) return j;
      } else {
        const st = items.find((x) => x.rec.name === 'statx' && x.rec.path === `${dir}/exe`)?.rec;
        if (st?.ino !== undefined && st.ino === k.ino && st.dev === k.dev) return j;
        const rl = items.find((x) => x.rec.name === 'readlink' && x.rec.path === `${dir}/exe`)?.rec;
        if (rl?.data?.equals(n)) return j;
      }
    }
    return NO_MATCH;
  }

  /** The socket inode a process's fd links show for a port NAME (from the socket tables read before the scan). */
  private holdsPort(items: readonly Item[], dir: string, port: PortName): string | undefined {
    const inodes = new Set<string>();
    for (const proto of port.protocols) {
      for (const table of [proto, `${proto}6`]) {
        const data = this.tables.get(`/proc/net/${table}`);
        if (data) for (const i of socketInodes(data, data.length, port.port, proto === 'tcp')) inodes.add(i);
      }
    }
    for (const it of items) {
      const r = it.rec;
      if (r.name !== 'readlink' || !r.data || !r.path?.startsWith(`${dir}/fd/`)) continue;
      const inode = socketLinkInode(r.data);
      if (inode !== undefined && inodes.has(inode)) return inode;
    }
    return undefined;
  }

  // ---- the end of the scan: summary and hints ----

  /** The library's events, seen before the caller's handler. */
  libraryEvent(e: { readonly type: string; readonly pid?: number; readonly report?: unknown }): void {
    // What the caller prints for an event follows the calls that led to it: the group so far is printed first.
    if (e.type === 'partial' && e.pid !== undefined) {
      if (this.group?.pid === e.pid) this.group.partial = true;
      this.flushGroup();
    } else if (e.type !== 'scanned') this.flushGroup();
    else {
      const report = e.report as { names?: readonly { found: boolean }[] } | undefined;
      this.scanEnd((report?.names ?? []).map((n) => n.found));
    }
  }

  /** Ends the scan: the summary of left-out processes, then hints for every NAME not found. */
  scanEnd(found: readonly boolean[]): void {
    if (this.scanEnded) return;
    this.scanEnded = true;
    this.flushGroup();
    const t = this.scanTally;
    if (t.processes > 0) {
      const gone = t.gone > 0 ? ` (${t.gone} of them gone before their stat could be read)` : '';
      this.emit({
        type: 'summary',
        line: `# ${t.processes} other ${t.processes === 1 ? 'process' : 'processes'} neither matched nor nearly matched${gone}: ${t.text()}; --explain=all shows them`,
        processes: t.processes,
        syscalls: t.syscalls,
        calls: { ...t.calls },
        by: 'killall',
      });
    }
    const missing = found.map((f, i) => (f ? -1 : i)).filter((i) => i >= 0 && i < this.names.length);
    if (missing.length > 0) this.hints(missing);
    this.phase = 'after';
  }

  private hints(missing: readonly number[]): void {
    const sys = this.system;
    const wantCmdline = missing.filter(
      (i) => this.kinds[i]!.kind !== 'regex' && this.kinds[i]!.kind !== 'port',
    );
    if (sys && wantCmdline.length > 0 && this.seen.size > 0) {
      this.comment(
        'near-miss',
        `--explain's own reads: ${wantCmdline.map((i) => str(this.names[i]!)).join(', ')} got no process, so the cmdline and exe of the ${this.seen.size} ${this.seen.size === 1 ? 'process' : 'processes'} that did not match are read, to find scripts and renamed programs`,
      );
      this.phase = 'hints';
      this.by = 'explain';
      this.hintNames = wantCmdline;
      try {
        for (const [pid, s] of this.seen) {
          if (s.kernel) continue;
          readWhole(sys, `/proc/${pid}/cmdline`);
          try {
            sys.readlink(`/proc/${pid}/exe`);
          } catch {}
          this.flushGroup();
        }
      } catch {
        // A resource error here ends the hint pass, never the run.
      } finally {
        this.flushGroup();
        this.by = 'killall';
        this.phase = 'after';
      }
      const h = this.hintTally;
      if (h.processes > 0) {
        this.emit({
          type: 'summary',
          line: `# ${h.processes} of them are no near miss: ${h.text()}`,
          processes: h.processes,
          syscalls: h.syscalls,
          calls: { ...h.calls },
          by: 'explain',
        });
      }
    }
    let ourUid: number | undefined;
    for (const i of missing) {
      const name = this.names[i]!;
      const nameText = name.toString('latin1');
      const refused = this.eperm.filter((x) => x.nameIndex === i);
      const left = this.filtered.filter((x) => x.nameIndex === i);
      for (const x of left) {
        this.emit({
          type: 'hint',
          line: `# hint: ${str(name)}: ${x.pid} (${str(x.comm)}) matched by name, but ${x.why}`,
          name: nameText,
          pid: x.pid,
          kind: 'filtered',
          suggestion: 'see why above',
        });
      }
      if (refused.length > 0)
        this.comment('signal', `--explain's own reads: who owns what the kernel refused, and who we are`);
      for (const x of refused) {
        if (sys && ourUid === undefined) {
          this.by = 'explain';
          ourUid = uidOf(sys, '/proc/self/status');
          this.by = 'killall';
        }
        let theirs: number | undefined;
        if (sys) {
          this.by = 'explain';
          theirs = uidOf(sys, `/proc/${x.pid}/status`);
          this.flushGroup();
          this.by = 'killall';
        }
        const owner = theirs !== undefined ? `it belongs to uid ${theirs}` : 'it belongs to another user';
        const us = ourUid !== undefined ? ` and we run as uid ${ourUid}` : '';
        const suggestion = 'run killall as that user or as root';
        this.emit({
          type: 'hint',
          line: `# hint: ${str(name)}: ${x.pid} (${str(x.comm)}) matched, but the kernel refused the signal (EPERM): ${owner}${us}; nothing was signalled for this NAME, so it also gets "no process found" (${suggestion})`,
          name: nameText,
          pid: x.pid,
          kind: 'eperm',
          suggestion,
        });
      }
      const near = this.near.get(i) ?? [];
      for (const n of near) {
        this.emit({
          type: 'hint',
          line: `# hint: ${str(name)}: ${n.pid} (${str(n.comm)}) is a near miss (${HINT_KIND[n.miss.kind]}): ${n.miss.suggestion} would match it`,
          name: nameText,
          pid: n.pid,
          kind: n.miss.kind,
          suggestion: n.miss.suggestion,
        });
      }
      if (near.length === 0 && refused.length === 0 && left.length === 0) {
        const k = this.kinds[i]!;
        this.comment(
          'no-match',
          k.kind === 'port'
            ? `hint: ${str(name)}: no process whose fds could be read holds a socket bound to port ${k.port.port} (${k.port.protocols.join(' or ')}; TCP: listening)`
            : `hint: ${str(name)}: no process has a comm, long name, cmdline argument or exe resembling it`,
        );
      }
    }
  }

  private finishHintGroup(g: Group): void {
    const pid = g.pid;
    const seen = this.seen.get(pid);
    const dir = `/proc/${pid}`;
    const cmd = this.readFile(g.items, (p) => p === `${dir}/cmdline`);
    const exe = g.items.find((x) => x.rec.name === 'readlink' && x.rec.path === `${dir}/exe`)?.rec;
    const notes = new Map<number, string[]>();
    const rules = new Map<number, DecisionRule>();
    let near = false;
    if (seen) {
      const args = cmd && !cmd.failed ? splitCmdline(cmd.data) : [];
      for (const i of this.hintNames) {
        const name = this.names[i]!;
        const k = this.kinds[i]!;
        const base = k.kind === 'path' ? basename(name) : name;
        const m =
          nearMissByCmdline(base, seen.comm, args) ??
          (exe?.data ? nearMissByExe(base, seen.comm, exe.data) : null);
        if (!m) continue;
        near = true;
        this.addNear(i, pid, seen.comm, m);
        const at = m.kind === 'exe' ? g.items.indexOf(g.items.find((x) => x.rec === exe)!) : (cmd?.last ?? 0);
        const list = notes.get(at) ?? [];
        list.push(`near miss for NAME ${str(name)}: ${m.why} (${m.suggestion} would match)`);
        notes.set(at, list);
        rules.set(at, 'near-miss');
      }
    }
    if (near || this.options.all === true) this.printGroup(g, notes, rules);
    else this.hintTally.add(g.items, false);
  }

  /** Prints what is still grouped: at the end of the run, and whenever the caller is about to write (`attach`). */
  close(): void {
    this.flushGroup();
  }
}

function lastIndex<T>(a: readonly T[], f: (x: T, i: number) => boolean): number {
  for (let i = a.length - 1; i >= 0; i--) if (f(a[i]!, i)) return i;
  return -1;
}

/** Reads a small file through `sys` (open, reads until a short one, close); null when it cannot be read. */
function readWhole(sys: System, path: string, cap = 65536): Buffer | null {
  let fd: number;
  try {
    fd = sys.open(path);
  } catch {
    return null;
  }
  try {
    const buf = Buffer.allocUnsafe(4096);
    const parts: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = sys.read(fd, buf, 0, buf.length);
      parts.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (n < buf.length || total >= cap) break;
    }
    return Buffer.concat(parts);
  } catch {
    return null;
  } finally {
    try {
      sys.close(fd);
    } catch {}
  }
}

function uidOf(sys: System, path: string): number | undefined {
  const b = readWhole(sys, path);
  return b ? parseRealUid(b) : undefined;
}
