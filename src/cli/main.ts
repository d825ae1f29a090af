import { readFileSync } from 'node:fs';
import { realSystem } from '../system.js';
import { fdOutput } from './output.js';
import { cliPolicy } from './process-policy.js';
import { runCli } from './run.js';

declare const KILLALL_TS_VERSION: string;
const version = typeof KILLALL_TS_VERSION === 'string' ? KILLALL_TS_VERSION : '0.0.0-dev';

/**
 * argv as byte strings (one latin1 char per byte). Node decodes argv as UTF-8; only when that lost bytes (U+FFFD
 * appears) are the raw bytes read back from /proc/self/cmdline, whose last entries are our arguments.
 */
function rawArgs(): string[] {
  const args = process.argv.slice(2);
  if (!args.some((a) => a.includes('\uFFFD')))
    return args.map((a) => Buffer.from(a, 'utf8').toString('latin1'));
  try {
    const all = readFileSync('/proc/self/cmdline').toString('latin1').split('\0');
    all.pop();
    return all.slice(all.length - args.length);
  } catch {
    return args.map((a) => Buffer.from(a, 'utf8').toString('latin1'));
  }
}

/**
 * The invoked name: bin/killall-ts runs dist/killall-ts.cjs, a stub that requires this bundle, so the entry script
 * Node was started with (argv[1]) names the command. Everything else is `killall`, psmisc's behaviour.
 */
const programName = process.argv[1]?.endsWith('killall-ts.cjs') ? 'killall-ts' : 'killall';

const policy = cliPolicy(process.env);
// Nothing is written while a send loop runs raised: every write lowers it first.
const out = fdOutput(policy.raise.lower);
// Set once the run reads stdin (-i, --pick): Node then ends as usual (it restores a terminal at exit).
let stdinUsed = false;
runCli(rawArgs(), {
  programName,
  out,
  stdin: () => {
    stdinUsed = true;
    return process.stdin;
  },
  env: process.env,
  system: realSystem,
  policy,
  version,
  isTerminal: () => process.stdin.isTTY === true && process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
    // Every line is written (synchronously): after a signal was sent, end at once (see exitNow).
    if (!stdinUsed) policy.exitNow(code);
  },
  (e: unknown) => {
    // Never a stack trace: one line, exit 1.
    out.write(2, `killall: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
