/** The kernel's PID_MAX_LIMIT: no pid or pgid is ever larger. */
export const PID_MAX_LIMIT = 4_194_304;

// Any value, even one whose toString throws, as text for a message.
function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return `(${typeof value})`;
  }
}

/** A pid or pgid that must not reach kill(2). */
export class InvalidPidError extends TypeError {
  constructor(value: unknown) {
    super(`not a valid process id: ${describe(value)}`);
    this.name = 'InvalidPidError';
  }
}

/**
 * The only gate to a signal call: a positive safe integer no larger than PID_MAX_LIMIT, or it throws. kill(2)
 * reads 0 as "my group" and -1 as "everything", and Node forwards '', false, [] and -0 as 0.
 */
export function validatePid(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > PID_MAX_LIMIT) {
    throw new InvalidPidError(value);
  }
  return value;
}

/** A process group that may be signalled: a valid pid above 1 (group 1 is init's, and kill(-1) is everything). */
export function validatePgid(value: unknown): number {
  const v = validatePid(value);
  if (v <= 1) throw new InvalidPidError(value);
  return v;
}

/** A signal number as the kernel takes it: an int32 (out-of-range values get EINVAL from the kernel). */
export function validateSignal(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new TypeError(`not a signal number: ${describe(value)}`);
  }
  return value;
}
