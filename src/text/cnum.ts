/** C `strtol(text, &end, 10)` on glibc/LP64: white space, one sign, digits; saturates at the `long` range. */
export interface StrtolResult {
  /** The value, saturated to [LONG_MIN, LONG_MAX]. */
  readonly value: bigint;
  /** Index just after the digits, or 0 when there were none (end == text). */
  readonly end: number;
  /** True when the value saturated (errno = ERANGE). */
  readonly overflow: boolean;
}

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** Emulates strtol with base 10. Pure. */
export function strtol(text: string): StrtolResult {
  const m = /^([ \t\n\v\f\r]*)([+-]?)([0-9]+)/.exec(text);
  if (!m) return { value: 0n, end: 0, overflow: false };
  let v = BigInt(m[3]!);
  if (m[2] === '-') v = -v;
  let overflow = false;
  if (v > LONG_MAX) {
    v = LONG_MAX;
    overflow = true;
  } else if (v < LONG_MIN) {
    v = LONG_MIN;
    overflow = true;
  }
  return { value: v, end: m[0].length, overflow };
}

/** Signed 64-bit wrap-around, as the C `long` multiplications in psmisc do in practice. */
export const wrapLong = (v: bigint): bigint => BigInt.asIntN(64, v);
