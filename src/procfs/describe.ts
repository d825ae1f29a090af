import type { ProcReader } from './reader.js';

/** What `--dry-run` and `--json` show about a process besides its name: its real user and its command line. */
export interface ProcessDetails {
  /** The real UID, or undefined when `status` could not be read. */
  readonly uid?: number;
  /** The command line, NUL-separated arguments as the kernel gives them (the final NUL dropped), at most 64 KiB. */
  readonly cmdline?: Uint8Array;
}

/** The most cmdline bytes kept for display. */
export const DETAIL_CMDLINE_CAP = 65536;

/**
 * Reads the real UID and the command line of a process directory (a pin's `/proc/self/fd/N`, so that both belong
 * to the pinned instance). Two small reads; only for `--dry-run`, `--json` and the library's `details`.
 */
export function readDetails(reader: ProcReader, dir: string): ProcessDetails {
  const uid = reader.readUid(dir);
  const len = reader.readFile(`${dir}/cmdline`, DETAIL_CMDLINE_CAP);
  let cmdline: Uint8Array | undefined;
  if (typeof len === 'number') {
    const end = len > 0 && reader.buf[len - 1] === 0 ? len - 1 : len;
    cmdline = Buffer.from(reader.buf.subarray(0, end));
  }
  return { ...(typeof uid === 'number' ? { uid } : {}), ...(cmdline ? { cmdline } : {}) };
}
