import type { Criteria } from '../killall.js';
import type { CliOptions } from './argv.js';

/**
 * The library's selection from parsed options (NAMEs, `-r`, `-e`, `-I`, `-u`, `-o`, `-y`, `-n`, `-Z`): shared by
 * a plain run and the picker, which differ only in kernel threads and ancestors.
 */
export function criteriaOf(
  o: CliOptions,
  scope: { readonly kernelThreads: boolean; readonly excludeAncestors: boolean },
): Criteria {
  return {
    names: o.names.map((n) => Buffer.from(n, 'latin1')),
    regexp: o.regexp,
    exact: o.exact,
    ignoreCase: o.ignoreCase,
    ...(o.user ? { user: o.user.uid } : {}),
    ...(o.youngerThan !== undefined ? { youngerThan: o.youngerThan } : {}),
    ...(o.olderThan !== undefined ? { olderThan: o.olderThan } : {}),
    namespacePid: o.nsPid,
    ...(o.context !== undefined ? { context: o.context } : {}),
    ...scope,
  };
}
