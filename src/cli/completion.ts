import { TIME_UNITS as TIME_SECONDS } from '../match/age.js';
import { SIGNAL_NAMES } from '../signal/signals.js';
import { UNIT_MS } from '../text/duration.js';
import { type ArgKind, EXTENSION_OPTIONS, PSMISC_OPTIONS } from './options.js';

/**
 * The shell completion scripts of `killall-ts --generate-completion bash|zsh|fish`, generated from the option table
 * (src/cli/options.ts). What they complete:
 * - options, long and short (psmisc's one-dash long forms are accepted when reading what was typed, not offered);
 * - SIGNAL names after `-s`/`--signal`, and `-NAME` where a word starts with `-` and an uppercase letter;
 * - users after `-u`, PIDs after `-n`, the units after a number for TIME (`-y`/`-o`) and DURATION;
 * - for NAME positions, the process names in /proc (each comm, and psmisc's long name from cmdline for a comm of
 *   15 or 63 bytes; names with a `/` are left out, as such a NAME is a path), and `:PORT` from the sockets in
 *   /proc/net/{tcp,tcp6,udp,udp6} (listening TCP, bound UDP) where a word starts with `:`.
 * Everything is read by the shell itself from /proc: no process of ours runs at completion time.
 */

/** The shells a completion script is generated for. */
export type Shell = 'bash' | 'zsh' | 'fish';

/** The shells, in the order they are documented. */
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** One option as the completion scripts see it. */
export interface CompletionOption {
  readonly short?: string;
  readonly long: string;
  /** What its argument is; `optional` arguments are only ever given as `--name=ARG`. */
  readonly arg?: { readonly kind: ArgKind; readonly optional: boolean; readonly values?: readonly string[] };
  readonly help: string;
  /** psmisc's table (one-dash long forms and prefixes) or an extension (`--name` only). */
  readonly psmisc: boolean;
}

/** The options to complete, from the table: psmisc's, then the extensions. */
export function completionOptions(): CompletionOption[] {
  return [
    ...PSMISC_OPTIONS.map(
      (o): CompletionOption => ({
        short: o.short,
        long: o.long,
        ...(o.arg ? { arg: { kind: o.arg.kind, optional: false } } : {}),
        help: o.help,
        psmisc: true,
      }),
    ),
    ...EXTENSION_OPTIONS.map(
      (o): CompletionOption => ({
        ...(o.short ? { short: o.short } : {}),
        long: o.long,
        ...(o.arg
          ? {
              arg: {
                kind: o.arg.kind,
                optional: o.arg.mode === 'optional',
                ...(o.arg.values ? { values: o.arg.values } : {}),
              },
            }
          : {}),
        help: o.help,
        psmisc: false,
      }),
    ),
  ];
}

/** The units offered after a number: psmisc's TIME units, and the DURATION units of the extensions. */
export const TIME_UNITS: readonly string[] = Object.keys(TIME_SECONDS);
export const DURATION_UNITS: readonly string[] = Object.keys(UNIT_MS);

/** The completion script for `shell` (ends with a newline). */
export function renderCompletion(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return bashScript(completionOptions());
    case 'zsh':
      return zshScript(completionOptions());
    case 'fish':
      return fishScript(completionOptions());
  }
}

const HEADER = 'generated from the option table of killall-ts; regenerate, do not edit';

// How each argument kind completes, as the shell-neutral word the scripts dispatch on.
function kindWord(a: NonNullable<CompletionOption['arg']>): string {
  return a.kind === 'choice' ? `choice:${(a.values ?? []).join(',')}` : a.kind;
}

function bashScript(opts: readonly CompletionOption[]): string {
  const ps = opts.filter((o) => o.psmisc);
  const ext = opts.filter((o) => !o.psmisc);
  // An optional argument (only ever `--name=ARG`) is marked with `?`: the next word is never its value.
  const pair = (o: CompletionOption): string =>
    `${o.long}:${o.arg ? `${o.arg.optional ? '?' : ''}${kindWord(o.arg)}` : ''}`;
  const shortKinds = opts
    .filter((o) => o.short && o.arg)
    .map((o) => `    ${o.short}) echo ${kindWord(o.arg!)} ;;`)
    .join('\n');
  const shortsTakingNone = opts
    .filter((o) => o.short && !o.arg)
    .map((o) => o.short)
    .join('');
  const longs = opts.map((o) => `--${o.long}`).join(' ');
  const shorts = opts
    .filter((o) => o.short)
    .map((o) => `-${o.short}`)
    .join(' ');
  return `# bash completion for killall-ts (${HEADER})
# Use: source <(killall-ts --generate-completion bash), or save it as
# ~/.local/share/bash-completion/completions/killall-ts

_killall_ts_signals='${SIGNAL_NAMES.join(' ')}'
_killall_ts_longs='${longs}'
_killall_ts_shorts='${shorts}'
# long name:argument kind, psmisc's table and the extensions (which take only the --name form)
_killall_ts_psmisc='${ps.map(pair).join(' ')}'
_killall_ts_ext='${ext.map(pair).join(' ')}'

# Process names from /proc: each comm, and psmisc's long name (the first cmdline argument whose basename starts
# with the comm) for a comm of 15 or 63 bytes. Names containing / are paths to killall, so they are left out.
_killall_ts_procs() {
  local line pid c a base
  while IFS= read -r line; do
    pid=\${line#/proc/}; pid=\${pid%%/*}; c=\${line#/proc/"$pid"/comm:}
    [[ $c == */* ]] || printf '%s\\n' "$c"
    if (( \${#c} == 15 || \${#c} == 63 )); then
      while IFS= read -r -d '' a; do
        [[ -z $a ]] && break
        base=\${a##*/}
        if [[ $base == "$c"* ]]; then printf '%s\\n' "$base"; break; fi
      done 2>/dev/null < "/proc/$pid/cmdline"
    fi
  done < <(grep -H '' /proc/[0-9]*/comm 2>/dev/null)
}

# :PORT for every listening TCP and bound UDP socket of this network namespace.
_killall_ts_ports() {
  local f sl addr rem st rest
  for f in tcp tcp6 udp udp6; do
    [[ -r /proc/net/$f ]] || continue
    while read -r sl addr rem st rest; do
      [[ $sl == sl ]] && continue
      [[ $f == tcp* && $st != 0A ]] && continue
      (( 16#\${addr##*:} > 0 )) && printf ':%d\\n' "$(( 16#\${addr##*:} ))"
    done < "/proc/net/$f"
  done | sort -u
}

# The kind of argument the option word $1 takes (from the next word; with $2 = eq, after its =), nothing when it
# takes none, read as psmisc's getopt_long_only does: a long option by full name or unambiguous prefix (psmisc's
# table first, the extensions only as --name), else a cluster of short letters whose last letter takes it.
_killall_ts_optkind() {
  local k
  k=$(_killall_ts_optkind1 "$1")
  case $k in
    \\?*) [[ $2 == eq ]] && echo "\${k#?}" ;;
    *) echo "$k" ;;
  esac
}

_killall_ts_optkind1() {
  local w=$1 name e n=0 kind=
  case $w in
    --?*) name=\${w#--} ;;
    -?) name= ;;
    -?*) name=\${w#-} ;;
    *) return ;;
  esac
  if [[ -n $name && $name != *=* ]]; then
    for e in $_killall_ts_psmisc; do
      if [[ \${e%%:*} == "$name" ]]; then echo "\${e#*:}"; return; fi
      [[ \${e%%:*} == "$name"* ]] && { kind=\${e#*:}; n=$((n + 1)); }
    done
    if (( n == 1 )); then echo "$kind"; return; fi
    (( n > 1 )) && return
    if [[ $w == --* ]]; then
      for e in $_killall_ts_ext; do
        if [[ \${e%%:*} == "$name" ]]; then echo "\${e#*:}"; return; fi
        [[ \${e%%:*} == "$name"* ]] && { kind=\${e#*:}; n=$((n + 1)); }
      done
      (( n == 1 )) && echo "$kind"
      return
    fi
  fi
  [[ $w == --* ]] && return
  local i c letters=\${w#-}
  for (( i = 0; i < \${#letters}; i++ )); do
    c=\${letters:i:1}
    [[ '${shortsTakingNone}' == *"$c"* ]] && continue
    (( i == \${#letters} - 1 )) && _killall_ts_shortkind "$c"
    return
  done
}

_killall_ts_shortkind() {
  case $1 in
${shortKinds}
  esac
}

# Candidates for the value $2 of an argument of kind $1, one a line.
_killall_ts_values() {
  local kind=$1 cur=$2 u
  case $kind in
    signal)
      if [[ $cur == SIG* ]]; then printf 'SIG%s\\n' $_killall_ts_signals; else printf '%s\\n' $_killall_ts_signals; fi ;;
    user) compgen -u -- "$cur" ;;
    pid) (cd /proc && printf '%s\\n' [0-9]*) ;;
    time) [[ $cur =~ ^[0-9]+$ ]] && for u in ${TIME_UNITS.join(' ')}; do printf '%s\\n' "$cur$u"; done ;;
    duration) [[ $cur =~ ^[0-9]+(\\.[0-9]*)?$ ]] && for u in ${DURATION_UNITS.join(' ')}; do printf '%s\\n' "$cur$u"; done ;;
    choice:*) printf '%s\\n' \${kind#choice:} | tr , '\\n' ;;
  esac
}

_killall_ts() {
  # The word being completed, read from the line itself (bash splits words at : and =, which NAMEs like :8080
  # and --signal=KILL contain); only the part in COMP_WORDS[COMP_CWORD] is replaced, so candidates are cut to it.
  local line=\${COMP_LINE:0:COMP_POINT}
  local cur=\${line##*[[:space:]]}
  local before=\${line%"$cur"}
  before=\${before%"\${before##*[![:space:]]}"}
  local prev=\${before##*[[:space:]]}
  local word=\${COMP_WORDS[COMP_CWORD]}
  local strip=\${cur%"$word"}
  [[ $cur == *"$word" ]] || strip=
  local kind= prefix= value=$cur c
  local -a cands=()
  COMPREPLY=()
  if [[ " $before " == *" -- "* ]]; then
    kind=name
  elif [[ $cur == --*=* ]]; then
    kind=$(_killall_ts_optkind "\${cur%%=*}" eq)
    prefix=\${cur%%=*}=; value=\${cur#*=}
  elif [[ $cur != -* || $cur == - ]] && [[ $prev == -* && $prev != *=* ]]; then
    kind=$(_killall_ts_optkind "$prev")
  fi
  if [[ -z $kind ]]; then
    case $cur in
      --*) kind=longs ;;
      -[A-Z]*) kind=dashsignal ;;
      -*) kind=options ;;
      *) kind=name ;;
    esac
  fi
  case $kind in
    longs) mapfile -t cands < <(printf '%s\\n' $_killall_ts_longs) ;;
    options) mapfile -t cands < <(printf '%s\\n' $_killall_ts_shorts $_killall_ts_longs) ;;
    dashsignal) mapfile -t cands < <(printf -- '-%s\\n' $_killall_ts_signals; printf -- '-SIG%s\\n' $_killall_ts_signals; printf '%s\\n' $_killall_ts_shorts) ;;
    name)
      if [[ $cur == :* ]]; then mapfile -t cands < <(_killall_ts_ports)
      else mapfile -t cands < <(_killall_ts_procs | sort -u); fi ;;
    regexp) ;;
    *) mapfile -t cands < <(_killall_ts_values "$kind" "$value" | sed "s|^|$prefix|") ;;
  esac
  for c in "\${cands[@]}"; do
    [[ $c == "$cur"* ]] || continue
    c=\${c#"$strip"}
    [[ $c =~ [^A-Za-z0-9_./:@%+,=-] ]] && printf -v c '%q' "$c"
    COMPREPLY+=("$c")
  done
}

complete -F _killall_ts killall-ts
`;
}

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

function zshScript(opts: readonly CompletionOption[]): string {
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
_killall_ts_procs() {
  local d c a
  local -a names args
  for d in /proc/<->(N); do
    c=$(<$d/comm) 2>/dev/null || continue
    [[ $c == */* ]] || names+=("$c")
    if (( $#c == 15 || $#c == 63 )); then
      args=("\${(@0)$(<$d/cmdline)}") 2>/dev/null
      for a in $args; do
        [[ -z $a ]] && break
        if [[ \${a:t} == "$c"* ]]; then names+=("\${a:t}"); break; fi
      done
    fi
  done
  compadd -- \${(u)names}
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

function fishEscape(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fishArgs(a: NonNullable<CompletionOption['arg']>): string {
  switch (a.kind) {
    case 'signal':
      return " -a '(__killall_ts_signals)'";
    case 'user':
      return " -a '(__fish_complete_users)'";
    case 'pid':
      return " -a '(__killall_ts_pids)'";
    case 'time':
      return " -a '(__killall_ts_units time)'";
    case 'duration':
      return " -a '(__killall_ts_units duration)'";
    case 'choice':
      return ` -a '${(a.values ?? []).join(' ')}'`;
    case 'regexp':
      return '';
  }
}

function fishScript(opts: readonly CompletionOption[]): string {
  const lines = opts.map((o) => {
    let s = 'complete -c killall-ts';
    if (o.short) s += ` -s ${o.short}`;
    s += ` -l ${o.long}`;
    if (o.arg && !o.arg.optional) s += ` -x${fishArgs(o.arg)}`;
    else if (o.arg) s += fishArgs(o.arg);
    return `${s} -d ${fishEscape(o.help)}`;
  });
  return `# fish completion for killall-ts (${HEADER})
# Use: killall-ts --generate-completion fish > ~/.config/fish/completions/killall-ts.fish

function __killall_ts_signals
    set -l names ${SIGNAL_NAMES.join(' ')}
    set -l tok (commandline -ct | string replace -r -- '^--?[a-z-]*=' '')
    if string match -q -- 'SIG*' $tok
        printf 'SIG%s\\n' $names
    else
        printf '%s\\n' $names
    end
end

function __killall_ts_pids
    string replace -- /proc/ '' /proc/* | string match -r -- '^[0-9]+$'
end

function __killall_ts_units
    set -l tok (commandline -ct | string replace -r -- '^--?[a-z-]*=' '')
    if test "$argv[1]" = time
        string match -qr -- '^[0-9]+$' $tok; or return
        printf "$tok%s\\n" ${TIME_UNITS.join(' ')}
    else
        string match -qr -- '^[0-9]+(\\.[0-9]*)?$' $tok; or return
        printf "$tok%s\\n" ${DURATION_UNITS.join(' ')}
    end
end

# Process names from /proc: each comm, and psmisc's long name for a comm of 15 or 63 bytes; no names with a /.
function __killall_ts_procs
    for line in (command grep -H '' /proc/*/comm 2>/dev/null | string match -r -- '^/proc/[0-9]+/comm:.*')
        set -l pid (string split -f3 / -- $line)
        set -l c (string replace -r -- '^/proc/[0-9]+/comm:' '' $line)
        string match -q -- '*/*' $c; or echo $c
        set -l n (string length -- $c)
        if test $n -eq 15 -o $n -eq 63
            for a in (command cat /proc/$pid/cmdline 2>/dev/null | string split0)
                test -z "$a"; and break
                set -l base (string replace -r -- '.*/' '' $a)
                if string match -q -- "$c*" $base
                    echo $base
                    break
                end
            end
        end
    end
end

# :PORT for every listening TCP and bound UDP socket of this network namespace.
function __killall_ts_ports
    for f in tcp tcp6 udp udp6
        test -r /proc/net/$f; or continue
        for line in (command tail -n +2 /proc/net/$f)
            set -l fields (string split -n ' ' -- (string trim -- $line))
            if string match -q 'tcp*' $f; and test "$fields[4]" != 0A
                continue
            end
            set -l port (math "0x"(string split -f2 : -- $fields[2]))
            test $port -gt 0; and echo ":$port"
        end
    end | sort -u
end

function __killall_ts_names
    set -l tok (commandline -ct)
    if string match -q -- ':*' $tok
        __killall_ts_ports
    else if string match -qr -- '^-[A-Z]' $tok
        string replace -r -- '^' - ${SIGNAL_NAMES.join(' ')} SIG${SIGNAL_NAMES.join(' SIG')}
    else
        __killall_ts_procs | sort -u
    end
end

complete -c killall-ts -f
complete -c killall-ts -a '(__killall_ts_names)'
${lines.join('\n')}
`;
}

/** The file name each shell looks for: bash-completion's and fish's `killall-ts[.ext]`, zsh's `_killall-ts`. */
export function completionFileName(shell: Shell): string {
  return shell === 'zsh' ? '_killall-ts' : `killall-ts.${shell}`;
}
