/** What killall-ts reads from `/proc/PID/stat`. Every field is taken after the last `)`, so no comm can spoof it. */
export interface StatInfo {
  /** The raw comm bytes between the first `(` and the last `)`, cut to 63 bytes as psmisc does. */
  readonly comm: Buffer;
  /** Field 3, the state letter (`R`, `S`, `D`, `Z`, `T`, `t`, `X`, `I`, …). */
  readonly state: string;
  /** Field 4, the parent PID. */
  readonly ppid: number;
  /** Field 5, the process group id. */
  readonly pgrp: number;
  /** Field 6, the session id. */
  readonly session: number;
  /** Field 9, the kernel flags word (PF_KTHREAD is 0x00200000). */
  readonly flags: number;
  /** Field 22, the start time in clock ticks after boot, kept as text so that any width compares exactly. */
  readonly startTime: string;
}

/** The longest comm psmisc keeps (COMM_LEN - 1). */
export const COMM_MAX = 63;
/** Kernel flag of kernel threads. */
export const PF_KTHREAD = 0x00200000;

/**
 * Where the comm lies in a stat buffer: `[start, end)` between the first `(` and the last `)`, or null. This is the
 * allocation-free part of {@link parseStat} that the scan runs for every process.
 */
export function commBounds(buf: Uint8Array, len: number): [number, number] | null {
  // Plain loops: the "(" is a few bytes in, the last ")" a few hundred from the end, and a loop is cheaper than
  // two calls into Buffer's native search for every process of the scan.
  let open = 0;
  while (open < len && buf[open] !== 0x28) open++;
  if (open >= len) return null;
  let close = len - 1;
  while (close > open && buf[close] !== 0x29) close--;
  if (close <= open) return null;
  return [open + 1, Math.min(close, open + 1 + COMM_MAX)];
}

/**
 * Parses the first `len` bytes of a stat file. Returns null when there is no `(`…`)` pair or a field after the comm
 * is missing or not a number. Walks the bytes once and builds only the fields it returns. Never throws.
 */
export function parseStat(buf: Uint8Array, len = buf.length): StatInfo | null {
  const b = commBounds(buf, len);
  if (!b) return null;
  let close = len - 1;
  while (buf[close] !== 0x29) close--;
  // Fields after the comm: field 3 (state) is the first. Record where fields 3..22 start and end.
  const starts: number[] = [];
  const ends: number[] = [];
  let i = close + 1;
  while (starts.length < 20) {
    while (i < len && (buf[i] === 0x20 || buf[i] === 0x0a)) i++;
    if (i >= len) return null;
    const from = i;
    while (i < len && buf[i] !== 0x20 && buf[i] !== 0x0a) i++;
    starts.push(from);
    ends.push(i);
  }
  if (ends[0]! - starts[0]! !== 1) return null;
  const num = (k: number): number => {
    let v = 0;
    const from = starts[k]!;
    const to = ends[k]!;
    for (let j = from; j < to; j++) {
      const c = buf[j]!;
      if (c < 0x30 || c > 0x39) return -1;
      v = v * 10 + (c - 0x30);
    }
    return v;
  };
  // ppid, pgrp, session, flags are fields 4, 5, 6 and 9; the start time is field 22, kept as digits.
  const ppid = num(1);
  const pgrp = num(2);
  const session = num(3);
  const flags = num(6);
  if (ppid < 0 || pgrp < 0 || session < 0 || flags < 0) return null;
  const st = starts[19]!;
  const et = ends[19]!;
  for (let j = st; j < et; j++) if (buf[j]! < 0x30 || buf[j]! > 0x39) return null;
  return {
    comm: Buffer.from(buf.subarray(b[0], b[1])),
    state: String.fromCharCode(buf[starts[0]!]!),
    ppid,
    pgrp,
    session,
    flags: flags >>> 0,
    startTime: Buffer.from(buf.buffer, buf.byteOffset + st, et - st).toString('latin1'),
  };
}

/** True for kernel threads (PF_KTHREAD in the flags word). */
export function isKernelThread(st: StatInfo): boolean {
  return (st.flags & PF_KTHREAD) !== 0;
}
