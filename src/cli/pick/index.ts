/**
 * `--pick`: the full-screen picker. Loaded only when `--pick` is used (its own bundle, dist/pick.cjs), so plain
 * runs never parse it. `runPicker` checks the terminal and the options, runs the loop (loop.ts: a small
 * hand-written renderer over node:readline keypress events, no dependency), signals what was chosen and prints the
 * result lines.
 */
import { strerror } from '../../text/strerror.js';
import { libraryBackend, type Outcome, type PickOptions, type SignalChoice } from './backend.js';
import { label, sigText } from './layout.js';
import { type PickIo, pickLoop } from './loop.js';

export type { PickOptions } from './backend.js';
export { colorWanted, type PickIo } from './loop.js';

/** Runs the picker; resolves with the exit status (0: every chosen process signalled). */
export async function runPicker(options: PickOptions, io: PickIo): Promise<number> {
  if (!io.input.isTTY || !io.output.isTTY) {
    io.err('killall-ts: --pick needs a terminal on stdin and stdout\n');
    return 1;
  }
  const backend = io.backend ?? libraryBackend({ ...options.criteria, system: io.system }, io.system);
  if (options.tree && !backend.caps.tree) {
    io.err('killall-ts: --tree with --pick is not available\n');
    return 1;
  }
  if (options.killAfterMs !== undefined && !backend.caps.escalation) {
    io.err('killall-ts: --kill-after with --pick is not available\n');
    return 1;
  }
  // -g signals process groups, not trees (the parser already refuses --tree with -g).
  const caps = options.processGroup
    ? { ...backend.caps, tree: false, treeNote: 'with -g (a process group is not a tree)' }
    : backend.caps;
  const chosen = await pickLoop(options, io, backend, caps);
  if (!chosen) return 1;
  const [rows, state] = chosen;
  const choice: SignalChoice = {
    signal: state.choices.signal,
    tree: state.choices.tree,
    escalate: state.choices.escalate,
    killAfterMs: state.choices.killAfterMs,
    processGroup: options.processGroup ?? false,
    wait: options.wait ?? false,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    dryRun: options.dryRun ?? false,
  };
  const outcomes = await backend.signal(rows, choice);
  io.output.write(renderResults(outcomes, choice));
  const ok = (o: Outcome) =>
    (o.kind === 'signalled' || o.kind === 'escalated' || o.kind === 'dry-run') &&
    (o.descendants?.failed ?? 0) === 0;
  return outcomes.every(ok) ? 0 : 1;
}

/** The result lines printed after the picker closes. */
export function renderResults(outcomes: readonly Outcome[], choice: SignalChoice): string {
  const how = `${sigText(choice.signal)}${choice.tree ? ' to the trees' : ''}${choice.escalate ? `, KILL after ${choice.killAfterMs / 1000}s` : ''}`;
  const lines = [choice.dryRun ? `Would send ${how} (dry run, nothing sent):` : `Sent ${how}:`];
  for (const o of outcomes) {
    const who = `${label(o.row)}${o.pgid !== undefined ? ` (group ${o.pgid})` : ''}`;
    const fate = o.stillRunning ? 'still running' : 'exited';
    let what: string;
    switch (o.kind) {
      case 'signalled':
        what = `signalled, ${fate}`;
        break;
      case 'escalated':
        what = `signalled, escalated to KILL, ${fate}`;
        break;
      case 'escalation-failed':
        what = `signalled, still running; KILL failed: ${strerror(o.code ?? '')}`;
        break;
      case 'failed':
        what = `failed: ${strerror(o.code ?? '')}`;
        break;
      case 'gone':
        what = 'not signalled: it exited, or its PID was reused';
        break;
      case 'refused':
        what = 'not signalled: process group 1';
        break;
      case 'dry-run':
        what = 'would be signalled';
        break;
    }
    const d = o.descendants;
    if (d) {
      const n = (k: number) => `${k} descendant${k === 1 ? '' : 's'}`;
      const parts = [o.kind === 'dry-run' ? `${n(d.signalled)} would be too` : `${n(d.signalled)} signalled`];
      if (d.stillRunning > 0) parts.push(`${d.stillRunning} still running`);
      if (d.failed > 0) parts.push(`${n(d.failed)} failed`);
      what += ` (${parts.join(', ')})`;
    }
    lines.push(`  ${who}: ${what}`);
  }
  return `${lines.join('\n')}\n`;
}
