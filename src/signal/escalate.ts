import type { ProcReader } from '../procfs/reader.js';
import type { System } from '../system.js';
import { openPin, pinnedIs, type SendResult, sendGroup, sendPinned } from './send.js';
import type { WaitTarget } from './wait.js';

/**
 * Sends SIGKILL to one survivor of the first signal: through its pin (never by a bare PID: a target without a
 * pin was waited on by PID and start time, and is pinned again and its start time re-checked before the send), or,
 * for a process group, `kill(-pgid, SIGKILL)`. A survivor that renamed itself is still the survivor: its comm is
 * never looked at.
 */
export function sendKill(sys: System, t: WaitTarget, reader: ProcReader): SendResult {
  if (t.kind === 'group') return sendGroup(sys, t.pgid, 9);
  if (t.pin) return sendPinned(sys, t.pin, 9, reader);
  const fd = openPin(sys, t.pid);
  if (fd === null) return 'ESRCH';
  try {
    if (!pinnedIs(reader, fd, t.startTime)) return 'ESRCH';
    return sendPinned(sys, { pid: t.pid, fd, startTime: t.startTime, comm: t.comm }, 9, reader);
  } finally {
    sys.close(fd);
  }
}
