import { SIGNAL_NAMES } from '../signal/signals.js';
import { type CompletionOption, DURATION_UNITS, HEADER, TIME_UNITS } from './completion-options.js';

function zshEscape(text: string): string {
  return text.replace(/'/g, "'\\''").replace(/[[\]:]/g, (c) => `\\${c}`);
}

function zshAction(a: NonNullable<CompletionOption['arg']>): string {
  switch (a.kind) {
    case 'signal':
      return '_killall_ts_signals';
    case 'user':
      return '_users';
    case 'pid':
      return '_killall_ts_pids';
    case 'time':
      return '_killall_ts_time_units';
    case 'duration':
      return '_killall_ts_duration_units';
    case 'choice':
      return `(${(a.values ?? []).join(' ')})`;
    case 'regexp':
      return ' ';
  }
}

/** The zsh completion script (see completion.ts for what it completes). */
export function zshScript(opts: readonly CompletionOption[]): string {
  const specs = opts.map((o) => {
    const help = `[${zshEscape(o.help)}]`;
    const arg = o.arg ? `:${o.arg.kind}:${zshAction(o.arg)}` : '';
    if (o.short) {
      const argMark = o.arg ? (o.psmisc ? '+' : '') : '';
      const longMark = o.arg ? '=' : '';
      return `    '(-${o.short} --${o.long})'{-${o.short}${argMark},--${o.long}${longMark}}'${help}${arg}'`;
    }
    const mark = o.arg ? (o.arg.optional ? '=-' : '=') : '';
    return `    '--${o.long}${mark}${help}${arg}'`;
  });
  return `#compdef killall-ts
# zsh completion for killall-ts (${HEADER})
# Use: save it as _killall-ts in a directory of $fpath, then run compinit.

_killall_ts_signal_names=(${SIGNAL_NAMES.join(' ')})

_killall_ts_signals() {
  if [[ $PREFIX == SIG* ]]; then compadd -a -P SIG -- _killall_ts_signal_names
  else compadd -a -- _killall_ts_signal_names; fi
}

_killall_ts_pids() {
  local -a pids
  pids=(/proc/<->(N:t))
  compadd -a -- pids
}

_killall_ts_time_units() {
  [[ $PREFIX == <-> ]] || return 1
  compadd -S '' -P "$PREFIX" -- ${TIME_UNITS.join(' ')}
}

_killall_ts_duration_units() {
  [[ $PREFIX == (<->|<->.|<->.<->) ]] || return 1
  compadd -S '' -P "$PREFIX" -- ${DURATION_UNITS.join(' ')}
}

# Process names from /proc: each comm, and psmisc's long name for a comm of 15 or 63 bytes; no names with a /.
# A comm may hold any byte but NUL: read whole by zsh's own read (newlines, TABs and invalid UTF-8 kept), one
# candidate each; compadd quotes what it inserts and lists ($'\\033]0;X\\a'), so no raw byte reaches the terminal.
_killall_ts_procs() {
  local d c a
  local -a names
  for d in /proc/<->(N); do
    c=
    { IFS= read -r -d '' c < $d/comm } 2>/dev/null
    c=\${c%$'\\n'}
    [[ -n $c ]] || continue
    [[ $c == */* ]] || names+=("$c")
    _killall_ts_bytes "$c"
    if (( REPLY == 15 || REPLY == 63 )); then
      { while IFS= read -r -d '' a; do
        [[ -z $a ]] && break
        if [[ \${a:t} == "$c"* ]]; then names+=("\${a:t}"); break; fi
      done < $d/cmdline } 2>/dev/null
    fi
  done
  compadd -- \${(u)names}
}

# The length of $1 in bytes (psmisc's 15 and 63 are bytes), in REPLY.
_killall_ts_bytes() {
  setopt localoptions nomultibyte
  REPLY=\${#1}
}

# :PORT for every listening TCP and bound UDP socket of this network namespace.
_killall_ts_ports() {
  local f line
  local -a fields ports
  for f in tcp tcp6 udp udp6; do
    [[ -r /proc/net/$f ]] || continue
    for line in "\${(@f)$(</proc/net/$f)}"; do
      fields=(\${=line})
      [[ $fields[1] == sl ]] && continue
      [[ $f == tcp* && $fields[4] != 0A ]] && continue
      (( 16#\${fields[2]##*:} > 0 )) && ports+=(":$(( 16#\${fields[2]##*:} ))")
    done
  done
  compadd -- \${(u)ports}
}

_killall_ts_names() {
  if [[ $PREFIX == :* ]]; then _killall_ts_ports; else _killall_ts_procs; fi
}

_killall-ts() {
  if [[ $PREFIX == -[A-Z]* ]]; then
    compadd -P - -a -- _killall_ts_signal_names
    compadd -P -SIG -a -- _killall_ts_signal_names
  fi
  _arguments -s -S \\
${specs.join(' \\\n')} \\
    '*:name:_killall_ts_names'
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _killall-ts "$@"
else
  compdef _killall-ts killall-ts
fi
`;
}
