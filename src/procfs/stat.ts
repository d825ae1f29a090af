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

const DIGITS = /^-?[0-9]+$/;

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
 * is missing or not a number. Never throws, whatever the bytes.
 */
export function parseStat(buf: Uint8Array, len = buf.length): StatInfo | null {
  const b = commBounds(buf, len);
  if (!b) return null;
  const comm = Buffer.from(buf.subarray(b[0], b[1]));
  const close = buf.lastIndexOf(0x29, len - 1);
  // Fields after ") ": state is field 3, so field k sits at index k - 3.
  const rest = Buffer.from(buf.buffer, buf.byteOffset + close + 1, len - close - 1).toString('latin1');
  const f = rest.trim().split(/[ \n]+/);
  if (f.length < 20) return null;
  const state = f[0]!;
  const nums = [f[1], f[2], f[3], f[6], f[19]];
  for (const n of nums) if (n === undefined || !DIGITS.test(n)) return null;
  if (state.length !== 1) return null;
  return {
    comm,
    state,
    ppid: Number(f[1]),
    pgrp: Number(f[2]),
    session: Number(f[3]),
    flags: Number(f[6]) >>> 0,
    startTime: f[19]!,
  };
}

/** True for kernel threads (PF_KTHREAD in the flags word). */
export function isKernelThread(st: StatInfo): boolean {
  return (st.flags & PF_KTHREAD) !== 0;
}
