/**
 * `strace -f` output as one line per system call. When threads interleave, strace splits a call into
 * `NAME(ARGS <unfinished ...>` and, later, `<... NAME resumed>REST`; this joins the two at the place where the call
 * started. Lines come as `PID TEXT` (strace -f -o FILE pads the PID with spaces; on stderr it writes
 * `[pid PID] TEXT`, and nothing for the first process); the result is `PID TEXT` with one space, or TEXT alone when
 * the line names no PID. Pure and total: any input gives lines, nothing throws.
 */
const PREFIX = /^(?:\[pid +(\d+)\] |(\d+) +)?/;
const UNFINISHED = ' <unfinished ...>';
const RESUMED = /^<\.\.\. ([\w]+) resumed>/;

export function joinStrace(text: string): string[] {
  const out: { pid: string; text: string }[] = [];
  // Per PID, the index in `out` of its call that is waiting for its `resumed` half, and that call's name.
  const pending = new Map<string, { at: number; name: string }>();
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const m = PREFIX.exec(raw)!;
    const pid = m[1] ?? m[2] ?? '';
    const body = raw.slice(m[0].length);
    const resumed = RESUMED.exec(body);
    if (resumed) {
      const name = resumed[1]!;
      const rest = body.slice(resumed[0].length);
      const start = pending.get(pid);
      if (start && start.name === name) {
        pending.delete(pid);
        out[start.at]!.text += rest;
      } else out.push({ pid, text: `${name}(${rest}` });
      continue;
    }
    if (body.endsWith(UNFINISHED)) {
      const call = body.slice(0, -UNFINISHED.length);
      pending.set(pid, { at: out.length, name: /^(\w+)\(/.exec(call)?.[1] ?? '' });
      out.push({ pid, text: call });
      continue;
    }
    out.push({ pid, text: body });
  }
  return out.map((l) => (l.pid === '' ? l.text : `${l.pid} ${l.text}`));
}
