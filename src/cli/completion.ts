import { bashScript } from './completion-bash.js';
import { fishScript } from './completion-fish.js';
import { completionOptions, type Shell } from './completion-options.js';
import { zshScript } from './completion-zsh.js';

export {
  type CompletionOption,
  completionOptions,
  DURATION_UNITS,
  SHELLS,
  type Shell,
  TIME_UNITS,
} from './completion-options.js';

/**
 * The shell completion scripts of `killall-ts --generate-completion bash|zsh|fish`, generated from the option table
 * (src/cli/options.ts). What they complete:
 * - options, long and short (psmisc's one-dash long forms are accepted when reading what was typed, not offered);
 * - SIGNAL names after `-s`/`--signal`, and `-NAME` where a word starts with `-` and an uppercase letter;
 * - users after `-u`, PIDs after `-n`, the units after a number for TIME (`-y`/`-o`) and DURATION;
 * - for NAME positions, the process names in /proc (each comm, and psmisc's long name from cmdline for a comm of
 *   15 or 63 bytes; names with a `/` are left out, as such a NAME is a path), and `:PORT` from the sockets in
 *   /proc/net/{tcp,tcp6,udp,udp6} (listening TCP, bound UDP) where a word starts with `:`.
 * Everything is read by the shell itself from /proc: no process of ours runs at completion time.
 */

/** The completion script for `shell` (ends with a newline). */
export function renderCompletion(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return bashScript(completionOptions());
    case 'zsh':
      return zshScript(completionOptions());
    case 'fish':
      return fishScript(completionOptions());
  }
}

/** The file name each shell looks for: bash-completion's and fish's `killall-ts[.ext]`, zsh's `_killall-ts`. */
export function completionFileName(shell: Shell): string {
  return shell === 'zsh' ? '_killall-ts' : `killall-ts.${shell}`;
}
