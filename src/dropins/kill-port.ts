/**
 * kill-port 2's API over {@link killall} and its port NAMEs: `kill(port, method = 'tcp')`, SIGKILL to every process
 * holding the port, found from /proc/net and /proc/PID/fd instead of `lsof -i -P`, a shell pipeline and `xargs kill
 * -9`. The port matches exactly (kill-port's test also matched other ports containing its digits).
 */
import { killall } from '../killall.js';
import { strerror } from '../text/strerror.js';

/** What the promise resolves to: the shape of kill-port's (shell-exec's) result. */
export interface KillPortResult {
  /** Always empty. */
  readonly stdout: string;
  /** One line per process that could not be signalled: `kill: (PID): Operation not permitted`, as `kill` says. */
  readonly stderr: string;
  /** The killall-ts command that does the same (`killall -s KILL :3000/tcp`). */
  readonly cmd: string;
  /** 0 when every process was signalled, 1 when one failed. */
  readonly code: number;
}

/** kill-port's function. */
export type KillPort = (port: number | string, method?: 'tcp' | 'udp' | string) => Promise<KillPortResult>;

/**
 * Sends SIGKILL to every process with a socket on `port`: `method` `'udp'` for bound UDP sockets, anything else
 * for listening TCP sockets, IPv4 and IPv6 alike; never to the caller itself. `port` goes through `parseInt`.
 * Rejects with "Invalid port number provided" (no number, 0, or outside 1-65535) or "No process running on port"
 * (nothing holds it, or nothing this user may see); resolves once the signals are sent.
 */
async function killPortImpl(port: number | string, method: string = 'tcp'): Promise<KillPortResult> {
  // biome-ignore lint/correctness/useParseIntRadix: as the original, which reads '0x1F' as 31.
  const n = Number.parseInt(port as string);
  if (!n || n < 1 || n > 65535) throw new Error('Invalid port number provided');
  const proto = method === 'udp' ? 'udp' : 'tcp';
  const name = `:${n}/${proto}`;
  const r = await killall({ names: [name], signal: 'KILL', excludeAncestors: false });
  if (r.signalled.length === 0 && r.failed.every((f) => f.code === 'ESRCH'))
    throw new Error('No process running on port');
  const failed = r.failed.filter((f) => f.code !== 'ESRCH');
  return {
    stdout: '',
    stderr: failed.map((f) => `kill: (${f.target.pid}): ${strerror(f.code)}\n`).join(''),
    cmd: `killall -s KILL ${name}`,
    code: failed.length > 0 ? 1 : 0,
  };
}

/** kill-port's export. */
export const killPort: KillPort = killPortImpl;
