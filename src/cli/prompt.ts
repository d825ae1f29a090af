import type { Readable } from 'node:stream';
import { lazyRequire } from '../lazy.js';

/** Lines from a stream, one at a time; null once the stream has ended. Never reads stdin synchronously. */
export class LineSource {
  private readonly lines: string[] = [];
  private ended = false;
  private waiter: (() => void) | null = null;
  private readonly rl;

  constructor(input: Readable) {
    const { createInterface } = lazyRequire('node:readline') as typeof import('node:readline');
    this.rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });
    this.rl.on('line', (l) => {
      this.lines.push(l);
      this.wake();
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.wake();
    });
    input.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The next line without its newline, or null at end of input (or on a read error). */
  async next(): Promise<string | null> {
    for (;;) {
      const l = this.lines.shift();
      if (l !== undefined) return l;
      if (this.ended) return null;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  /** Stops reading so the process can exit. */
  close(): void {
    this.rl.close();
  }
}

/** rpmatch() in the C locale as psmisc uses it: yes, no, or ask again. An empty line is psmisc's default, no. */
export function classifyAnswer(line: string | null): 'yes' | 'no' | 'again' {
  if (line === null || line === '') return 'no';
  if (/^[yY]/.test(line)) return 'yes';
  if (/^[nN]/.test(line)) return 'no';
  return 'again';
}

/** Asks until the answer is yes or no: `show` prints the prompt (again on each retry). */
export async function ask(source: LineSource, show: () => void): Promise<boolean> {
  for (;;) {
    show();
    const a = classifyAnswer(await source.next());
    if (a !== 'again') return a === 'yes';
  }
}
