/**
 * The live differential: every scenario of the differential, spelling and extension suites, run with another
 * built checkout's `bin/killall` (and library) and with this one's, each in private PID namespaces as its suite
 * runs it, compared exactly (tests/golden/live-compare.ts). Prints a summary; exits 1 on any difference.
 *
 *   npm run golden:live -- --ref DIR [--only TEXT] [--retries N]
 *
 * DIR is a checkout of killall-ts that has been built (`npm run build` there). `--only` (repeatable) keeps the
 * scenarios whose suite and name contain TEXT. A pair that differs is run again (up to N more times, default 2, the order of the
 * two builds swapped each time) and counts as different only if no attempt agreed; agreements after a retry are
 * listed with the first difference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { nsSkip, ROOT, scenarioDir } from '../helpers/ns.js';
import { lineDiff } from './baseline.js';
import { compareRuns, displayed, type LiveOutcome, type Verdict } from './live-compare.js';
import { type LiveScenario, liveScenarios } from './live-suites.js';

interface Options {
  readonly ref: string;
  readonly only: readonly string[];
  readonly retries: number;
}

function parseOptions(argv: readonly string[]): Options | string {
  let ref: string | undefined;
  const only: string[] = [];
  let retries = 2;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = argv[++i];
    if (value === undefined) return `${a}: a value is missing`;
    if (a === '--ref') ref = value;
    else if (a === '--only') only.push(value);
    else if (a === '--retries' && /^\d+$/.test(value)) retries = Number(value);
    else return `unknown option ${a} ${value}`;
  }
  if (!ref) return 'usage: npm run golden:live -- --ref DIR [--only TEXT] [--retries N]';
  if (!existsSync(`${ref}/bin/killall`) || !existsSync(`${ref}/dist/killall.cjs`))
    return `${ref}: not a built checkout of killall-ts (bin/killall and dist/killall.cjs are needed: npm run build there)`;
  return { ref: `${realpathSync(ref)}/`, only, retries };
}

/** The commit of a checkout, for the summary. */
function commitOf(root: string): string {
  try {
    return execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
  } catch {
    return '(not a git checkout)';
  }
}

interface Result {
  readonly scenario: LiveScenario;
  readonly verdict: Verdict | 'skipped';
  readonly attempts: number;
  /** The first difference seen (a retry may have agreed since). */
  readonly firstDiff?: string;
  readonly skipped?: string;
}

/** One pair of runs from the same folder; a `youngDuringRun` pair is repeated (up to 5 times) until it holds. */
function runPair(sc: LiveScenario, ref: string, refFirst: boolean): { ref: LiveOutcome; ours: LiveOutcome } {
  for (let attempt = 1; ; attempt++) {
    const dir = scenarioDir();
    const first = sc.run(refFirst ? ref : ROOT, dir);
    const second = sc.run(refFirst ? ROOT : ref, dir);
    const pair = refFirst ? { ref: first, ours: second } : { ref: second, ours: first };
    const young = sc.youngMs;
    if (young === undefined || [first, second].every((o) => (o.youngBoundMs ?? 0) < young) || attempt === 5)
      return pair;
  }
}

function runOne(sc: LiveScenario, o: Options): Result {
  const skipped = sc.skip([ROOT, o.ref]);
  if (skipped) return { scenario: sc, verdict: 'skipped', attempts: 0, skipped };
  let firstDiff: string | undefined;
  for (let attempt = 1; attempt <= o.retries + 1; attempt++) {
    const pair = runPair(sc, o.ref, attempt % 2 === 1);
    const verdict = compareRuns(pair.ref, pair.ours);
    if (verdict !== 'different')
      return { scenario: sc, verdict, attempts: attempt, ...(firstDiff ? { firstDiff } : {}) };
    firstDiff ??= lineDiff(displayed(pair.ref), displayed(pair.ours));
  }
  return { scenario: sc, verdict: 'different', attempts: o.retries + 1, ...(firstDiff ? { firstDiff } : {}) };
}

function summary(results: readonly Result[], o: Options): string {
  const count = (f: (r: Result) => boolean): number => results.filter(f).length;
  const ran = results.filter((r) => r.verdict !== 'skipped');
  const lines = [
    `live differential: reference ${o.ref} (${commitOf(o.ref)})`,
    `               against this ${ROOT} (${commitOf(ROOT)})`,
    `scenarios ${results.length}: identical ${count((r) => r.verdict === 'identical' || r.verdict === 'normalised')}` +
      ` (${count((r) => r.verdict === 'normalised')} after normalising PIDs, times and quoted stat records,` +
      ` ${count((r) => r.verdict !== 'different' && r.attempts > 1)} after a retry),` +
      ` different ${count((r) => r.verdict === 'different')}, skipped ${count((r) => r.verdict === 'skipped')}`,
  ];
  for (const r of results.filter((x) => x.verdict === 'skipped'))
    lines.push(`skipped: ${r.scenario.suite}: ${r.scenario.name}: ${r.skipped}`);
  for (const r of ran.filter((x) => x.firstDiff !== undefined)) {
    const head = r.verdict === 'different' ? 'DIFFERENT' : `agreed on attempt ${r.attempts}, first`;
    lines.push(
      '',
      `${head}: ${r.scenario.suite}: ${r.scenario.name} (- reference, + this checkout)`,
      r.firstDiff!,
    );
  }
  return `${lines.join('\n')}\n`;
}

function main(): number {
  const o = parseOptions(process.argv.slice(2));
  if (typeof o === 'string') {
    process.stderr.write(`golden:live: ${o}\n`);
    return 2;
  }
  if (nsSkip) {
    process.stderr.write(`golden:live: ${nsSkip}\n`);
    return 2;
  }
  const all = liveScenarios().filter(
    (s) => o.only.length === 0 || o.only.some((t) => `${s.suite}: ${s.name}`.includes(t)),
  );
  const results: Result[] = [];
  all.forEach((sc, i) => {
    const r = runOne(sc, o);
    results.push(r);
    const tries = r.attempts > 1 ? ` (${r.attempts} attempts)` : '';
    process.stderr.write(`[${i + 1}/${all.length}] ${sc.suite}: ${sc.name}: ${r.verdict}${tries}\n`);
  });
  process.stdout.write(summary(results, o));
  return results.some((r) => r.verdict === 'different') ? 1 : 0;
}

process.exitCode = main();
