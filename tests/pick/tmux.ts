/**
 * A tmux server as PID 1 of a private PID namespace (`unshare --pid --fork --kill-child --mount-proc tmux -D`):
 * every window it opens (victims, the picker) lives in that namespace, so the picker sees only that /proc and can
 * only ever signal what the test started. The test drives it from outside with send-keys and capture-pane over
 * the server's socket. Waits are outcome-based: poll until the expected screen appears, with a generous deadline.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Why tmux tests must skip, or false. */
export const tmuxSkip: string | false =
  spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0 ? false : 'tmux is not installed';

const DEADLINE_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class TmuxNs {
  readonly dir: string;
  readonly sock: string;
  private server: ChildProcess | undefined;

  constructor() {
    this.dir = mkdtempSync(`${tmpdir()}/kts-pick-`);
    this.sock = `${this.dir}/tmux.sock`;
  }

  /** Starts the server in a new PID namespace and a first, idle session of `width`×`height`. */
  async start(width = 80, height = 24): Promise<void> {
    this.server = spawn(
      'unshare',
      ['--pid', '--fork', '--kill-child', '--mount-proc', 'tmux', '-D', '-S', this.sock, '-f', '/dev/null'],
      { stdio: 'ignore', env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } },
    );
    await this.until('the tmux server socket', () => existsSync(this.sock));
    // The socket appears before the server accepts: retry the first command until it does. -N: never start a
    // server of its own (outside the namespace) when the namespaced one is not there or has died.
    await this.until('the first session', () => {
      const r = spawnSync(
        'tmux',
        [
          '-N',
          '-S',
          this.sock,
          'new-session',
          '-d',
          '-s',
          'main',
          '-x',
          String(width),
          '-y',
          String(height),
          'sleep 86400',
        ],
        { stdio: 'ignore' },
      );
      return r.status === 0;
    });
    this.tmux('set-option', '-g', 'default-size', `${width}x${height}`);
    this.tmux('set-option', '-g', 'remain-on-exit', 'off');
  }

  /** Runs a tmux command against this server (never starting one: -N); returns its stdout. */
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-N', '-S', this.sock, ...args], { encoding: 'utf8' });
  }

  /** Opens a window running `command` (through sh). */
  window(name: string, command: string): void {
    this.tmux('new-window', '-d', '-n', name, command);
  }

  /** The screen of a window as text (attributes dropped unless `escapes`). */
  capture(name: string, escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', name);
  }

  /** Types literal text into a window. */
  type(name: string, text: string): void {
    this.tmux('send-keys', '-t', name, '-l', text);
  }

  /** Sends named keys (Enter, Escape, Space, Down, C-t, …). */
  keys(name: string, ...keys: string[]): void {
    this.tmux('send-keys', '-t', name, ...keys);
  }

  /** Polls until `ok` holds (30 s deadline); throws with `what` and the last screen otherwise. */
  async until(what: string, ok: () => boolean, screenOf?: string): Promise<void> {
    const end = Date.now() + DEADLINE_MS;
    for (;;) {
      let good = false;
      try {
        good = ok();
      } catch {
        good = false;
      }
      if (good) return;
      if (Date.now() > end) {
        let screen = '';
        if (screenOf) {
          try {
            screen = this.capture(screenOf);
          } catch {
            screen = '(no screen)';
          }
        }
        throw new Error(`timed out waiting for ${what}\n${screen}`);
      }
      await sleep(50);
    }
  }

  /** Waits until the window's screen satisfies `test`; returns that screen. */
  async screen(name: string, what: string, test: (screen: string) => boolean): Promise<string> {
    let last = '';
    await this.until(
      what,
      () => {
        last = this.capture(name);
        return test(last);
      },
      name,
    );
    return last;
  }

  /** The lines a victim recorded (`ready`, then one signal number a line). */
  record(file: string): string[] {
    try {
      return readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** Ends the server and with it the namespace; removes the folder. */
  async stop(): Promise<void> {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    const s = this.server;
    if (s && s.exitCode === null && s.signalCode === null) {
      const gone = new Promise<void>((r) => s.once('exit', () => r()));
      const t = setTimeout(() => s.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(t);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
