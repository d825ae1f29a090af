/**
 * `--pick`: the full-screen picker. Loaded only when `--pick` is used (its own bundle, dist/pick.cjs), so plain
 * runs never parse it. A small hand-written renderer over node:readline keypress events: one write per frame,
 * alternate screen, no dependency.
 */
import { emitKeypressEvents } from 'node:readline';
import type { System } from '../../system.js';
import { strerror } from '../../text/strerror.js';
import {
  libraryBackend,
  type Outcome,
  type PickBackend,
  type PickOptions,
  type SignalChoice,
} from './backend.js';
import { columnsFor, label, pageRowsFor, renderFrame, type Style, sigText } from './layout.js';
import {
  type Capabilities,
  initialState,
  type Key,
  onScreen,
  type PickState,
  press,
  withRows,
  withSamples,
} from './model.js';

export type { PickOptions } from './backend.js';

/** The terminal and the rest of the outside world. */
export interface PickIo {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
  /** Writes to stderr. */
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
  /** Defaults to {@link libraryBackend} over `criteria`. */
  readonly backend?: PickBackend;
  /** Milliseconds between refreshes. @default 1000 */
  readonly refreshMs?: number;
}

/**
 * Ports are brought up to date on every PORTS_EVERY-th refresh while the PORTS column fits the width, and on every
 * refresh during a `:PORT` search; not at all otherwise.
 */
const PORTS_EVERY = 3;

const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const LEAVE = '\x1b[0m\x1b[?25h\x1b[?1049l';

/** Whether to use colour: not with NO_COLOR set (non-empty), TERM=dumb, or a terminal without colours. */
export function colorWanted(
  env: NodeJS.ProcessEnv,
  output: { getColorDepth?: (env?: object) => number },
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return (output.getColorDepth?.(env) ?? 1) > 1;
}

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

/**
 * For bench/pick.mjs (`KILLALL_TS_PICK_TRACE=1`, stderr redirected): milliseconds since the process started and
 * CPU milliseconds used, at the first frame. CPU time does not grow with other processes' load as wall time does.
 */
function firstFrameTrace(): string {
  const cpu = process.cpuUsage();
  return `first_frame wall_ms=${performance.now().toFixed(1)} cpu_ms=${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`;
}

/** Shows the screen until enter is confirmed (resolves with the chosen rows) or the user leaves (null). */
function pickLoop(
  options: PickOptions,
  io: PickIo,
  backend: PickBackend,
  caps: Capabilities,
): Promise<[PickState['chosen'], PickState] | null> {
  const { input, output } = io;
  const style: Style = { color: colorWanted(io.env, output) };
  const size = (): [number, number] => [output.columns || 80, output.rows || 24];
  let state = initialState(
    {
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.tree !== undefined ? { tree: options.tree } : {}),
      escalate: options.killAfterMs !== undefined,
      ...(options.killAfterMs !== undefined ? { killAfterMs: options.killAfterMs } : {}),
    },
    caps,
  );
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  // The last frame written: a refresh that changes nothing on screen writes nothing (a resize clears it).
  let shown = '';
  const draw = (): void => {
    if (closed) return;
    const [w, h] = size();
    const lines = renderFrame(state, w, h, style);
    let frame = '';
    lines.forEach((l, i) => {
      frame += `\x1b[${i + 1};1H\x1b[2K${l}`;
    });
    if (frame === shown) return;
    shown = frame;
    output.write(frame);
  };

  /** Samples the rows on screen that have not been yet (after a move, a search, a resize), then draws. */
  const fill = async (): Promise<void> => {
    const missing = onScreen(state, pageRowsFor(size()[1])).filter((r) => r.user === '');
    if (missing.length === 0) return;
    const sampled = await backend.sample(missing);
    if (closed) return;
    state = withSamples(state, sampled);
    draw();
  };
  /** New rows from a listing, then the rows on screen sampled. */
  const show = async (rows: PickState['rows']): Promise<void> => {
    const page = pageRowsFor(size()[1]);
    state = withRows(state, rows, page);
    const sampled = await backend.sample(onScreen(state, page));
    if (closed) return;
    state = withSamples(state, sampled);
    draw();
  };

  return new Promise((resolve, reject) => {
    const finish = (result: [PickState['chosen'], PickState] | null, error?: unknown): void => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      input.off('keypress', onKey);
      input.off('end', onEnd);
      output.off('resize', onResize);
      process.off('SIGTERM', onTerm);
      try {
        input.setRawMode(false);
      } catch {
        // the terminal is gone
      }
      input.pause();
      output.write(LEAVE);
      if (error !== undefined) reject(error);
      else resolve(result);
    };
    const onTerm = (): void => finish(null);
    const redraw = (): void => {
      draw();
      fill().catch((e: unknown) => finish(null, e));
    };
    const onResize = (): void => {
      shown = '';
      redraw();
    };
    const onKey = (str: string | undefined, key: Key | undefined): void => {
      try {
        const [, h] = size();
        const [next, action] = press(state, str, key ?? { sequence: str ?? '' }, pageRowsFor(h));
        state = next;
        if (action === 'quit') finish(null);
        else if (action === 'send') finish([state.chosen, state]);
        else redraw();
      } catch (e) {
        // Never leave the terminal in raw mode on the alternate screen.
        finish(null, e);
      }
    };
    const onEnd = (): void => finish(null);
    let tick = 0;
    const refresh = async (): Promise<void> => {
      try {
        // Ports cost a readdir and readlinks of the fds of the processes that need reading (see ports.ts): only
        // while the column fits, every PORTS_EVERY refreshes, and on every refresh while a `:PORT` search is on.
        const search = state.query.startsWith(':');
        const fits = columnsFor(size()[0], true).some((c) => c.key === 'ports');
        const ports = search || (fits && tick++ % PORTS_EVERY === 0);
        const rows = await backend.list({ ports });
        if (closed) return;
        await show(rows);
      } catch (e) {
        if (!closed) {
          finish(null, e);
          return;
        }
      }
      if (!closed) timer = setTimeout(() => void refresh(), io.refreshMs ?? 1000);
    };

    // A terminal that goes away (its window closed) ends the picker as a hang-up does: by SIGHUP's default action.
    // Exiting normally would not do: Node's exit restores the terminal's modes, and tcsetattr's EIO on a hung-up
    // terminal aborts Node (the ResetStdio assertion, nodejs/node#51519). Other write errors end it quietly.
    output.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EIO') process.kill(process.pid, 'SIGHUP');
      else finish(null);
    });
    output.write(ENTER);
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', onKey);
    input.once('end', onEnd);
    input.resume();
    output.on('resize', onResize);
    // SIGTERM restores the screen and leaves (exit 1); SIGHUP keeps its default action (the terminal is gone).
    process.once('SIGTERM', onTerm);
    // First frame as soon as the selection is made and the rows on screen are sampled; the other rows' command
    // lines follow at once, CPU % and ports on the next refresh.
    void (async () => {
      try {
        await show(await backend.list({ ports: false, commandLines: false }));
        if (closed) return;
        if (io.env.KILLALL_TS_PICK_TRACE) io.err(firstFrameTrace());
        await new Promise((r) => setImmediate(r));
        if (closed) return;
        const rows = await backend.list({ ports: false });
        if (closed) return;
        state = withRows(state, rows, pageRowsFor(size()[1]));
        draw();
        timer = setTimeout(() => void refresh(), Math.min(500, io.refreshMs ?? 1000));
      } catch (e) {
        finish(null, e);
      }
    })();
  });
}
