/**
 * DURATION for `--kill-after` and `--timeout` (and the library's millisecond options): a decimal number with an
 * optional unit `ms`, `s` (the default), `m`, `h` or `d`, as GNU `timeout` users write it (`5`, `2.5s`, `500ms`,
 * `1.5m`). Pure; never throws.
 */

/** The longest DURATION: 24 days, under Node's timer limit of 2^31 - 1 ms (about 24.86 days). */
export const MAX_DURATION_MS = 24 * 86_400_000;

/** The DURATION units and their milliseconds (the completion scripts offer the keys, in this order). */
export const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const FORM = /^(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h|d)?$/;

/** Why a DURATION was refused. */
export type DurationError = 'malformed' | 'zero' | 'too-long';

/**
 * The DURATION in whole milliseconds (a fraction of a millisecond is rounded up, so only an exact zero is zero), or
 * why it is refused: `malformed` (anything but digits, one optional decimal point and a unit: no sign, exponent,
 * spaces or other units), `zero`, or `too-long` (more than {@link MAX_DURATION_MS}).
 */
export function parseDuration(text: string): { ok: true; ms: number } | { ok: false; error: DurationError } {
  const m = FORM.exec(text);
  if (!m) return { ok: false, error: 'malformed' };
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return { ok: false, error: 'too-long' };
  const exact = value * UNIT_MS[m[2] ?? 's']!;
  if (exact === 0) return { ok: false, error: 'zero' };
  if (exact > MAX_DURATION_MS) return { ok: false, error: 'too-long' };
  // The epsilon absorbs binary rounding (1.1 * 1000 is 1100.0000000000002), not a real fraction of a millisecond.
  return { ok: true, ms: Math.max(1, Math.ceil(exact - 1e-6)) };
}

/** A duration in milliseconds the way the messages show it: `500ms`, `5s`, `2.5s`, `90s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}
