import { classifyReadError, type ProcReader } from './reader.js';
import { eachSocket, type PortName, socketInodes, socketLinkInode } from './sockets.js';

/** The largest socket table read (a busy host can have many thousands of sockets). */
const TABLE_CAP = 64 * 1024 * 1024;

/**
 * The inodes of the sockets bound to a port NAME's port, from `/proc/net/tcp`, `tcp6`, `udp`, `udp6` of the
 * reader's network namespace (TCP: listening; UDP: bound). Read once, before the scan. A table that cannot be read
 * (no IPv6) contributes nothing.
 */
export function portInodes(reader: ProcReader, p: PortName): Set<string> {
  const out = new Set<string>();
  for (const proto of p.protocols) {
    for (const table of [proto, `${proto}6`]) {
      const len = reader.readFile(`${reader.root}/net/${table}`, TABLE_CAP);
      if (typeof len !== 'number') continue;
      for (const inode of socketInodes(reader.buf, len, p.port, proto === 'tcp')) out.add(inode);
    }
  }
  return out;
}

/** A bound port: a listening TCP socket or a bound UDP socket. */
export interface BoundPort {
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
}

/**
 * Every bound port of the reader's network namespace, as socket inode to port: the four tables of
 * {@link portInodes}, read once (the picker's PORTS column). A table that cannot be read contributes nothing.
 */
export function boundPorts(reader: ProcReader): Map<string, BoundPort> {
  const out = new Map<string, BoundPort>();
  for (const proto of ['tcp', 'udp'] as const) {
    for (const table of [proto, `${proto}6`]) {
      const len = reader.readFile(`${reader.root}/net/${table}`, TABLE_CAP);
      if (typeof len !== 'number') continue;
      eachSocket(reader.buf, len, proto === 'tcp', (port, inode) => out.set(inode, { port, proto }));
    }
  }
  return out;
}

/**
 * Calls `visit(inode)` for each socket among a process's fds (its directory: `/proc/PID` or a pin's) until it
 * returns true; then true. `null` when its fds cannot be read (EACCES: another user's process without privileges;
 * counted in `reader.denied` as hidepid is), false when gone or when no visit returned true.
 */
export function eachSocketFd(
  reader: ProcReader,
  dir: string,
  visit: (inode: string) => boolean,
): boolean | null {
  let fds: string[];
  try {
    fds = reader.sys.readdir(`${dir}/fd`);
  } catch (e) {
    const f = classifyReadError(e, `${dir}/fd`);
    if (f === 'denied') {
      reader.denied++;
      return null;
    }
    return false;
  }
  for (const fd of fds) {
    let link: Buffer;
    try {
      link = reader.sys.readlink(`${dir}/fd/${fd}`);
    } catch (e) {
      classifyReadError(e, `${dir}/fd/${fd}`);
      continue;
    }
    const inode = socketLinkInode(link);
    if (inode !== undefined && visit(inode)) return true;
  }
  return false;
}

/** Whether a process holds a socket with one of `inodes` (stops at the first; see {@link eachSocketFd}). */
export function holdsSocket(reader: ProcReader, dir: string, inodes: ReadonlySet<string>): boolean | null {
  if (inodes.size === 0) return false;
  return eachSocketFd(reader, dir, (inode) => inodes.has(inode));
}

/**
 * The inodes among a process's fds that are bound sockets of `table` (from {@link boundPorts}), in fd order: what
 * the picker keeps per process, so that a later table (sockets closed) can be applied without reading fds again.
 */
export function boundSocketsOf(
  reader: ProcReader,
  dir: string,
  table: ReadonlyMap<string, BoundPort>,
): string[] {
  const out: string[] = [];
  if (table.size === 0) return out;
  eachSocketFd(reader, dir, (inode) => {
    if (table.has(inode)) out.push(inode);
    return false;
  });
  return out;
}

/** The ports of socket inodes still bound in `table`, sorted by port, once each (v4 and v6 of one port count once). */
export function portsIn(inodes: readonly string[], table: ReadonlyMap<string, BoundPort>): BoundPort[] {
  const found = new Map<string, BoundPort>();
  for (const inode of inodes) {
    const p = table.get(inode);
    if (p) found.set(`${p.proto}:${p.port}`, p);
  }
  return [...found.values()].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto));
}
