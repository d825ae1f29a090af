import { SIGNAL_NAMES } from '../signal/signals.js';
import { type CompletionOption, DURATION_UNITS, HEADER, TIME_UNITS } from './completion-options.js';

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

/** The fish completion script (see completion.ts for what it completes). */
export function fishScript(opts: readonly CompletionOption[]): string {
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
# A comm may hold any byte but NUL: each is read whole by fish's own read (invalid UTF-8 kept, no grep), printed
# with printf (echo would eat -n or -e); one holding a newline or a TAB is left out, as fish reads candidates one
# a line with a TAB before the description. fish lists control characters as symbols (U+241B for ESC).
function __killall_ts_procs
    for f in /proc/*/comm
        string match -qr -- '^/proc/[0-9]+/comm$' $f; and test -r $f; or continue
        set -l c
        read -z c < $f
        string match -qr -- '[\\t\\n][\\s\\S]' $c; and continue
        set c (string replace -r -- '\\n$' '' $c)
        test -n "$c"; or continue
        string match -q -- '*/*' $c; or printf '%s\\n' $c
        set -l n (string length -- $c)
        string match -qr -- '[^\\x01-\\x7f]' $c; and set n (printf '%s' $c | command wc -c)
        if test $n -eq 15 -o $n -eq 63
            for a in (command cat (string replace -r -- 'comm$' cmdline $f) 2>/dev/null | string split0)
                test -z "$a"; and break
                set -l base (string replace -r -- '^[\\s\\S]*/' '' $a)
                if test (string sub -l (string length -- $c) -- $base) = $c
                    string match -qr -- '[\\t\\n]' $base; or printf '%s\\n' $base
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
