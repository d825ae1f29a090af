/**
 * The scenarios the live differential runs, from the suites that own them: the psmisc differential suite, the
 * extension-spelling suite and the extension suite. Each scenario runs with the launcher (and library) of a given
 * checkout, in a private PID namespace exactly as its suite runs it, and gives what is compared.
 */
import { type ExtCase, runExt } from '../helpers/ext.js';
import type { ExtResult } from '../helpers/ext-runner.js';
import { comparable, nobodySkip, ROOT, runScenario } from '../helpers/ns.js';
import type { RunResult, Scenario } from '../helpers/scenario.js';
import { SCENARIOS } from '../integration/differential-scenarios.js';
import { EXT_SCENARIOS } from '../integration/extension-scenarios.js';
import { spellingScenarios } from '../integration/spelling-scenarios.js';
import type { LiveOutcome } from './live-compare.js';

export interface LiveScenario {
  readonly suite: 'differential' | 'spellings' | 'extensions';
  readonly name: string;
  /** Why it cannot run here (it needs user nobody, and a nobody kit cannot be made), or false. */
  readonly skip: (roots: readonly string[]) => string | false;
  /** The victim age bound (ms) a run must stay under to count (`youngDuringRun`), when the scenario has one. */
  readonly youngMs?: number;
  /** Runs it with the checkout at `root` (trailing slash), from folder `dir` (the same for both builds). */
  readonly run: (root: string, dir: string) => LiveOutcome;
}

/** Every argv element naming this checkout's files names the other checkout's instead. */
const rooted = (args: readonly string[], root: string): string[] => args.map((a) => a.replaceAll(ROOT, root));

const skipWithoutNobody =
  (needed: boolean) =>
  (roots: readonly string[]): string | false => {
    if (!needed) return false;
    for (const r of roots) {
      const why = nobodySkip(r);
      if (why) return why;
    }
    return false;
  };

function nsScenario(suite: LiveScenario['suite'], name: string, sc: Scenario): LiveScenario {
  const needsNobody = sc.asNobody === true || sc.victims.some((v) => v.nobody);
  return {
    suite,
    name,
    skip: skipWithoutNobody(needsNobody),
    ...(sc.youngDuringRun ? { youngMs: sc.youngDuringRun.ms } : {}),
    run: (root, dir) => {
      const r: RunResult = runScenario([`${root}bin/killall`], sc, dir, root);
      const young = sc.youngDuringRun;
      return {
        compared: comparable(r) as unknown as Record<string, unknown>,
        pids: new Map(Object.entries(r.pids).map(([label, pid]) => [pid, label])),
        ...(young ? { youngBoundMs: r.ageBoundMs[young.label] ?? Number.POSITIVE_INFINITY } : {}),
      };
    },
  };
}

/** An extension result without timestamps, its processes as labels (a PID and its parent's), sorted. */
function extCompared(r: ExtResult): LiveOutcome {
  const pids = new Map<number, string>(r.processes.map((p) => [p.pid, p.label]));
  const processes = r.processes
    .map((p) => ({
      label: p.label,
      parent: pids.get(p.ppid) ?? (p.ppid === 1 ? 'the runner' : 'another process'),
      signals: p.signals.map((s) => s.sig),
      fate: p.fate,
      ...(p.exit ? { exit: p.exit } : {}),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { compared: { rc: r.rc, stdout: r.stdout, stderr: r.stderr, processes }, pids };
}

function extScenario(name: string, c: ExtCase): LiveScenario {
  return {
    suite: 'extensions',
    name,
    skip: skipWithoutNobody(c.nobody === true),
    run: (root, dir) => {
      const sc = { ...c.scenario, command: rooted(c.scenario.command, root) };
      return extCompared(runExt({ ...c, scenario: sc }, { dir, root }));
    },
  };
}

/** Every scenario of the three suites, in their order. */
export function liveScenarios(): LiveScenario[] {
  return [
    ...Object.entries(SCENARIOS).map(([name, sc]) => nsScenario('differential', name, sc)),
    ...Object.entries(spellingScenarios()).map(([name, sc]) => nsScenario('spellings', name, sc)),
    ...Object.entries(EXT_SCENARIOS).map(([name, c]) => extScenario(name, c)),
  ];
}
