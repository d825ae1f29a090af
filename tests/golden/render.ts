/**
 * How a golden case is written down: bytes as readable text that maps back to exactly those bytes, and library
 * values as JSON with sorted keys and byte arrays in hex. Pure functions.
 */

/** The length of the valid UTF-8 sequence at `i` that is a printable character, or 0. */
function printableUtf8(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) {
    const x = b[i + k]!;
    if ((x & 0xc0) !== 0x80) return 0;
    cp = (cp << 6) | (x & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  // C1 controls, line and paragraph separators, the BOM and bidi controls are shown as bytes.
  if (cp <= 0x9f || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0x202a && cp <= 0x202e))
    return 0;
  return n;
}

const hex = (c: number): string => `\\x${c.toString(16).padStart(2, '0')}`;

/**
 * Whether the byte after a `\` at `i` is shown as itself, so that the `\` can be too: a printable character other
 * than `x`, `\` and a space, or a newline, or nothing. Otherwise the `\` is written `\\`, so that it never starts
 * what reads as `\xNN`, `\\` or the end marker.
 */
function plainAfterBackslash(b: Uint8Array, i: number): boolean {
  const n = b[i + 1];
  if (n === undefined || n === 0x0a) return true;
  if (n < 0x80) return n > 0x20 && n < 0x7f && n !== 0x5c && n !== 0x78;
  return printableUtf8(b, i + 1) > 0;
}

/**
 * Bytes as text that maps back to exactly those bytes: printable ASCII and printable UTF-8 characters as they are
 * (a `\` too, unless what follows it could be misread: then `\\`), a newline as a line break, spaces at the end
 * of a line as `\x20`, and every other byte as `\xNN`. A text that does not end with a newline gets the line
 * `\ (no newline at end)`.
 */
export function showBytes(data: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < data.length) {
    const c = data[i]!;
    if (c === 0x0a) out += '\n';
    else if (c === 0x5c) out += plainAfterBackslash(data, i) ? '\\' : '\\\\';
    else if (c === 0x20) {
      let j = i;
      while (j < data.length && data[j] === 0x20) j++;
      const trailing = j === data.length || data[j] === 0x0a;
      out += trailing ? '\\x20'.repeat(j - i) : ' '.repeat(j - i);
      i = j;
      continue;
    } else if (c > 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else {
      const n = c >= 0x80 ? printableUtf8(data, i) : 0;
      if (n > 0) {
        out += Buffer.from(data.subarray(i, i + n)).toString('utf8');
        i += n;
        continue;
      }
      out += hex(c);
    }
    i++;
  }
  if (data.length > 0 && data[data.length - 1] !== 0x0a) out += '\n\\ (no newline at end)\n';
  return out;
}

/** Byte arrays as `hex …` with their text shown as {@link showBytes} does, on one line. */
function bytesValue(b: Uint8Array): string {
  const shown = showBytes(b)
    .replace(/\n\\ \(no newline at end\)\n$/, '')
    .replaceAll('\n', '\\n');
  return `hex ${Buffer.from(b).toString('hex') || '(empty)'} "${shown}"`;
}

/**
 * A library value as plain data for JSON: byte arrays as {@link bytesValue}, keys sorted, `undefined` kept as the
 * string `(undefined)` (an own key set to undefined differs from a missing one), errors as their fields.
 */
export function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return bytesValue(v);
  if (v === undefined) return '(undefined)';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return '(function)';
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Error) {
    const e = v as Error & Record<string, unknown>;
    const fields: Record<string, unknown> = { class: e.constructor.name, message: e.message };
    for (const k of Object.keys(e).sort()) if (k !== 'stack') fields[k] = plain(e[k]);
    return fields;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) out[k] = plain(o[k]);
    return out;
  }
  return v;
}

/** A library value as indented JSON (see {@link plain}). */
export function showValue(v: unknown): string {
  return `${JSON.stringify(plain(v), null, 2)}\n`;
}
