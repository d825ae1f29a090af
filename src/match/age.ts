import { strtol, wrapLong } from '../text/cnum.js';

/**
 * Seconds per unit letter of psmisc's `-y`/`-o`: a month is 4 weeks and a year 48 weeks. The completion scripts
 * offer the keys, in this order.
 */
export const TIME_UNITS: Readonly<Record<string, bigint>> = {
  s: 1n,
  m: 60n,
  h: 3600n,
  d: 86400n,
  w: 604800n,
  M: 2419200n,
  y: 29030400n,
};

/**
 * psmisc `parse_time_units` on the first 63 bytes of TIME: an integer (strtol: white space and a sign allowed)
 * followed at once by one unit letter; anything after the unit is ignored. Returns the seconds, or undefined where
 * psmisc says "Invalid time format" (no digits, no or unknown unit, or a result ≤ 0).
 */
export function parseTimeUnits(text: string): number | undefined {
  const t = text.slice(0, 63);
  const r = strtol(t);
  if (r.end === 0) return undefined;
  const unit = t[r.end];
  if (unit === undefined) return undefined;
  const mult = Object.hasOwn(TIME_UNITS, unit) ? TIME_UNITS[unit] : undefined;
  if (mult === undefined) return undefined;
  const v = wrapLong(r.value * mult);
  return v <= 0n ? undefined : Number(v);
}

/**
 * A process's age in seconds as psmisc computes it: uptime minus start ticks over the clock rate, never negative.
 */
export function processAge(uptimeSeconds: number, startTicks: number, clockTicks = 100): number {
  const age = uptimeSeconds - startTicks / clockTicks;
  return Math.max(age, 0);
}

/** psmisc's age filters: `-y N` keeps age ≤ N, `-o N` keeps age ≥ N (both strict comparisons fail). */
export function ageAllowed(age: number, youngerThan?: number, olderThan?: number): boolean {
  if (youngerThan !== undefined && age > youngerThan) return false;
  if (olderThan !== undefined && age < olderThan) return false;
  return true;
}
