/**
 * `--explain` in the CLI: the narration goes to stderr, in chunks (flushed before every message of the run itself,
 * before a wait, and at the end), and the run's own writes and its exit are added as strace would show them.
 */
import type { Output } from '../cli/output.js';
import type { ExplainOptions } from './session.js';
import { quote } from './strace.js';

/** Flush the narration once this many bytes are waiting. */
const CHUNK = 16384;

/**
 * Runs `body` with an Output that narrates each write and an `explain` option that collects the narration; returns
 * its exit status after the reconstructed `exit_group` lines.
 */
export async function runExplained<IO extends { readonly out: Output }>(
  all: boolean,
  io: IO,
  body: (io: IO, explain: ExplainOptions) => Promise<number>,
): Promise<number> {
  const real = io.out;
  let pending: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    size = 0;
    // The lines are text (a suggestion may hold printable non-ASCII characters): written as UTF-8.
    real.write(2, Buffer.from(text, 'utf8'));
  };
  const push = (line: string): void => {
    pending.push(line);
    size += line.length + 1;
    if (size >= CHUNK) flush();
  };
  let held = (): void => {};
  const out: Output = {
    write(fd, data) {
      held();
      flush();
      real.write(fd, data);
      const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      push(`write(${fd}, ${quote(b)}, ${b.length}) = ${b.length}`);
    },
  };
  const explain: ExplainOptions = {
    all,
    attach: (f) => {
      held = f;
    },
    onEvent: (e) => {
      push(e.line);
      if (e.type === 'pause') flush();
    },
  };
  const status = await body({ ...io, out }, explain);
  push('# reconstructed: Node exits with this status after its own clean-up; not observed');
  push(`exit_group(${status}) = ?`);
  push(`+++ exited with ${status} +++`);
  flush();
  return status;
}
