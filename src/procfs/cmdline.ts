/** The outcome of scanning part of a cmdline for psmisc's long name. */
export type LongNameScan =
  | { readonly kind: 'found'; readonly start: number; readonly end: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'more'; readonly resume: number };

/**
 * psmisc's long-name walk over NUL-separated cmdline bytes `data[from, len)`: the first argument whose basename
 * (the text after its last `/`) begins with `comm` is the long name; an empty argument or the end of the data ends
 * the walk with none. With `complete` false, an argument cut off at `len` asks for more data (`resume` is where its
 * scan must restart). Pure; never throws.
 */
export function scanLongName(
  data: Uint8Array,
  len: number,
  comm: Uint8Array,
  complete: boolean,
  from = 0,
): LongNameScan {
  let start = from;
  while (start < len) {
    let end = data.indexOf(0, start);
    if (end < 0 || end >= len) {
      if (!complete) return { kind: 'more', resume: start };
      end = len;
    }
    if (end === start) return { kind: 'none' };
    const slash = data.lastIndexOf(0x2f, end - 1);
    const base = slash >= start ? slash + 1 : start;
    if (startsWith(data, base, end, comm)) return { kind: 'found', start: base, end };
    start = end + 1;
  }
  return complete ? { kind: 'none' } : { kind: 'more', resume: start };
}

function startsWith(data: Uint8Array, from: number, to: number, prefix: Uint8Array): boolean {
  if (to - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (data[from + i] !== prefix[i]) return false;
  return true;
}
