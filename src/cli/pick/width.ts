/**
 * Terminal cells for the picker. Text shown in a cell has already been escaped (src/text/escape.ts: no C0/C1
 * controls, invalid UTF-8 as `?`); here the characters whose width terminals disagree on, or that reorder or join
 * what follows (combining marks, zero-width and bidi controls, variation selectors), become `?` too, so every
 * character left has a known width of 1 or 2 and a row can never spill over the screen's width.
 */

/** Whether a code point is zero-width or steers layout (combining, joiners, bidi, variation selectors, …). */
function unsafe(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x0483 && cp <= 0x0489) ||
    (cp >= 0x0591 && cp <= 0x05c7) ||
    (cp >= 0x0610 && cp <= 0x061a) ||
    cp === 0x061c ||
    (cp >= 0x064b && cp <= 0x065f) ||
    (cp >= 0x0900 && cp <= 0x0dff) || // Indic scripts: conjuncts render at widths terminals disagree on
    (cp >= 0x0e31 && cp <= 0x0e4e) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0xfeff ||
    (cp >= 0xfff0 && cp <= 0xfffd) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    (cp >= 0xe0000 && cp <= 0xe0fff) ||
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0) ||
    cp === 0xad
  );
}

/** Whether a code point takes two cells (East Asian wide and full-width, emoji). */
function wide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x231a && cp <= 0x231b) ||
    (cp >= 0x2329 && cp <= 0x232a) ||
    (cp >= 0x23e9 && cp <= 0x23ec) ||
    (cp >= 0x25fd && cp <= 0x25fe) ||
    (cp >= 0x2614 && cp <= 0x2615) ||
    (cp >= 0x2648 && cp <= 0x2653) ||
    (cp >= 0x26aa && cp <= 0x26ab) ||
    (cp >= 0x26bd && cp <= 0x26be) ||
    (cp >= 0x26c4 && cp <= 0x26c5) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x16fe0 && cp <= 0x1b2ff) ||
    (cp >= 0x1f004 && cp <= 0x1f251) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Ambiguous-width and other risky characters become `?`; the result has only width-1 and width-2 characters. */
export function cellText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += unsafe(cp) ? '?' : ch;
  }
  return out;
}

/** The cells a code point takes (after {@link cellText}). */
export function cpWidth(cp: number): number {
  return wide(cp) ? 2 : 1;
}

/** The cells a string takes (after {@link cellText}). */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += cpWidth(ch.codePointAt(0)!);
  return w;
}

/** A run of text cut to at most `width` cells, with the index (in UTF-16 units) where each kept char starts. */
export interface Fitted {
  readonly text: string;
  readonly width: number;
  /** Start index in the input of each character kept (for mapping match positions). */
  readonly starts: readonly number[];
}

/**
 * Cuts text to `width` cells. When it does not fit, the last cell shows `…` (or `~` in ASCII mode) so that a cut
 * is visible. Never returns more than `width` cells.
 */
export function fit(text: string, width: number, ellipsis = '…'): Fitted {
  if (width <= 0) return { text: '', width: 0, starts: [] };
  const total = textWidth(text);
  const limit = total <= width ? width : width - 1;
  let out = '';
  let w = 0;
  const starts: number[] = [];
  let i = 0;
  for (const ch of text) {
    const cw = cpWidth(ch.codePointAt(0)!);
    if (w + cw > limit) break;
    out += ch;
    starts.push(i);
    w += cw;
    i += ch.length;
  }
  if (total > width) {
    out += ellipsis;
    w += 1;
  }
  return { text: out, width: w, starts };
}
