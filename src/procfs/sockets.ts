/**
 * `/proc/net/{tcp,tcp6,udp,udp6}` for port NAMEs (`:PORT`, `:PORT/tcp`, `:PORT/udp`). Pure functions of bytes; they
 * never throw on bad input (a line that does not parse is skipped).
 */

/** A port NAME, parsed. */
export interface PortName {
  readonly port: number;
  /** The protocols asked for: both when the NAME gives none. */
  readonly protocols: readonly ('tcp' | 'udp')[];
}

const PORT_FORM = /^:(\d+)(?:\/(tcp|udp))?$/;

/**
 * Whether a NAME has the port form (`:` then decimal digits, optionally `/tcp` or `/udp`), and then the port and
 * protocols, or `out-of-range` for a port outside 1-65535 (`:0`, `:70000`). Undefined for any other NAME.
 */
export function parsePortName(name: string): PortName | 'out-of-range' | undefined {
  const m = PORT_FORM.exec(name);
  if (!m) return undefined;
  const digits = m[1]!.replace(/^0+(?=\d)/, '');
  const port = digits.length > 5 ? Number.POSITIVE_INFINITY : Number(digits);
  if (port < 1 || port > 65535) return 'out-of-range';
  return { port, protocols: m[2] ? [m[2] as 'tcp' | 'udp'] : ['tcp', 'udp'] };
}

/** TCP_LISTEN in the `st` column. */
const TCP_LISTEN = 0x0a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function hexValue(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 8) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    const d =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x41 && c <= 0x46
          ? c - 55
          : c >= 0x61 && c <= 0x66
            ? c - 87
            : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * Calls `each(port, inode)` for every socket of one table (the bytes of `/proc/net/tcp`, …) that is bound to a
 * port: for TCP only listening sockets (`st` 0A), for UDP every bound socket. Port 0 and inode 0 (sockets without a
 * file, TIME_WAIT) are skipped. The header line is skipped because its fields do not parse.
 */
export function eachSocket(
  buf: Uint8Array,
  len: number,
  tcp: boolean,
  each: (port: number, inode: string) => void,
): void {
  let pos = 0;
  while (pos < len) {
    let eol = pos;
    while (eol < len && buf[eol] !== 0x0a) eol++;
    // Fields: sl local rem st queues tr:tm retrnsmt uid timeout inode …
    const fields: [number, number][] = [];
    let i = pos;
    while (i < eol && fields.length < 10) {
      while (i < eol && isSpace(buf[i]!)) i++;
      const s = i;
      while (i < eol && !isSpace(buf[i]!)) i++;
      if (i > s) fields.push([s, i]);
    }
    pos = eol + 1;
    if (fields.length < 10) continue;
    const [ls, le] = fields[1]!;
    let colon = le - 1;
    while (colon > ls && buf[colon] !== 0x3a) colon--;
    const port = colon <= ls ? -1 : hexValue(buf, colon + 1, le);
    if (port < 1 || port > 65535) continue;
    const [ss, se] = fields[3]!;
    const st = hexValue(buf, ss, se);
    if (st < 0 || (tcp && st !== TCP_LISTEN)) continue;
    const [is, ie] = fields[9]!;
    let inode = '';
    for (let k = is; k < ie; k++) {
      const c = buf[k]!;
      if (c < 0x30 || c > 0x39) {
        inode = '';
        break;
      }
      inode += String.fromCharCode(c);
    }
    if (inode === '' || /^0+$/.test(inode)) continue;
    each(port, inode.replace(/^0+/, ''));
  }
}

/** The inodes of the sockets in one table whose local port is `port` (the rules of {@link eachSocket}). */
export function socketInodes(buf: Uint8Array, len: number, port: number, tcp: boolean): string[] {
  const out: string[] = [];
  eachSocket(buf, len, tcp, (p, inode) => {
    if (p === port) out.push(inode);
  });
  return out;
}

/** The inode of an fd link target `socket:[INODE]`, or undefined for anything else. */
export function socketLinkInode(link: Uint8Array): string | undefined {
  // "socket:[" is 8 bytes.
  if (link.length < 10 || link[link.length - 1] !== 0x5d) return undefined;
  const prefix = 'socket:[';
  for (let i = 0; i < 8; i++) if (link[i] !== prefix.charCodeAt(i)) return undefined;
  let inode = '';
  for (let i = 8; i < link.length - 1; i++) {
    const c = link[i]!;
    if (c < 0x30 || c > 0x39) return undefined;
    inode += String.fromCharCode(c);
  }
  return inode.replace(/^0+(?=\d)/, '');
}
