# bash completion for killall-ts (generated from the option table of killall-ts; regenerate, do not edit)
# Use: source <(killall-ts --generate-completion bash), or save it as
# ~/.local/share/bash-completion/completions/killall-ts

_killall_ts_signals='HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS'
_killall_ts_longs='--exact --ignore-case --process-group --younger-than --older-than --interactive --list-signals --quiet --regexp --signal --user --verbose --wait --ns --context --version --dry-run --kill-after --timeout --tree --json --explain --pick --help --generate-completion'
_killall_ts_shorts='-e -I -g -y -o -i -l -q -r -s -u -v -w -n -Z -V -h'
# long name:argument kind, psmisc's table and the extensions (which take only the --name form)
_killall_ts_psmisc='exact: ignore-case: process-group: younger-than:time older-than:time interactive: list-signals: quiet: regexp: signal:signal user:user verbose: wait: ns:pid context:regexp version:'
_killall_ts_ext='dry-run: kill-after:duration timeout:duration tree: json: explain:?choice:all pick: help: generate-completion:choice:bash,zsh,fish'

# Process names from /proc, NUL-terminated (a comm may hold any byte but NUL: newlines, TABs, invalid UTF-8):
# each comm, and psmisc's long name (the first cmdline argument whose basename starts with the comm) for a comm of
# 15 or 63 bytes. Names containing / are paths to killall, so they are left out. Read by bash's own read (no grep,
# which calls a file with invalid UTF-8 binary; no fork per process), bytes compared and counted in the C locale.
_killall_ts_procs() {
  local LC_ALL=C d c a base
  for d in /proc/[0-9]*; do
    c=
    { IFS= read -r -d '' c < "$d/comm"; } 2>/dev/null
    c=${c%$'\n'}
    [[ -n $c ]] || continue
    [[ $c == */* ]] || printf '%s\0' "$c"
    if (( ${#c} == 15 || ${#c} == 63 )); then
      while IFS= read -r -d '' a; do
        [[ -z $a ]] && break
        base=${a##*/}
        if [[ $base == "$c"* ]]; then printf '%s\0' "$base"; break; fi
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
      (( 16#${addr##*:} > 0 )) && printf ':%d\n' "$(( 16#${addr##*:} ))"
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
    \?*) [[ $2 == eq ]] && echo "${k#?}" ;;
    *) echo "$k" ;;
  esac
}

_killall_ts_optkind1() {
  local w=$1 name e n=0 kind=
  case $w in
    --?*) name=${w#--} ;;
    -?) name= ;;
    -?*) name=${w#-} ;;
    *) return ;;
  esac
  if [[ -n $name && $name != *=* ]]; then
    for e in $_killall_ts_psmisc; do
      if [[ ${e%%:*} == "$name" ]]; then echo "${e#*:}"; return; fi
      [[ ${e%%:*} == "$name"* ]] && { kind=${e#*:}; n=$((n + 1)); }
    done
    if (( n == 1 )); then echo "$kind"; return; fi
    (( n > 1 )) && return
    if [[ $w == --* ]]; then
      for e in $_killall_ts_ext; do
        if [[ ${e%%:*} == "$name" ]]; then echo "${e#*:}"; return; fi
        [[ ${e%%:*} == "$name"* ]] && { kind=${e#*:}; n=$((n + 1)); }
      done
      (( n == 1 )) && echo "$kind"
      return
    fi
  fi
  [[ $w == --* ]] && return
  local i c letters=${w#-}
  for (( i = 0; i < ${#letters}; i++ )); do
    c=${letters:i:1}
    [[ 'eIgilqrvwVh' == *"$c"* ]] && continue
    (( i == ${#letters} - 1 )) && _killall_ts_shortkind "$c"
    return
  done
}

_killall_ts_shortkind() {
  case $1 in
    y) echo time ;;
    o) echo time ;;
    s) echo signal ;;
    u) echo user ;;
    n) echo pid ;;
    Z) echo regexp ;;
  esac
}

# Candidates for the value $2 of an argument of kind $1, one a line.
_killall_ts_values() {
  local kind=$1 cur=$2 u
  case $kind in
    signal)
      if [[ $cur == SIG* ]]; then printf 'SIG%s\n' $_killall_ts_signals; else printf '%s\n' $_killall_ts_signals; fi ;;
    user) compgen -u -- "$cur" ;;
    pid) (cd /proc && printf '%s\n' [0-9]*) ;;
    time) [[ $cur =~ ^[0-9]+$ ]] && for u in s m h d w M y; do printf '%s\n' "$cur$u"; done ;;
    duration) [[ $cur =~ ^[0-9]+(\.[0-9]*)?$ ]] && for u in ms s m h d; do printf '%s\n' "$cur$u"; done ;;
    choice:*) printf '%s\n' ${kind#choice:} | tr , '\n' ;;
  esac
}

# Whether $1 is made of characters a shell word may hold unquoted, byte by byte (so that invalid UTF-8 never is).
# Any other candidate is inserted, and listed, as printf %q quotes it ($'\E]0;X\a'): raw bytes never reach the
# terminal, and the word completes to exactly the process's name.
_killall_ts_plain() {
  local LC_ALL=C
  [[ $1 =~ ^[A-Za-z0-9_./:@%+,=-]*$ ]]
}

_killall_ts() {
  # The word being completed, read from the line itself (bash splits words at : and =, which NAMEs like :8080
  # and --signal=KILL contain); only the part in COMP_WORDS[COMP_CWORD] is replaced, so candidates are cut to it.
  local line=${COMP_LINE:0:COMP_POINT}
  local cur=${line##*[[:space:]]}
  local before=${line%"$cur"}
  before=${before%"${before##*[![:space:]]}"}
  local prev=${before##*[[:space:]]}
  local word=${COMP_WORDS[COMP_CWORD]}
  local strip=${cur%"$word"}
  [[ $cur == *"$word" ]] || strip=
  local kind= prefix= value=$cur c
  local -a cands=()
  COMPREPLY=()
  if [[ " $before " == *" -- "* ]]; then
    kind=name
  elif [[ $cur == --*=* ]]; then
    kind=$(_killall_ts_optkind "${cur%%=*}" eq)
    prefix=${cur%%=*}=; value=${cur#*=}
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
    longs) mapfile -t cands < <(printf '%s\n' $_killall_ts_longs) ;;
    options) mapfile -t cands < <(printf '%s\n' $_killall_ts_shorts $_killall_ts_longs) ;;
    dashsignal) mapfile -t cands < <(printf -- '-%s\n' $_killall_ts_signals; printf -- '-SIG%s\n' $_killall_ts_signals; printf '%s\n' $_killall_ts_shorts) ;;
    name)
      if [[ $cur == :* ]]; then mapfile -t cands < <(_killall_ts_ports)
      else mapfile -d '' -t cands < <(_killall_ts_procs | LC_ALL=C sort -zu); fi ;;
    regexp) ;;
    *) mapfile -t cands < <(_killall_ts_values "$kind" "$value" | sed "s|^|$prefix|") ;;
  esac
  for c in "${cands[@]}"; do
    [[ $c == "$cur"* ]] || continue
    c=${c#"$strip"}
    _killall_ts_plain "$c" || printf -v c '%q' "$c"
    COMPREPLY+=("$c")
  done
}

complete -F _killall_ts killall-ts
