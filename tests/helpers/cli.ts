/** Runs the CLI in-process over a given System (usually a FakeSystem), capturing stdout and stderr as latin1. */
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run.js';
import type { System } from '../../src/system.js';

export async function runCliOn(
  system: System,
  args: readonly string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: Record<1 | 2, string> = { 1: '', 2: '' };
  const code = await runCli(args, {
    out: {
      write: (fd, d) => {
        out[fd] += typeof d === 'string' ? d : Buffer.from(d).toString('latin1');
      },
    },
    stdin: () => {
      const s = new PassThrough();
      s.end(stdin);
      return s;
    },
    env: {},
    system,
    version: '9.9.9',
  });
  return { code, stdout: out[1], stderr: out[2] };
}
