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
 * Where the fields that identify a process lie in a stat buffer, found by {@link statKey} without allocating:
 * the comm is `[commStart, commEnd)`, the start time digits `[startFrom, startTo)`.
 */
export interface StatKey {
  commStart: number;
  commEnd: number;
  /** Byte offset of the state letter (field 3). */
  state: number;
  ppid: number;
  pgrp: number;
  session: number;
  flags: number;
  startFrom: number;
  startTo: number;
}

/** A fresh {@link StatKey} to pass to {@link statKey} again and again. */
export const newStatKey = (): StatKey => ({
  commStart: 0,
  commEnd: 0,
  state: 0,
  ppid: 0,
  pgrp: 0,
  session: 0,
  flags: 0,
  startFrom: 0,
  startTo: 0,
});

// A field as a non-negative decimal, -1 when it has a non-digit.
function decimal(buf: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let j = from; j < to; j++) {
    const c = buf[j]!;
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/**
 * Finds the comm and fields 3-22 of the first `len` bytes of a stat file into `out`, without allocating. False
 * (as {@link parseStat}'s null) when there is no `(`…`)` pair or a field after the comm is missing or not a number.
 */
export function statKey(buf: Uint8Array, len: number, out: StatKey): boolean {
  let open = 0;
  while (open < len && buf[open] !== 0x28) open++;
  if (open >= len) return false;
  let close = len - 1;
  while (close > open && buf[close] !== 0x29) close--;
  if (close <= open) return false;
  out.commStart = open + 1;
  out.commEnd = Math.min(close, open + 1 + COMM_MAX);
  // Fields after the comm: field 3 (state) is the first.
  let i = close + 1;
  for (let field = 3; field <= 22; field++) {
    while (i < len && (buf[i] === 0x20 || buf[i] === 0x0a)) i++;
    if (i >= len) return false;
    const from = i;
    while (i < len && buf[i] !== 0x20 && buf[i] !== 0x0a) i++;
    switch (field) {
      case 3:
        if (i - from !== 1) return false;
        out.state = from;
        break;
      case 4:
        out.ppid = decimal(buf, from, i);
        if (out.ppid < 0) return false;
        break;
      case 5:
        out.pgrp = decimal(buf, from, i);
        if (out.pgrp < 0) return false;
        break;
      case 6:
        out.session = decimal(buf, from, i);
        if (out.session < 0) return false;
        break;
      case 9: {
        const f = decimal(buf, from, i);
        if (f < 0) return false;
        out.flags = f >>> 0;
        break;
      }
      case 22:
        for (let j = from; j < i; j++) if (buf[j]! < 0x30 || buf[j]! > 0x39) return false;
        out.startFrom = from;
        out.startTo = i;
        break;
    }
  }
  return true;
}

/** Whether `buf[from, to)` holds exactly the characters of `s` (latin1). Allocation-free. */
export function bytesEqualText(buf: Uint8Array, from: number, to: number, s: string): boolean {
  if (to - from !== s.length) return false;
  for (let j = 0; j < s.length; j++) if (buf[from + j] !== s.charCodeAt(j)) return false;
  return true;
}

/** A copy of `buf[from, to)`. */
export function copyBytes(buf: Uint8Array, from: number, to: number): Buffer {
  const out = Buffer.allocUnsafe(to - from);
  for (let j = from; j < to; j++) out[j - from] = buf[j]!;
  return out;
}

const scratch = newStatKey();

/**
 * Parses the first `len` bytes of a stat file. Returns null when there is no `(`…`)` pair or a field after the comm
 * is missing or not a number. Walks the bytes once and builds only the fields it returns. Never throws.
 */
export function parseStat(buf: Uint8Array, len = buf.length): StatInfo | null {
  if (!statKey(buf, len, scratch)) return null;
  const k = scratch;
  return {
    comm: copyBytes(buf, k.commStart, k.commEnd),
    state: String.fromCharCode(buf[k.state]!),
    ppid: k.ppid,
    pgrp: k.pgrp,
    session: k.session,
    flags: k.flags,
    startTime: Buffer.from(buf.buffer, buf.byteOffset + k.startFrom, k.startTo - k.startFrom).toString(
      'latin1',
    ),
  };
}

/** True for kernel threads (PF_KTHREAD in the flags word). */
export function isKernelThread(st: StatInfo): boolean {
  return (st.flags & PF_KTHREAD) !== 0;
}
