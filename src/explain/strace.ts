/**
 * strace's line format, as pure functions: C-escaped strings cut at 32 bytes, symbolic flags, signal names and
 * errno results. Nothing here does I/O.
 */
import { SIGNAL_NAMES } from '../signal/signals.js';
import { strerror } from '../text/strerror.js';

/** strace's default string limit (`-s 32`). */
export const STRING_LIMIT = 32;

/** A placeholder for a user-space address strace would print (`0x55d0c1a2b3c0`): Node's buffers are not observable. */
export const ADDR = '0xADDR';

const ESCAPES: Readonly<Record<number, string>> = {
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

/**
 * strace's quoting of a byte string: printable ASCII as is, `\t \n \v \f \r \" \\`, anything else in octal with as
 * few digits as possible unless an octal digit follows (`"sleep\0001000\0"`); at most `limit` bytes, then `...`
 * after the closing quote.
 */
export function quote(data: Uint8Array, limit = STRING_LIMIT): string {
  const n = Math.min(data.length, limit);
  let s = '"';
  for (let i = 0; i < n; i++) {
    const c = data[i]!;
    const e = ESCAPES[c];
    if (e !== undefined) s += e;
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else {
      const next = i + 1 < n ? data[i + 1]! : -1;
      const digitFollows = next >= 0x30 && next <= 0x37;
      s += `\\${digitFollows ? c.toString(8).padStart(3, '0') : c.toString(8)}`;
    }
  }
  return data.length > limit ? `${s}"...` : `${s}"`;
}

/** A path argument: strace prints paths whole (no 32-byte cut). */
export function quotePath(path: string | Uint8Array): string {
  const b = typeof path === 'string' ? Buffer.from(path, 'latin1') : path;
  return quote(b, Number.POSITIVE_INFINITY);
}

/** strace's name of a signal on Linux x86_64/arm64: `SIGTERM`, `SIGIO` (29), `SIGRTMIN`, `SIGRT_1`…`SIGRT_32`, else the number. */
export function signalName(sig: number): string {
  if (sig >= 1 && sig <= 31) return sig === 29 ? 'SIGIO' : `SIG${SIGNAL_NAMES[sig - 1]}`;
  if (sig === 32) return 'SIGRTMIN';
  if (sig > 32 && sig <= 64) return `SIGRT_${sig - 32}`;
  return String(sig);
}

/** The result part of a line: `= 3`, or `= -1 ENOENT (No such file or directory)` for an errno code. */
export function result(r: number | string): string {
  return typeof r === 'number' ? `= ${r}` : `= -1 ${r} (${strerror(r)})`;
}

/** The flags Node (libuv) passes to openat: it adds O_CLOEXEC to every open. */
export function openFlags(directory: boolean): string {
  return directory ? 'O_RDONLY|O_CLOEXEC|O_DIRECTORY' : 'O_RDONLY|O_CLOEXEC';
}

/** glibc's opendir() flags, as scandir(3) under Node's readdirSync uses them. */
export const OPENDIR_FLAGS = 'O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY';

/** The size of one `linux_dirent64` record for a name of `len` bytes: 19 bytes of header, the name, a NUL, 8-aligned. */
export function direntSize(len: number): number {
  return (19 + len + 1 + 7) & ~7;
}

/** glibc's getdents64 buffer for opendir on /proc (what strace shows as the third argument). */
export const GETDENTS_BUFFER = 32768;

/**
 * How getdents64 calls over a directory with these entry names (`.` and `..` included) split into buffers of
 * {@link GETDENTS_BUFFER} bytes: per call, the entry count and the bytes returned; the final call returns 0.
 */
export function getdentsCalls(names: readonly string[]): { entries: number; bytes: number }[] {
  const out: { entries: number; bytes: number }[] = [];
  let entries = 0;
  let bytes = 0;
  for (const n of names) {
    const size = direntSize(Buffer.byteLength(n, 'latin1'));
    if (bytes + size > GETDENTS_BUFFER && entries > 0) {
      out.push({ entries, bytes });
      entries = 0;
      bytes = 0;
    }
    entries++;
    bytes += size;
  }
  if (entries > 0) out.push({ entries, bytes });
  out.push({ entries: 0, bytes: 0 });
  return out;
}
