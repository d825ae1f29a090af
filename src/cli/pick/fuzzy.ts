/**
 * The picker's fuzzy matcher, in the manner of fzf's v1 algorithm: the query's characters must appear in order;
 * among the occurrences, the shortest window ending at the first complete match is scored. Matched characters at
 * word starts and in runs score more, gaps cost. Smart case: a query with an uppercase letter is case-sensitive.
 * Pure functions; no allocation beyond the positions returned.
 */

/** A match: its score (higher is better) and the matched character indexes, ascending. */
export interface FuzzyMatch {
  readonly score: number;
  readonly positions: readonly number[];
}

const SCORE_MATCH = 16;
const GAP_START = -3;
const GAP_EXTENSION = -1;
const BONUS_BOUNDARY = 8;
const BONUS_CONSECUTIVE = 4;
const BONUS_CAMEL = 7;
const BONUS_FIRST_CHAR = 2;

const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isWord = (c: number): boolean => isLower(c) || isUpper(c) || isDigit(c) || c > 0x7f;
const fold = (c: number): number => (isUpper(c) ? c + 32 : c);

/** Whether a query is matched case-sensitively (it has an uppercase ASCII letter). */
export function caseSensitive(query: string): boolean {
  for (let i = 0; i < query.length; i++) if (isUpper(query.charCodeAt(i))) return true;
  return false;
}

/** The bonus for a match at `i`: word starts (after a separator, or a camelCase hump, or a digit run). */
function bonusAt(text: string, i: number): number {
  if (i === 0) return BONUS_BOUNDARY;
  const prev = text.charCodeAt(i - 1);
  const cur = text.charCodeAt(i);
  if (!isWord(prev) && isWord(cur)) return BONUS_BOUNDARY;
  if (isLower(prev) && isUpper(cur)) return BONUS_CAMEL;
  if (!isDigit(prev) && isDigit(cur)) return BONUS_CAMEL;
  return 0;
}

/**
 * Matches `query` against `text`; null when the query's characters do not all appear in order. An empty query
 * matches everything with score 0 and no positions.
 */
export function fuzzyMatch(query: string, text: string, sensitive = caseSensitive(query)): FuzzyMatch | null {
  const m = query.length;
  if (m === 0) return { score: 0, positions: [] };
  const n = text.length;
  if (m > n) return null;
  const q = (k: number): number => (sensitive ? query.charCodeAt(k) : fold(query.charCodeAt(k)));
  const t = (k: number): number => (sensitive ? text.charCodeAt(k) : fold(text.charCodeAt(k)));
  // Forward: the end of the first complete occurrence.
  let qi = 0;
  let end = -1;
  for (let i = 0; i < n; i++) {
    if (t(i) === q(qi) && ++qi === m) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  // Backward from there: the latest start, so the shortest window.
  qi = m - 1;
  let start = end;
  for (let i = end; i >= 0; i--) {
    if (t(i) === q(qi)) {
      if (qi === 0) {
        start = i;
        break;
      }
      qi--;
    }
  }
  // Forward again inside the window, taking each query character at its first occurrence, and scoring.
  const positions: number[] = [];
  let score = 0;
  let prevPos = -2;
  let gap = false;
  let run = 0;
  qi = 0;
  for (let i = start; i <= end && qi < m; i++) {
    if (t(i) !== q(qi)) {
      if (prevPos >= 0) {
        score += gap ? GAP_EXTENSION : GAP_START;
        gap = true;
      }
      continue;
    }
    let bonus = bonusAt(text, i);
    if (prevPos === i - 1) {
      run++;
      bonus = Math.max(bonus, BONUS_CONSECUTIVE + Math.min(run, 3));
    } else run = 0;
    if (qi === 0) bonus *= BONUS_FIRST_CHAR;
    score += SCORE_MATCH + bonus;
    positions.push(i);
    prevPos = i;
    gap = false;
    qi++;
  }
  // An exact, whole-text match is the best there can be for this text.
  if (start === 0 && end === n - 1 && positions.length === n) score += BONUS_BOUNDARY * 2;
  return { score, positions };
}

/** One searchable field of a row: its text and a weight (the name matters more than the command line). */
export interface Field {
  readonly text: string;
  readonly weight: number;
}

/** The best match of the query over several fields: which field, and that field's match. */
export interface FieldMatch {
  readonly field: number;
  readonly score: number;
  readonly positions: readonly number[];
}

/** The best-scoring field for the query, or null when no field matches. Ties go to the earlier field. */
export function bestField(query: string, fields: readonly Field[]): FieldMatch | null {
  const sensitive = caseSensitive(query);
  let best: FieldMatch | null = null;
  fields.forEach((f, i) => {
    const r = fuzzyMatch(query, f.text, sensitive);
    if (!r) return;
    const score = r.score * f.weight;
    if (!best || score > best.score) best = { field: i, score, positions: r.positions };
  });
  return best;
}
