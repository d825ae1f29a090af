/**
 * The committed baseline files (tests/golden/baselines/GROUP.txt): a header, then one section per case, each
 * starting with its `=== NAME` line. Reading splits a file into its sections; writing joins them. A readable diff
 * of two sections for failure messages.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** tests/golden/baselines/ of the checkout (this file runs from dist/tests/golden). */
export const BASELINE_DIR = fileURLToPath(new URL('../../../tests/golden/baselines/', import.meta.url));

/** Whether this run rewrites the baselines instead of comparing (`UPDATE_GOLDEN=1`). */
export const updating = process.env.UPDATE_GOLDEN === '1';

const headerOf = (title: string): string =>
  `# Golden baselines: ${title}.\n# Written by tests/golden (npm run golden:update); read tests/golden/README.md before changing.\n`;

/** The file's text for these sections. */
export function baselineText(title: string, sections: readonly string[]): string {
  return [headerOf(title), ...sections].join('\n');
}

export const baselinePath = (group: string): string => `${BASELINE_DIR}${group}.txt`;

/** The committed text of a group, or null when there is none yet. */
export function readBaseline(group: string): string | null {
  try {
    return readFileSync(baselinePath(group), 'utf8');
  } catch {
    return null;
  }
}

export function writeBaseline(group: string, text: string): void {
  mkdirSync(BASELINE_DIR, { recursive: true });
  writeFileSync(baselinePath(group), text);
}

/** The sections of a baseline file by case name (the header left out). */
export function sectionsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = text.split(/\n(?==== )/);
  for (const part of parts.slice(1)) {
    const name = part.slice(4, part.indexOf('\n'));
    out.set(name, part);
  }
  return out;
}

/**
 * A unified-style line diff of two texts (longest common subsequence): `-` expected, `+` actual, three lines of
 * context around each change, `@@ line N` where a hunk starts in the expected text.
 */
export function lineDiff(expected: string, actual: string, context = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { mark: ' ' | '-' | '+'; line: string; at: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ mark: ' ', line: a[i++]!, at: j++ });
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ mark: '-', line: a[i++]!, at: i });
    else ops.push({ mark: '+', line: b[j++]!, at: i });
  }
  const near = ops.map((_, k) =>
    ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.mark !== ' '),
  );
  const out: string[] = [];
  let lineOfA = 0;
  ops.forEach((o, k) => {
    if (o.mark !== '+') lineOfA++;
    if (!near[k]) return;
    if (k === 0 || !near[k - 1]) out.push(`@@ line ${o.mark === '+' ? lineOfA + 1 : lineOfA} of the case`);
    out.push(`${o.mark} ${o.line}`);
  });
  return out.join('\n');
}
