import { lazyRequire } from '../lazy.js';

const errnoNumbers = (): Record<string, number> =>
  (lazyRequire('node:os') as typeof import('node:os')).constants.errno as Record<string, number>;

/** glibc's strerror() text for the errno codes killall can meet, in the C locale. */
const MESSAGES: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  ENXIO: 'No such device or address',
  E2BIG: 'Argument list too long',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  ENFILE: 'Too many open files in system',
  EMFILE: 'Too many open files',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ELOOP: 'Too many levels of symbolic links',
  EOVERFLOW: 'Value too large for defined data type',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
};

/** strerror(errno) for a Node error code such as `EPERM`; unknown codes fall back to glibc's shape. */
export function strerror(code: string): string {
  const m = MESSAGES[code];
  if (m) return m;
  const n = errnoNumbers()[code];
  return n === undefined ? code : `Unknown error ${n}`;
}

/** The Node code (`ESRCH`) of a positive errno number. */
export function errnoCode(errno: number): string {
  for (const [k, v] of Object.entries(errnoNumbers())) if (v === errno) return k;
  return `E${errno}`;
}

/** The errno code of a thrown Node system error, or undefined when it is not one. */
export function codeOf(e: unknown): string | undefined {
  if (
    typeof e === 'object' &&
    e !== null &&
    'code' in e &&
    typeof (e as { code: unknown }).code === 'string'
  ) {
    return (e as { code: string }).code;
  }
  return undefined;
}
