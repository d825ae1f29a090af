import { renderCompletion, type Shell } from './completion.js';
import { renderHelp } from './help.js';
import type { KillallTsAction } from './killall-ts.js';
import type { Output } from './output.js';

/**
 * What only `killall-ts` prints: the full help and the completion scripts. Loaded only when one of them is asked
 * for (the CLI bundle loads it as a separate file), so a plain run never parses it.
 */
export function runKillallTsAction(action: KillallTsAction, out: Output): number {
  switch (action.kind) {
    case 'help':
      out.write(1, renderHelp());
      return 0;
    case 'completion':
      out.write(1, renderCompletion(action.shell as Shell));
      return 0;
    case 'bad-completion':
      out.write(
        2,
        action.shell === undefined
          ? 'killall-ts: --generate-completion needs a shell: bash, zsh or fish\n'
          : `killall-ts: --generate-completion: unknown shell '${action.shell}' (bash, zsh or fish)\n`,
      );
      return 1;
  }
}
