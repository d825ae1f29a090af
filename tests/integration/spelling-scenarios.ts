/**
 * The scenarios of the extension-spelling suite (extensions-differential.test.ts runs them against psmisc; the live
 * differential, tests/golden/live.ts, against another build of killall-ts): the same two victims, one argv each.
 */
import fc from 'fast-check';
import type { Scenario } from '../helpers/scenario.js';

export const victims = [
  { label: 'a', exe: 'hx7a' },
  { label: 'b', exe: 'hx7b', detached: true },
];

/** Spellings that psmisc owns: they must behave exactly as psmisc, extensions notwithstanding. */
export const PSMISC_OWNED: readonly (readonly string[])[] = [
  ['--e', 'hx7a'],
  ['--ex', 'hx7a'],
  ['--p', 'hx7b'],
  ['-p', 'hx7b'],
  ['--u', 'root', 'hx7a'],
  ['-dry-run', 'hx7a'],
  ['-tree', 'hx7a'],
  ['-json', 'hx7a'],
  ['-kill-after', '1', 'hx7a'],
  ['-timeout', '1', 'hx7a'],
  ['--dry-run=1', 'hx7a'],
  ['--t', 'hx7a'],
  ['-pick', 'hx7a'],
  ['--help'],
  ['--', '--dry-run'],
];

/** Extension spellings: psmisc must reject each with its usage error (that is what makes them ours to define). */
export const EXTENSIONS: readonly (readonly string[])[] = [
  ['--dry-run', 'hx7a'],
  ['--d', 'hx7a'],
  ['--json', 'hx7a'],
  ['--tree', 'hx7a'],
  ['--tr', 'hx7a'],
  ['--kill-after', '5', 'hx7a'],
  ['--kill-after=5', 'hx7a'],
  ['-w', '--timeout', '5', 'hx7a'],
  ['--ti=5', '-w', 'hx7a'],
  ['--explain', 'hx7a'],
  ['--exp', 'hx7a'],
  ['--explain=all', 'hx7a'],
  // --pick off a terminal (as here): a clear refusal, nothing sent; psmisc: its usage error.
  ['--pick', 'hx7a'],
  ['--pi'],
  ['--pick', '-u', 'root'],
];

// Seeded fuzzing over psmisc's tokens and the new spellings: equal to psmisc unless psmisc gave its usage error
// for an argv with an extension spelling (which ours may then define).
const TOKENS = [
  '-v',
  '-e',
  '-g',
  '-i',
  '-q',
  '-w',
  '-r',
  '-9',
  '-HUP',
  '-s',
  '--',
  'hx7a',
  'hx7b',
  'hx7zz',
  '5',
  '1s',
  'x',
  '--dry-run',
  '--d',
  '--json',
  '--tree',
  '--tr',
  '--kill-after',
  '--timeout',
  '--t',
  '--e',
  '--p',
  '-dry-run',
  '--kill-after=1',
  '--ti=1',
  '--explain',
  '--pick',
  '-tree',
];
export const FUZZ_CASES = fc.sample(
  fc.record({
    args: fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 5 }),
    stdin: fc.constantFrom<string | null>(null, 'y\n', 'n\n'),
  }),
  { numRuns: 24, seed: 8080 },
);

/** The scenario of a psmisc-owned spelling, of an extension spelling, of a fuzz case: deadline and stdin as the suite has them. */
export const ownedScenario = (args: readonly string[]): Scenario => ({
  victims,
  args: [...args],
  stdin: null,
  timeoutMs: 4000,
});
export const extensionScenario = (args: readonly string[]): Scenario => ({
  victims,
  args: [...args],
  stdin: null,
  timeoutMs: 8000,
});
export const fuzzScenario = (c: { args: string[]; stdin: string | null }): Scenario => ({
  victims,
  args: c.args,
  stdin: c.stdin,
  timeoutMs: 6000,
});

/** Every scenario of the suite by its test name. */
export function spellingScenarios(): Record<string, Scenario> {
  const out: Record<string, Scenario> = {};
  for (const args of PSMISC_OWNED) out[`psmisc's: ${args.join(' ')}`] = ownedScenario(args);
  for (const args of EXTENSIONS)
    out[`ours: ${args.join(' ')} (psmisc: usage error)`] = extensionScenario(args);
  for (const c of FUZZ_CASES)
    out[`fuzz ${JSON.stringify(c.args)} stdin ${JSON.stringify(c.stdin)}`] = fuzzScenario(c);
  return out;
}
