declare namespace killPort {
  /** What kill-port resolves to (the shape of shell-exec's result). */
  interface KillPortResult {
    stdout: string;
    stderr: string;
    cmd: string;
    code: number;
  }
}

/**
 * Kills (SIGKILL) the processes on a port (kill-port 2's API). On Linux this is killall-ts's drop-in: the exact
 * port, IPv4 and IPv6, from /proc, without lsof or a shell. Elsewhere the original kill-port runs.
 * @param port The port (read with `parseInt`).
 * @param method `'udp'` for UDP; TCP (listening sockets) otherwise. @default 'tcp'
 */
declare function killPort(port: number | string, method?: 'tcp' | 'udp'): Promise<killPort.KillPortResult>;

export = killPort;
