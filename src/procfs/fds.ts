import { classifyReadError, type ProcReader } from './reader.js';
import { type PortName, socketInodes, socketLinkInode } from './sockets.js';

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

/**
 * Whether a process (its directory: `/proc/PID` or a pin's) holds a socket with one of `inodes`: reads the links
 * of `DIR/fd` and stops at the first match. `null` when its fds cannot be read (EACCES: another user's process
 * without privileges; counted in `reader.denied` as hidepid is), false when gone.
 */
export function holdsSocket(reader: ProcReader, dir: string, inodes: ReadonlySet<string>): boolean | null {
  if (inodes.size === 0) return false;
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
    if (inode !== undefined && inodes.has(inode)) return true;
  }
  return false;
}
