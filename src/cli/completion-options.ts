/** What the completion scripts of the three shells share: the options as they see them, the units, the header. */
import { TIME_UNITS as TIME_SECONDS } from '../match/age.js';
import { UNIT_MS } from '../text/duration.js';
import { type ArgKind, EXTENSION_OPTIONS, PSMISC_OPTIONS } from './options.js';

/** The shells a completion script is generated for. */
export type Shell = 'bash' | 'zsh' | 'fish';

/** The shells, in the order they are documented. */
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** One option as the completion scripts see it. */
export interface CompletionOption {
  readonly short?: string;
  readonly long: string;
  /** What its argument is; `optional` arguments are only ever given as `--name=ARG`. */
  readonly arg?: { readonly kind: ArgKind; readonly optional: boolean; readonly values?: readonly string[] };
  readonly help: string;
  /** psmisc's table (one-dash long forms and prefixes) or an extension (`--name` only). */
  readonly psmisc: boolean;
}

/** The options to complete, from the table: psmisc's, then the extensions. */
export function completionOptions(): CompletionOption[] {
  return [
    ...PSMISC_OPTIONS.map(
      (o): CompletionOption => ({
        short: o.short,
        long: o.long,
        ...(o.arg ? { arg: { kind: o.arg.kind, optional: false } } : {}),
        help: o.help,
        psmisc: true,
      }),
    ),
    ...EXTENSION_OPTIONS.map(
      (o): CompletionOption => ({
        ...(o.short ? { short: o.short } : {}),
        long: o.long,
        ...(o.arg
          ? {
              arg: {
                kind: o.arg.kind,
                optional: o.arg.mode === 'optional',
                ...(o.arg.values ? { values: o.arg.values } : {}),
              },
            }
          : {}),
        help: o.help,
        psmisc: false,
      }),
    ),
  ];
}

/** The units offered after a number: psmisc's TIME units, and the DURATION units of the extensions. */
export const TIME_UNITS: readonly string[] = Object.keys(TIME_SECONDS);
export const DURATION_UNITS: readonly string[] = Object.keys(UNIT_MS);

/** The first line's note of every generated script. */
export const HEADER = 'generated from the option table of killall-ts; regenerate, do not edit';

// How each argument kind completes, as the shell-neutral word the scripts dispatch on.
export function kindWord(a: NonNullable<CompletionOption['arg']>): string {
  return a.kind === 'choice' ? `choice:${(a.values ?? []).join(',')}` : a.kind;
}
