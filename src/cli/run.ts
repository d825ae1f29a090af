import type { Readable } from 'node:stream';
import { KillallError } from '../errors.js';
import { runExplained } from '../explain/cli.js';
import type { ExplainOptions } from '../explain/index.js';
import { type KillReport, killallPsmiscSignals, type Target } from '../killall.js';
import type { MassSignalPolicy } from '../signal/policy.js';
import { renderSignalList } from '../signal/signals.js';
import type { System } from '../system.js';
import { strerror } from '../text/strerror.js';
import { type CliOptions, parseArgv } from './argv.js';
import { criteriaOf } from './criteria.js';
import { errorDocument, runDocument, serialize } from './json.js';
import { killallTsAction, type ProgramName } from './killall-ts.js';
import type { Output } from './output.js';
import { ask, LineSource } from './prompt.js';
import {
  dryRunLine,
  escalatedLine,
  escalationFailedLine,
  failedLine,
  killedDescendantLine,
  killedLine,
  notFoundLine,
  partialLine,
  promptText,
  refusedLine,
  stillRunningLine,
  treePromptText,
  unreadableLine,
} from './report.js';
import { renderUsage, renderVersion } from './usage.js';

/** What the CLI needs from its process: streams, environment and the OS seam. */
export interface CliIo {
  readonly out: Output;
  readonly stdin: () => Readable;
  readonly env: NodeJS.ProcessEnv;
  readonly system: System;
  /**
   * What a mass signal may do to the process (src/cli/process-policy.ts): passed to the library for plain runs
   * (never under `--explain`); without it every run sends as it scans.
   */
  readonly policy?: MassSignalPolicy;
  readonly version: string;
  /** The name the program was invoked as (default `killall`: psmisc's behaviour, byte for byte). */
  readonly programName?: ProgramName;
  /** Whether stdin and stdout are both terminals (`killall-ts` alone opens the picker then). @default false */
  readonly isTerminal?: () => boolean;
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
  const env = {
    posixlyCorrect: io.env.POSIXLY_CORRECT !== undefined,
    lookupUser: (name: string) => io.system.lookupUser(name),
  };
  const asKillallTs = io.programName === 'killall-ts';
  if (asKillallTs) {
    // psmisc's option loop gets past some options when they (and a NAME) parse to a run.
    const reached = (before: readonly string[]) => parseArgv([...before, '--', 'x'], env).kind === 'run';
    const action = killallTsAction(args, env.posixlyCorrect, reached);
    if (action) return (await import('./extras.js')).runKillallTsAction(action, out);
    // `killall-ts` alone on a terminal opens the picker over every process; elsewhere psmisc's usage, as killall.
    if (args.length === 0 && io.isTerminal?.()) return runPick(undefined, io);
  }
  const parsed = parseArgv(args, env);
  switch (parsed.kind) {
    case 'usage':
      out.write(2, renderUsage(parsed.message));
      if (parsed.json) writeJson(out, errorDocument('USAGE', parsed.message ?? 'usage error'));
      return 1;
    case 'list':
      out.write(1, renderSignalList());
      return 0;
    case 'version':
      // psmisc prints its version on stderr; killall-ts on stdout, as GNU tools do.
      out.write(asKillallTs ? 1 : 2, renderVersion(io.version));
      return 0;
    case 'fail':
      out.write(2, `${parsed.message}\n`);
      if (parsed.json) writeJson(out, errorDocument('BAD_OPTION', parsed.message));
      return 1;
  }
  const o = parsed.options;
  if (o.pick) return runPick(o, io);
  try {
    return await (o.explain
      ? runExplained(o.explain === 'all', io, (x, e) => runParsed(o, x, e))
      : runParsed(o, io));
  } catch (e) {
    if (o.json) writeJson(out, errorDocument('INTERNAL', e instanceof Error ? e.message : String(e)));
    throw e;
  }
}

/** The picker, from its own bundle (dist/pick.cjs), so that plain runs never parse it. */
async function runPick(o: CliOptions | undefined, io: CliIo): Promise<number> {
  return (await import('./pick/cli.js')).runPickCli(o, io);
}

const writeJson = (out: Output, doc: Record<string, unknown>): void =>
  out.write(1, Buffer.from(serialize(doc), 'utf8'));

/** The CLI's exit status for a report: psmisc's rule, and 1 when an escalation failed or a wait timed out. */
export function exitStatus(r: KillReport): number {
  return r.ok ? 0 : 1;
}

async function runParsed(o: CliOptions, io: CliIo, explain?: ExplainOptions): Promise<number> {
  const { out } = io;
  const human = !o.json;
  // With --json stdout carries the document only: prompts go to stderr.
  const promptFd = o.json ? 2 : 1;
  const userName = (uid: number): string | undefined => io.system.userName?.(uid);
  let lines: LineSource | null = null;
  const confirm = o.interactive
    ? (t: Target, signal: number): Promise<boolean> => {
        lines ??= new LineSource(io.stdin());
        return ask(lines, () =>
          out.write(promptFd, o.tree ? treePromptText(t, signal) : promptText(t, signal)),
        );
      }
    : undefined;
  try {
    const report = await killallPsmiscSignals(
      {
        system: io.system,
        ...criteriaOf(o, { kernelThreads: true, excludeAncestors: false }),
        processGroup: o.processGroup,
        signal: o.signal,
        ...(confirm ? { confirm } : {}),
        // --timeout bounds -w's wait, or the wait after --kill-after's SIGKILL (which waits anyway).
        wait: o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : o.wait,
        ...(o.killAfterMs !== undefined ? { killAfter: o.killAfterMs } : {}),
        dryRun: o.dryRun,
        tree: o.tree,
        details: o.dryRun || o.json,
        ...(explain ? { explain } : {}),
        onEvent: (e) => {
          if (!human) return;
          switch (e.type) {
            case 'partial':
              if (o.verbose) out.write(2, partialLine(e.pid, e.comm));
              break;
            case 'signalled':
              if (o.verbose)
                out.write(
                  2,
                  e.target.descendantOf !== undefined
                    ? killedDescendantLine(e.target, e.signal)
                    : killedLine(e.target, e.signal),
                );
              break;
            case 'planned':
              out.write(
                1,
                dryRunLine(e.target, e.signal, {
                  ...(o.killAfterMs !== undefined ? { killAfterMs: o.killAfterMs } : {}),
                  userName,
                }),
              );
              break;
            case 'escalated':
              if (o.verbose) out.write(2, escalatedLine(e.target, e.afterMs));
              break;
            case 'escalation-failed':
              out.write(2, escalationFailedLine(e.target, e.code));
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
                if (!e.report.ok && e.report.unreadable > 0)
                  out.write(2, unreadableLine(e.report.unreadable));
              }
              break;
          }
        },
      },
      // An explained run narrates process by process: it sends as it scans.
      explain ? undefined : io.policy,
    );
    if (human && report.wait?.timedOut) {
      const ms = o.timeoutMs ?? report.wait.elapsedMs;
      for (const t of report.stillRunning) out.write(2, stillRunningLine(t, ms));
    }
    const status = exitStatus(report);
    if (o.json) writeJson(out, runDocument(o, report, status, userName));
    return status;
  } catch (e) {
    if (e instanceof KillallError) {
      out.write(2, `${fatalMessage(e)}\n`);
      if (o.json) writeJson(out, errorDocument(e.code, fatalMessage(e)));
      return 1;
    }
    throw e;
  } finally {
    (lines as LineSource | null)?.close();
  }
}
