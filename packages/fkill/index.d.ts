/** fkill's options. */
export type Options = {
  /**
   * Force kill the processes (SIGKILL).
   * @default false
   */
  readonly force?: boolean;

  /**
   * SIGKILL the processes that did not exit within this many milliseconds of SIGTERM.
   * @default undefined
   */
  readonly forceAfterTimeout?: number;

  /**
   * Kill all child processes along with each process. On Linux (killall-ts) children first, off by default; on
   * Windows (the original fkill) on by default; ignored elsewhere.
   */
  readonly tree?: boolean;

  /**
   * Ignore capitalization when killing a process by name.
   * @default false
   */
  readonly ignoreCase?: boolean;

  /**
   * Suppress all error messages. For example: `Process doesn't exist`.
   * @default false
   */
  readonly silent?: boolean;

  /**
   * Wait up to this many milliseconds for the processes to exit before returning; then an error (unless `silent`).
   * @default undefined
   */
  readonly waitForExit?: number;
};

/**
 * Kills processes by PID, name or port (`:8080`), one or an array (fkill 10's API). On Linux this is killall-ts's
 * drop-in: nothing spawned, every signal through a pin of the process selected. Elsewhere the original fkill runs.
 * @param input One or more process IDs, names or ports (a port is prefixed with a colon: `:8080`).
 */
export default function fkill(input: number | string | ReadonlyArray<string | number>, options?: Options): Promise<void>;
