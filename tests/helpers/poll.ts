/** Outcome waits for the namespace runners: poll a condition until it holds or a generous deadline passes. */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves true as soon as `test()` holds, false when it still does not after `ms` (checked once more at the end). */
export async function until(test: () => boolean, ms: number, everyMs = 5): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await sleep(everyMs);
  }
  return test();
}

/**
 * How `child` ended: its exit code, or `signal NAME` when a signal ended it. When it is still running after `ms`, it
 * is SIGKILLed and the result is 'timeout'.
 */
export function exitOrKill(child: ChildProcess, ms: number): Promise<number | string> {
  return new Promise<number | string>((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('timeout');
    }, ms);
    child.on('close', (code, signal) => {
      clearTimeout(t);
      resolve(code ?? `signal ${signal}`);
    });
  });
}
