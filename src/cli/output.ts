import { writeSync } from 'node:fs';
import { loadLibc } from '../system.js';
import { codeOf } from '../text/strerror.js';

/** Where the CLI writes: one write(2) per message, as psmisc's unbuffered stderr does. */
export interface Output {
  /** Writes all of `data` to fd 1 or 2; after EPIPE on a stream, further writes to it are dropped. */
  write(fd: 1 | 2, data: string | Uint8Array): void;
}

/** How long a write waits for an output that takes no byte (a non-blocking pipe nobody reads) before giving up. */
export const WRITE_STALL_MS = 10_000;

const POLLOUT = 4;
let pollFn: ((fds: Uint8Array, n: number, ms: number) => number) | null | undefined;

/**
 * Waits until `fd` takes bytes again, for at most `ms`: poll(2) for POLLOUT through the C library when koffi is there,
 * else a sleep (Atomics.wait) of at most 50 ms. Never a busy loop.
 */
export function waitWritable(fd: number, ms: number): void {
  if (pollFn === undefined) {
    const c = loadLibc();
    try {
      pollFn = c ? (c.func('int poll(void *, unsigned long, int)') as unknown as typeof pollFn) : null;
    } catch {
      pollFn = null;
    }
  }
  if (pollFn) {
    const pfd = new Uint8Array(8);
    new DataView(pfd.buffer).setInt32(0, fd, true);
    new DataView(pfd.buffer).setInt16(4, POLLOUT, true);
    pollFn(pfd, 1, Math.max(0, Math.ceil(ms)));
    return;
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(50, ms));
}

/**
 * Writes straight to the fds: one write(2) for a whole message, retried on partial writes. On EAGAIN (a
 * non-blocking pipe inherited from the parent, full) it waits for the fd to take bytes ({@link waitWritable}); after
 * {@link WRITE_STALL_MS} without a byte taken, output to that fd is dropped, as after EPIPE, which ends it quietly.
 * Other errors propagate. `beforeWrite` runs before every write (the CLI lowers a raised send loop there).
 */
export function fdOutput(beforeWrite?: () => void): Output {
  const broken = new Set<number>();
  return {
    write(fd, data) {
      if (broken.has(fd)) return;
      beforeWrite?.();
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      let off = 0;
      let stalledSince: number | undefined;
      while (off < buf.length) {
        try {
          off += writeSync(fd, buf, off, buf.length - off);
          stalledSince = undefined;
        } catch (e) {
          const code = codeOf(e);
          if (code === 'EPIPE') {
            broken.add(fd);
            return;
          }
          if (code !== 'EAGAIN') throw e;
          const now = Date.now();
          stalledSince ??= now;
          const left = stalledSince + WRITE_STALL_MS - now;
          if (left <= 0) {
            broken.add(fd);
            return;
          }
          waitWritable(fd, left);
        }
      }
    },
  };
}
