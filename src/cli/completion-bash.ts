import { SIGNAL_NAMES } from '../signal/signals.js';
import { type CompletionOption, DURATION_UNITS, HEADER, kindWord, TIME_UNITS } from './completion-options.js';

/** The bash completion script (see completion.ts for what it completes). */
export function bashScript(opts: readonly CompletionOption[]): string {
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

# Process names from /proc, NUL-terminated (a comm may hold any byte but NUL: newlines, TABs, invalid UTF-8):
# each comm, and psmisc's long name (the first cmdline argument whose basename starts with the comm) for a comm of
# 15 or 63 bytes. Names containing / are paths to killall, so they are left out. Read by bash's own read (no grep,
# which calls a file with invalid UTF-8 binary; no fork per process), bytes compared and counted in the C locale.
_killall_ts_procs() {
  local LC_ALL=C d c a base
  for d in /proc/[0-9]*; do
    c=
    { IFS= read -r -d '' c < "$d/comm"; } 2>/dev/null
    c=\${c%$'\\n'}
    [[ -n $c ]] || continue
    [[ $c == */* ]] || printf '%s\\0' "$c"
    if (( \${#c} == 15 || \${#c} == 63 )); then
      while IFS= read -r -d '' a; do
        [[ -z $a ]] && break
        base=\${a##*/}
        if [[ $base == "$c"* ]]; then printf '%s\\0' "$base"; break; fi
      done 2>/dev/null < "$d/cmdline"
    fi
  done
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

# Whether $1 is made of characters a shell word may hold unquoted, byte by byte (so that invalid UTF-8 never is).
# Any other candidate is inserted, and listed, as printf %q quotes it ($'\\E]0;X\\a'): raw bytes never reach the
# terminal, and the word completes to exactly the process's name.
_killall_ts_plain() {
  local LC_ALL=C
  [[ $1 =~ ^[A-Za-z0-9_./:@%+,=-]*$ ]]
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
      else mapfile -d '' -t cands < <(_killall_ts_procs | LC_ALL=C sort -zu); fi ;;
    regexp) ;;
    *) mapfile -t cands < <(_killall_ts_values "$kind" "$value" | sed "s|^|$prefix|") ;;
  esac
  for c in "\${cands[@]}"; do
    [[ $c == "$cur"* ]] || continue
    c=\${c#"$strip"}
    _killall_ts_plain "$c" || printf -v c '%q' "$c"
    COMPREPLY+=("$c")
  done
}

complete -F _killall_ts killall-ts
`;
}
