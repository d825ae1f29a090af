/**
 * The one rule for bytes another process controls (comm, cmdline, exe and cwd paths, user names from
 * /etc/passwd): they reach a text stream only through this file. The bytes are read as UTF-8; a character is
 * printable unless it is a C0 control (U+0000-U+001F), DEL (U+007F) or a C1 control (U+0080-U+009F), and a byte
 * that is not part of a valid UTF-8 sequence (a stray continuation byte, an overlong form, a surrogate, a value
 * past U+10FFFF, a sequence cut short) is never printable. The output forms differ only in how they show what is
 * not printable:
 * - {@link escapeName}: `?` for each such character or byte (procps; psmisc's own lines and the picker);
 * - {@link shellWord}: a shell word that is safe to paste (bare, `'…'`, or `$'…'` with `\xHH` escapes);
 * - {@link jsonText}: exact JSON, with every control character (C0, DEL, C1) and U+2028/U+2029 as a `\u` escape.
 * (`--explain`'s syscall lines use strace's own C quoting, src/explain/strace.ts, which prints only ASCII.)
 * Matching never uses this; only output does.
 */

/** What {@link decodeAt} returns for a byte that does not start a valid UTF-8 sequence. */
const INVALID = -1;

/**
 * The character that starts at `bytes[i]`, packed as `codePoint * 8 + length` (length 1-4), or {@link INVALID}
 * when `bytes[i]` does not start a valid UTF-8 sequence (that one byte is then unprintable on its own).
 */
function decodeAt(bytes: Uint8Array, i: number): number {
  const c = bytes[i]!;
  if (c < 0x80) return c * 8 + 1;
  const n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? (c <= 0xef ? 3 : 0) : c >= 0xc2 ? 2 : 0;
  if (n === 0 || i + n > bytes.length) return INVALID;
  let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) {
    const b = bytes[i + k]!;
    if ((b & 0xc0) !== 0x80) return INVALID;
    cp = (cp << 6) | (b & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return INVALID;
  return cp * 8 + n;
}

/** Whether a code point may be printed as it is: not C0, DEL or C1. */
export function printableCodePoint(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp <= 0x9f);
}

/**
 * Walks `bytes` unit by unit: `text(cp)` for each printable character, `raw(from, to)` for each unit that is not
 * (a control character, all its bytes; or one invalid byte). The rule of this file, in one place.
 */
function walk(bytes: Uint8Array, text: (cp: number) => void, raw: (from: number, to: number) => void): void {
  let i = 0;
  while (i < bytes.length) {
    const u = decodeAt(bytes, i);
    if (u === INVALID) {
      raw(i, i + 1);
      i++;
      continue;
    }
    const cp = Math.floor(u / 8);
    const len = u % 8;
    if (printableCodePoint(cp)) text(cp);
    else raw(i, i + len);
    i += len;
  }
}

/** Whether every byte is printable ASCII (the fast path of every form). */
function printableAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c >= 0x7f) return false;
  }
  return true;
}

/** Whether `bytes` is valid UTF-8 made of printable characters only. */
export function isPrintable(bytes: Uint8Array): boolean {
  if (printableAscii(bytes)) return true;
  let ok = true;
  walk(
    bytes,
    () => {},
    () => {
      ok = false;
    },
  );
  return ok;
}

/**
 * Makes process-controlled bytes safe to print, as procps does: printable characters stay, while each control
 * character (C0, DEL, C1) and each byte that is not valid UTF-8 becomes `?`. Matching never uses this; only output
 * does.
 */
export function escapeName(bytes: Uint8Array): string {
  if (printableAscii(bytes))
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let out = '';
  walk(
    bytes,
    (cp) => {
      out += String.fromCodePoint(cp);
    },
    () => {
      out += '?';
    },
  );
  return out;
}

/** Characters a shell word may hold without quotes (`=` and `:` are plain in arguments; no glob, no `~`). */
const BARE = /^[A-Za-z0-9_./:@%+=,-]+$/;

/**
 * A shell word for `bytes` that is safe to paste into bash, zsh or ksh and gives back exactly these bytes: bare
 * when it holds only plain characters; `'…'` when every character is printable (a `'` as `'\''`); otherwise
 * `$'…'`, where printable characters stay (`\` and `'` escaped) and every byte of an unprintable unit is `\xHH`.
 */
export function shellWord(bytes: Uint8Array): string {
  const ascii = printableAscii(bytes);
  if (ascii) {
    const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    if (BARE.test(s)) return s;
  }
  if (ascii || isPrintable(bytes)) {
    const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    return `'${s.replaceAll("'", "'\\''")}'`;
  }
  let out = "$'";
  walk(
    bytes,
    (cp) => {
      out += cp === 0x5c || cp === 0x27 ? `\\${String.fromCharCode(cp)}` : String.fromCodePoint(cp);
    },
    (from, to) => {
      for (let i = from; i < to; i++) out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    },
  );
  return `${out}'`;
}

/**
 * A value as one line of exact JSON: `JSON.stringify`, and besides the C0 controls it escapes, DEL, the C1
 * controls and U+2028/U+2029 as `\u` escapes too, so that printing the text cannot drive a terminal (and a
 * JavaScript parser reads it as JSON does).
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
