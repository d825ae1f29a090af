/** Options of {@link pidtree}. */
export type Options = {
  /**
   * Include the given PID in the list. Ignored with -1.
   * @default false
   */
  root?: boolean;
};

/** An entry with `advanced`. */
export type AdvancedResult = {
  /** PID of the parent. */
  ppid: number;
  /** PID. */
  pid: number;
};

/** An entry without `advanced`. */
export type Result = number;

/**
 * The descendants of a PID (pidtree 1.0's API). On Linux this is killall-ts's drop-in: one pass over /proc,
 * nothing spawned. Elsewhere the original pidtree runs.
 * @param pid A PID; -1 lists every process.
 * @param callback Called when the list is ready.
 */
declare function pidtree(pid: string | number, callback: (error: Error | undefined, result: Result[]) => void): void;

/**
 * The descendants of a PID.
 * @param pid A PID; -1 lists every process.
 * @param options Options object.
 * @param callback Called when the list is ready.
 */
declare function pidtree(
  pid: string | number,
  options: Options,
  callback: (error: Error | undefined, result: Result[]) => void,
): void;

/**
 * The descendants of a PID, with their parents.
 * @param pid A PID; -1 lists every process.
 * @param options Options object.
 * @param callback Called when the list is ready.
 */
declare function pidtree(
  pid: string | number,
  options: Options & { advanced: true },
  callback: (error: Error | undefined, result: AdvancedResult[]) => void,
): void;

/**
 * The descendants of a PID.
 * @param pid A PID; -1 lists every process.
 * @param options Optional options object.
 * @returns A promise of the list.
 */
declare function pidtree(pid: string | number, options?: Options): Promise<Result[]>;

/**
 * The descendants of a PID, with their parents.
 * @param pid A PID; -1 lists every process.
 * @param options Options object.
 * @returns A promise of the list.
 */
declare function pidtree(pid: string | number, options: Options & { advanced: true }): Promise<AdvancedResult[]>;

export default pidtree;
export { pidtree };
