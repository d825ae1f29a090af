import type { Readable } from 'node:stream';
import { KillallError } from '../errors.js';
import { killall, type Target } from '../killall.js';
import { renderSignalList } from '../signal/signals.js';
import type { System } from '../system.js';
import { strerror } from '../text/strerror.js';
import { parseArgv } from './argv.js';
import type { Output } from './output.js';
import { ask, LineSource } from './prompt.js';
import {
  failedLine,
  killedLine,
  notFoundLine,
  partialLine,
  promptText,
  refusedLine,
  unreadableLine,
} from './report.js';
import { renderUsage, renderVersion } from './usage.js';

/** What the CLI needs from its process: streams, environment and the OS seam. */
export interface CliIo {
  readonly out: Output;
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
  readonly version: string;
}

/** psmisc's messages for the library's fatal errors. */
export function fatalMessage(e: KillallError): string {
  switch (e.code) {
    case 'PROC_UNAVAILABLE':
      return 'killall: /proc lacks process entries (not mounted ?)';
    case 'PROC_UNREADABLE':
      return `/proc: ${strerror(e.detail)}`;
    case 'BAD_REGEX':
      return `killall: Bad regular expression: ${e.detail}`;
    case 'BAD_PATH':
      return `${e.subject}: ${strerror(e.detail)}`;
    case 'NO_UID':
      return 'killall: Cannot get UID from process status';
    case 'NO_UPTIME':
      return 'killall: error opening uptime file';
    case 'RESOURCE':
      return `killall: cannot read /proc: ${strerror(e.detail)}`;
    default:
      return `killall: ${e.message}`;
  }
}

/** Runs killall with argv as byte strings (without the program name); returns the exit status. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const { out } = io;
  // --pick (issue 11), interim until the extension parser lands: only as the first argument (psmisc rejects it
  // with its usage there), loaded from its own bundle so that plain runs never parse it.
  if (args[0] === '--pick') return (await import('./pick/cli.js')).runPickCli(args.slice(1), io);
  const parsed = parseArgv(args, {
    posixlyCorrect: io.env.POSIXLY_CORRECT !== undefined,
    lookupUser: (name) => io.system.lookupUser(name),
  });
  switch (parsed.kind) {
    case 'usage':
      out.write(2, renderUsage(parsed.message));
      return 1;
    case 'list':
      out.write(1, renderSignalList());
      return 0;
    case 'version':
      out.write(2, renderVersion(io.version));
      return 0;
    case 'fail':
      out.write(2, `${parsed.message}\n`);
      return 1;
  }
  const o = parsed.options;
  let lines: LineSource | null = null;
  const confirm = o.interactive
    ? (t: Target, signal: number): Promise<boolean> => {
        lines ??= new LineSource(io.stdin());
        return ask(lines, () => out.write(1, promptText(t, signal)));
      }
    : undefined;
  try {
    const report = await killall({
      system: io.system,
      names: o.names.map((n) => Buffer.from(n, 'latin1')),
      regexp: o.regexp,
      exact: o.exact,
      ignoreCase: o.ignoreCase,
      ...(o.user ? { user: o.user.uid } : {}),
      ...(o.youngerThan !== undefined ? { youngerThan: o.youngerThan } : {}),
      ...(o.olderThan !== undefined ? { olderThan: o.olderThan } : {}),
      namespacePid: o.nsPid,
      ...(o.context !== undefined ? { context: o.context } : {}),
      kernelThreads: true,
      excludeAncestors: false,
      processGroup: o.processGroup,
      signal: o.signal,
      ...(confirm ? { confirm } : {}),
      wait: o.wait,
      onEvent: (e) => {
        switch (e.type) {
          case 'partial':
            if (o.verbose) out.write(2, partialLine(e.pid, e.comm));
            break;
          case 'signalled':
            if (o.verbose) out.write(2, killedLine(e.target, e.signal));
            break;
          case 'failed':
            out.write(2, failedLine(e.target, e.code));
            break;
          case 'refused':
            out.write(2, refusedLine(e.target));
            break;
          case 'scanned':
            if (!o.quiet) {
              e.report.names.forEach((n, i) => {
                if (!n.found) out.write(2, notFoundLine(o.names[i]!));
              });
              if (!e.report.ok && e.report.unreadable > 0) out.write(2, unreadableLine(e.report.unreadable));
            }
            break;
        }
      },
    });
    return report.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof KillallError) {
      out.write(2, `${fatalMessage(e)}\n`);
      return 1;
    }
    throw e;
  } finally {
    (lines as LineSource | null)?.close();
  }
}
