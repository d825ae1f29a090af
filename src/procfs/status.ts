/**
 * The real UID from `/proc/PID/status` text, read the way psmisc does: `fgets` chunks of at most 127 bytes, and the
 * first chunk that `sscanf("Uid:\t%d")` accepts. Returns undefined when no chunk carries a Uid line (psmisc then
 * stops with "Cannot get UID from process status"). Never throws.
 */
export function parseRealUid(buf: Uint8Array, len = buf.length): number | undefined {
  const CHUNK = 127;
  let pos = 0;
  while (pos < len) {
    let end = pos;
    while (end < len && end - pos < CHUNK) {
      end++;
      if (buf[end - 1] === 0x0a) break;
    }
    const uid = scanUid(buf, pos, end);
    if (uid !== undefined) return uid;
    pos = end;
  }
  return undefined;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);

// sscanf("Uid:\t%d"): the literal, any white space (the tab directive), then %d with its own space skip and sign.
function scanUid(buf: Uint8Array, start: number, end: number): number | undefined {
  if (end - start < 4 || buf[start] !== 0x55 || buf[start + 1] !== 0x69 || buf[start + 2] !== 0x64)
    return undefined;
  if (buf[start + 3] !== 0x3a) return undefined;
  let i = start + 4;
  while (i < end && isSpace(buf[i])) i++;
  let neg = false;
  if (buf[i] === 0x2b || buf[i] === 0x2d) {
    neg = buf[i] === 0x2d;
    i++;
  }
  let v = 0n;
  const from = i;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) v = v * 10n + BigInt(buf[i++]! - 0x30);
  if (i === from) return undefined;
  // %d stores an int, compared with a uid_t: both wrap to 32 bits.
  return Number(BigInt.asUintN(32, neg ? -v : v));
}
