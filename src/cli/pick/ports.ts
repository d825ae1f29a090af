/**
 * The picker's PORTS column, kept up to date at little cost: the socket tables (`/proc/net/{tcp,udp}{,6}`) are read
 * on each port refresh, but a process's fds (a readdir and a readlink per fd) only when they must be: for a process
 * never scanned, and for all of them when a bound socket appears that the last table did not have (someone
 * started listening) or every {@link FULL_EVERY} refreshes (a socket passed to a running process). A socket that
 * closes leaves the column without any fd read: each process keeps the inodes it held, looked up in the newest
 * table.
 */
import { type BoundPort, boundPorts, boundSocketsOf, portsIn } from '../../procfs/fds.js';
import type { ProcReader } from '../../procfs/reader.js';

/** A process whose bound sockets are tracked: its directory under /proc, and what its last fd scan found. */
export interface SocketHolder {
  readonly dir: string;
  /** Bound socket inodes among its fds at its last scan; undefined until scanned. */
  sockets?: readonly string[];
}

/** Port refreshes between two scans of every process's fds (about 30 s at one port refresh every 3 s). */
export const FULL_EVERY = 10;

export class PortWatch {
  /** The bound sockets of the last table read: inode to port. */
  private table = new Map<string, BoundPort>();
  /** Grows whenever the table changes, so that rows know when their ports must be looked up again. */
  version = 0;
  private sinceFull = FULL_EVERY;

  constructor(private readonly reader: ProcReader) {}

  /** Reads the tables, then the fds of the holders that need it (see the file comment). */
  update(holders: readonly SocketHolder[]): void {
    const next = boundPorts(this.reader);
    let grew = false;
    for (const inode of next.keys()) {
      if (!this.table.has(inode)) {
        grew = true;
        break;
      }
    }
    if (grew || next.size !== this.table.size) this.version++;
    this.table = next;
    const all = grew || ++this.sinceFull >= FULL_EVERY;
    if (all) this.sinceFull = 0;
    for (const h of holders) {
      if (all || h.sockets === undefined) h.sockets = boundSocketsOf(this.reader, h.dir, next);
    }
  }

  /** A holder's ports in the newest table; undefined when its fds were never read. */
  portsOf(h: SocketHolder): BoundPort[] | undefined {
    return h.sockets === undefined ? undefined : portsIn(h.sockets, this.table);
  }
}
