/** Outcome waits for the namespace runners: poll a condition until it holds or a generous deadline passes. */
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
