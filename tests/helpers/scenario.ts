/** One victim of a scenario. */
export interface VictimSpec {
  /** Name in results. */
  readonly label: string;
  /** File name the victim is started as (its comm, cut to 15 bytes). Shared files are made once. */
  readonly exe: string;
  /** argv[0]; defaults to the exe path. */
  readonly argv0?: string;
  /** Extra victim options: --comm NAME, --fork NAME, --zombie NAME, --stay. */
  readonly args?: readonly string[];
  /** A real copy of the victim binary instead of a symlink (its own inode). */
  readonly copy?: boolean;
  /** A `#!/bin/sh` script victim that blocks on a FIFO (it records nothing; its exit signal tells). */
  readonly script?: boolean;
  /** Start in its own session and process group. */
  readonly detached?: boolean;
  /** Run as user nobody. */
  readonly nobody?: boolean;
  /** Extra arguments of this many KiB each (a huge cmdline). */
  readonly padArgsKiB?: readonly number[];
  /** Start it in a nested PID namespace of its own (through `unshare --pid --fork`). */
  readonly nested?: boolean;
  /** Pause after starting this victim (for ages). */
  readonly delayAfterMs?: number;
}

/** A differential scenario: the same victims, then one killall command. */
export interface Scenario {
  readonly victims: readonly VictimSpec[];
  /** killall's arguments; `{dir}` is replaced by the scenario folder, `{pid:LABEL}` by that victim's PID. */
  readonly args: readonly string[];
  /** Text for killall's stdin; null closes it at once; undefined leaves it open. */
  readonly stdin?: string | null;
  readonly env?: Readonly<Record<string, string>>;
  readonly asNobody?: boolean;
  readonly cwd?: 'bin' | 'dir';
  readonly timeoutMs?: number;
  /** Make the namespace's init (the runner) lead process group 1, so that non-detached victims are in group 1. */
  readonly groupOne?: boolean;
  /** Remount /proc with these options (e.g. `hidepid=1`) before starting victims. */
  readonly procOptions?: string;
  /** Leave /proc empty (unmounted, with an empty tmpfs over it) after starting the victims. */
  readonly unmountProc?: boolean;
  /** Put another PID namespace's procfs at /proc: a nested namespace's, or the host's (unmounting ours). */
  readonly foreignProc?: 'nested' | 'host';
  /**
   * Once killall shows its first `-i` prompt: SIGKILL victim `kill` (and reap it), optionally start `reuse` with the
   * same PID (forced through ns_last_pid), then answer `answer` on stdin.
   */
  readonly whilePrompted?: { readonly kill: string; readonly reuse?: VictimSpec; readonly answer: string };
  /**
   * A timing precondition (for `-y`/`-o`): victim `label` must be younger than `ms` for as long as killall runs.
   * runBoth repeats a pair of runs in which load broke it (the runner reports an upper bound of each age).
   */
  readonly youngDuringRun?: { readonly label: string; readonly ms: number };
}

/** What one victim got. */
export interface VictimResult {
  /** The signals it handled, in order (the harness's sentinel and, for parents, SIGCHLD left out). */
  readonly signals: readonly number[];
  /**
   * Its fate once killall returned (not for --fork/--churn children): `alive`, `stopped`, `code N` or the name of
   * the signal that ended it; `undecided` if none of these came within the runner's deadline (a harness failure).
   */
  readonly exit?: string;
}

/** What one run produced. */
export interface RunResult {
  readonly rc: number | string;
  readonly stdout: string;
  readonly stderr: string;
  readonly victims: Readonly<Record<string, VictimResult>>;
  readonly elapsedMs: number;
  /** Each victim's PID (not compared between runs). */
  readonly pids: Readonly<Record<string, number>>;
  /** Per victim, an upper bound of its age while killall ran: from before its spawn to killall's end (not compared). */
  readonly ageBoundMs: Readonly<Record<string, number>>;
}
