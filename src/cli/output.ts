import { writeSync } from 'node:fs';
import { codeOf } from '../text/strerror.js';

/** Where the CLI writes: one write(2) per message, as psmisc's unbuffered stderr does. */
export interface Output {
  /** Writes all of `data` to fd 1 or 2; after EPIPE on a stream, further writes to it are dropped. */
  write(fd: 1 | 2, data: string | Uint8Array): void;
}

/**
 * Writes straight to the fds: one write(2) for a whole message, retried on partial writes and EAGAIN (a
 * non-blocking pipe inherited from the parent). EPIPE ends output to that fd quietly; other errors propagate.
 */
export function fdOutput(): Output {
  const broken = new Set<number>();
  return {
    write(fd, data) {
      if (broken.has(fd)) return;
      const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      let off = 0;
      let spins = 0;
      while (off < buf.length) {
        try {
          off += writeSync(fd, buf, off, buf.length - off);
        } catch (e) {
          const code = codeOf(e);
          if (code === 'EPIPE') {
            broken.add(fd);
            return;
          }
          if (code === 'EAGAIN' && spins++ < 100_000) continue;
          throw e;
        }
      }
    },
  };
}
