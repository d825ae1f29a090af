/** psmisc's OLD_COMM_LEN - 1 and COMM_LEN - 1: comm lengths that mean "maybe truncated". */
export const TRUNCATED_LENGTHS: readonly number[] = [15, 63];

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** strcmp / strcasecmp (ASCII, as in the C locale) over whole byte strings: true when equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array, ignoreCase: boolean): boolean {
  if (a.length !== b.length) return false;
  return prefixEqual(a, b, a.length, ignoreCase);
}

/** The first `n` bytes of `a` and `b` are equal (both must have at least `n`). */
export function prefixEqual(a: Uint8Array, b: Uint8Array, n: number, ignoreCase: boolean): boolean {
  return rangeEqual(a, 0, b, 0, n, ignoreCase);
}

/**
 * psmisc 23.6's rule for a plain NAME (no `/`, no `-r`) against a process's comm (`src[start, end)`, no copy) and
 * long name:
 * - comm of exactly 15 (or 63) bytes and a NAME at least that long: the whole long name when known, else the
 *   first 15 (63) bytes of NAME against comm (the rest of NAME is ignored);
 * - otherwise the whole long name when known, else the whole comm.
 */
export function matchPlainName(
  name: Buffer,
  src: Uint8Array,
  start: number,
  end: number,
  longName: Uint8Array | undefined,
  ignoreCase: boolean,
): boolean {
  const L = end - start;
  if ((L === 15 && name.length >= 15) || (L === 63 && name.length >= 63)) {
    if (longName) return bytesEqual(name, longName, ignoreCase);
    return rangeEqual(name, 0, src, start, L, ignoreCase);
  }
  if (longName) return bytesEqual(name, longName, ignoreCase);
  if (name.length !== L) return false;
  // A byte loop, not Buffer#compare: its argument checks cost more than comparing a comm (1.6 µs per call).
  return rangeEqual(name, 0, src, start, L, ignoreCase);
}

/** `a[ai, ai+n)` equals `b[bi, bi+n)` (ASCII case folded with `ignoreCase`); false when either is shorter. */
export function rangeEqual(
  a: Uint8Array,
  ai: number,
  b: Uint8Array,
  bi: number,
  n: number,
  ignoreCase: boolean,
): boolean {
  if (a.length - ai < n || b.length - bi < n) return false;
  if (ignoreCase) {
    for (let i = 0; i < n; i++) if (lower(a[ai + i]!) !== lower(b[bi + i]!)) return false;
  } else {
    for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  }
  return true;
}
