/**
 * The picker's terminal loop: the alternate screen, raw keypresses, a listing every refresh with the rows on screen
 * sampled (and rows that come into view sampled at once), a frame written only when it changed, resize, and the
 * ways out (enter confirmed, Esc, `^C`, end of input, SIGTERM, a terminal gone). Resolves with the chosen rows
 * (and the state they were chosen in) or null.
 */
import { emitKeypressEvents } from 'node:readline';
import type { System } from '../../system.js';
import type { PickBackend, PickOptions } from './backend.js';
import { columnsFor, pageRowsFor, renderFrame, type Style } from './layout.js';
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

/** The terminal and the rest of the outside world. */
export interface PickIo {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WriteStream;
  /** Writes to stderr. */
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
  /** Defaults to the library's backend over the options' criteria. */
  readonly backend?: PickBackend;
  /** Milliseconds between refreshes. @default 1000 */
  readonly refreshMs?: number;
}

/** What the loop ends with: the chosen rows and the state they were chosen in, or null (nothing to send). */
export type Picked = [PickState['chosen'], PickState] | null;

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

/**
 * For bench/pick.mjs (`KILLALL_TS_PICK_TRACE=1`, stderr redirected): milliseconds since the process started and
 * CPU milliseconds used, at the first frame. CPU time does not grow with other processes' load as wall time does.
 */
function firstFrameTrace(): string {
  const cpu = process.cpuUsage();
  return `first_frame wall_ms=${performance.now().toFixed(1)} cpu_ms=${((cpu.user + cpu.system) / 1000).toFixed(1)}\n`;
}

/** Shows the screen until enter is confirmed (resolves with the chosen rows) or the user leaves (null). */
export function pickLoop(
  options: PickOptions,
  io: PickIo,
  backend: PickBackend,
  caps: Capabilities,
): Promise<Picked> {
  return new Promise((resolve, reject) => new PickLoop(options, io, backend, caps, resolve, reject).start());
}

class PickLoop {
  private state: PickState;
  private readonly style: Style;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;
  /** The last frame written: a refresh that changes nothing on screen writes nothing (a resize clears it). */
  private shown = '';

  constructor(
    options: PickOptions,
    private readonly io: PickIo,
    private readonly backend: PickBackend,
    caps: Capabilities,
    private readonly resolve: (p: Picked) => void,
    private readonly reject: (e: unknown) => void,
  ) {
    this.style = { color: colorWanted(io.env, io.output) };
    this.state = initialState(
      {
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.tree !== undefined ? { tree: options.tree } : {}),
        escalate: options.killAfterMs !== undefined,
        ...(options.killAfterMs !== undefined ? { killAfterMs: options.killAfterMs } : {}),
      },
      caps,
    );
  }

  private size(): [number, number] {
    return [this.io.output.columns || 80, this.io.output.rows || 24];
  }

  private readonly onKey = (str: string | undefined, key: Key | undefined): void => {
    try {
      const [next, action] = press(
        this.state,
        str,
        key ?? { sequence: str ?? '' },
        pageRowsFor(this.size()[1]),
      );
      this.state = next;
      if (action === 'quit') this.finish(null);
      else if (action === 'send') this.finish([next.chosen, next]);
      else this.redraw();
    } catch (e) {
      // Never leave the terminal in raw mode on the alternate screen.
      this.finish(null, e);
    }
  };
  private readonly onEnd = (): void => this.finish(null);
  private readonly onTerm = (): void => this.finish(null);
  private readonly onResize = (): void => {
    this.shown = '';
    this.redraw();
  };
  // A terminal that goes away (its window closed) ends the picker as a hang-up does: by SIGHUP's default action.
  // Exiting normally would not do: Node's exit restores the terminal's modes, and tcsetattr's EIO on a hung-up
  // terminal aborts Node (the ResetStdio assertion, nodejs/node#51519). Other write errors end it quietly.
  private readonly onError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EIO') process.kill(process.pid, 'SIGHUP');
    else this.finish(null);
  };

  start(): void {
    const { input, output } = this.io;
    output.on('error', this.onError);
    output.write(ENTER);
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.on('keypress', this.onKey);
    input.once('end', this.onEnd);
    input.resume();
    output.on('resize', this.onResize);
    // SIGTERM restores the screen and leaves (exit 1); SIGHUP keeps its default action (the terminal is gone).
    process.once('SIGTERM', this.onTerm);
    this.firstFrame().catch((e: unknown) => this.finish(null, e));
  }

  private finish(result: Picked, error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const { input, output } = this.io;
    input.off('keypress', this.onKey);
    input.off('end', this.onEnd);
    output.off('resize', this.onResize);
    process.off('SIGTERM', this.onTerm);
    try {
      input.setRawMode(false);
    } catch {
      // the terminal is gone
    }
    input.pause();
    output.write(LEAVE);
    if (error !== undefined) this.reject(error);
    else this.resolve(result);
  }

  private draw(): void {
    if (this.closed) return;
    const [w, h] = this.size();
    let frame = '';
    renderFrame(this.state, w, h, this.style).forEach((l, i) => {
      frame += `\x1b[${i + 1};1H\x1b[2K${l}`;
    });
    if (frame === this.shown) return;
    this.shown = frame;
    this.io.output.write(frame);
  }

  /** Draws, then samples the rows on screen that have not been yet (after a move, a search, a resize). */
  private redraw(): void {
    this.draw();
    this.fill().catch((e: unknown) => this.finish(null, e));
  }

  private async fill(): Promise<void> {
    const missing = onScreen(this.state, pageRowsFor(this.size()[1])).filter((r) => r.user === '');
    if (missing.length === 0) return;
    const sampled = await this.backend.sample(missing);
    if (this.closed) return;
    this.state = withSamples(this.state, sampled);
    this.draw();
  }

  /** New rows from a listing, then the rows on screen sampled, then a frame. */
  private async show(rows: PickState['rows']): Promise<void> {
    const page = pageRowsFor(this.size()[1]);
    this.state = withRows(this.state, rows, page);
    const sampled = await this.backend.sample(onScreen(this.state, page));
    if (this.closed) return;
    this.state = withSamples(this.state, sampled);
    this.draw();
  }

  // First frame as soon as the selection is made and the rows on screen are sampled; the other rows' command lines
  // follow at once, CPU % and ports on the next refresh.
  private async firstFrame(): Promise<void> {
    await this.show(await this.backend.list({ ports: false, commandLines: false }));
    if (this.closed) return;
    if (this.io.env.KILLALL_TS_PICK_TRACE) this.io.err(firstFrameTrace());
    await new Promise((r) => setImmediate(r));
    if (this.closed) return;
    const rows = await this.backend.list({ ports: false });
    if (this.closed) return;
    this.state = withRows(this.state, rows, pageRowsFor(this.size()[1]));
    this.draw();
    this.later(Math.min(500, this.io.refreshMs ?? 1000));
  }

  private later(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.refresh().then(
        () => this.later(this.io.refreshMs ?? 1000),
        (e: unknown) => this.finish(null, e),
      );
    }, ms);
  }

  private async refresh(): Promise<void> {
    // Ports cost a readdir and readlinks of the fds of the processes that need reading (see ports.ts): only while
    // the column fits, every PORTS_EVERY refreshes, and on every refresh while a `:PORT` search is on.
    const search = this.state.query.startsWith(':');
    const fits = columnsFor(this.size()[0], true).some((c) => c.key === 'ports');
    const ports = search || (fits && this.tick++ % PORTS_EVERY === 0);
    const rows = await this.backend.list({ ports });
    if (!this.closed) await this.show(rows);
  }
}
