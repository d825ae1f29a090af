/**
 * Makes process-controlled bytes safe to print, as procps does: valid UTF-8 stays, while control characters
 * (C0, DEL, C1) and bytes that are not valid UTF-8 each become `?`. Matching never uses this; only output does.
 */
export function escapeName(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      out += c < 0x20 || c === 0x7f ? '?' : String.fromCharCode(c);
      i++;
      continue;
    }
    const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? (c <= 0xef ? 3 : 0) : c >= 0xc2 ? 2 : 0;
    if (n === 0 || i + n > bytes.length) {
      out += '?';
      i++;
      continue;
    }
    let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 1; k < n; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (b & 0x3f);
    }
    const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '?';
      i++;
      continue;
    }
    out += cp >= 0x80 && cp <= 0x9f ? '?' : String.fromCodePoint(cp);
    i += n;
  }
  return out;
}
