# fish completion for killall-ts (generated from the option table of killall-ts; regenerate, do not edit)
# Use: killall-ts --generate-completion fish > ~/.config/fish/completions/killall-ts.fish

function __killall_ts_signals
    set -l names HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS
    set -l tok (commandline -ct | string replace -r -- '^--?[a-z-]*=' '')
    if string match -q -- 'SIG*' $tok
        printf 'SIG%s\n' $names
    else
        printf '%s\n' $names
    end
end

function __killall_ts_pids
    string replace -- /proc/ '' /proc/* | string match -r -- '^[0-9]+$'
end

function __killall_ts_units
    set -l tok (commandline -ct | string replace -r -- '^--?[a-z-]*=' '')
    if test "$argv[1]" = time
        string match -qr -- '^[0-9]+$' $tok; or return
        printf "$tok%s\n" s m h d w M y
    else
        string match -qr -- '^[0-9]+(\.[0-9]*)?$' $tok; or return
        printf "$tok%s\n" ms s m h d
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
        string match -qr -- '[\t\n][\s\S]' $c; and continue
        set c (string replace -r -- '\n$' '' $c)
        test -n "$c"; or continue
        string match -q -- '*/*' $c; or printf '%s\n' $c
        set -l n (string length -- $c)
        string match -qr -- '[^\x01-\x7f]' $c; and set n (printf '%s' $c | command wc -c)
        if test $n -eq 15 -o $n -eq 63
            for a in (command cat (string replace -r -- 'comm$' cmdline $f) 2>/dev/null | string split0)
                test -z "$a"; and break
                set -l base (string replace -r -- '^[\s\S]*/' '' $a)
                if test (string sub -l (string length -- $c) -- $base) = $c
                    string match -qr -- '[\t\n]' $base; or printf '%s\n' $base
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
        string replace -r -- '^' - HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH POLL PWR SYS SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGPOLL SIGPWR SIGSYS
    else
        __killall_ts_procs | sort -u
    end
end

complete -c killall-ts -f
complete -c killall-ts -a '(__killall_ts_names)'
complete -c killall-ts -s e -l exact -d 'require an exact match for very long names'
complete -c killall-ts -s I -l ignore-case -d 'case-insensitive (ASCII) name and regex matching'
complete -c killall-ts -s g -l process-group -d 'signal the process group instead of the process, once per group'
complete -c killall-ts -s y -l younger-than -x -a '(__killall_ts_units time)' -d 'only processes younger than TIME (an integer and a unit: s m h d w M y)'
complete -c killall-ts -s o -l older-than -x -a '(__killall_ts_units time)' -d 'only processes older than TIME (an integer and a unit: s m h d w M y)'
complete -c killall-ts -s i -l interactive -d 'ask for confirmation before each signal'
complete -c killall-ts -s l -l list-signals -d 'list the known signal names'
complete -c killall-ts -s q -l quiet -d 'don\'t print complaints (no process found)'
complete -c killall-ts -s r -l regexp -d 'NAMEs are POSIX extended regular expressions'
complete -c killall-ts -s s -l signal -x -a '(__killall_ts_signals)' -d 'send SIGNAL (a name or number) instead of SIGTERM; also -SIGNAL, -NUMBER'
complete -c killall-ts -s u -l user -x -a '(__fish_complete_users)' -d 'only processes whose real user is USER (NAMEs become optional)'
complete -c killall-ts -s v -l verbose -d 'report each signal sent'
complete -c killall-ts -s w -l wait -d 'wait until every signalled process is gone'
complete -c killall-ts -s n -l ns -x -a '(__killall_ts_pids)' -d 'only processes in the PID namespace of PID'
complete -c killall-ts -s Z -l context -x -d 'only processes whose security context matches REGEXP (NAMEs become optional)'
complete -c killall-ts -s V -l version -d 'print the version'
complete -c killall-ts -l dry-run -d 'select exactly as a real run would, send nothing, print one line per signal that would be sent'
complete -c killall-ts -l kill-after -x -a '(__killall_ts_units duration)' -d 'send SIGKILL to the processes still running DURATION after the signal (5, 2.5s, 500ms, 1m)'
complete -c killall-ts -l timeout -x -a '(__killall_ts_units duration)' -d 'with -w or --kill-after: stop waiting after DURATION, name what still runs, exit 1'
complete -c killall-ts -l tree -d 'also signal every descendant of each selected process, parents first (never killall-ts or its ancestors)'
complete -c killall-ts -l json -d 'print one JSON document on stdout instead of the usual lines (docs/json.md)'
complete -c killall-ts -l explain -a 'all' -d 'narrate the run on stderr as strace shows it, with why each process did or did not match'
complete -c killall-ts -l pick -d 'choose the processes in a full-screen fuzzy picker'
complete -c killall-ts -s h -l help -d 'print the full help on stdout'
complete -c killall-ts -l generate-completion -x -a 'bash zsh fish' -d 'print the completion script for bash, zsh or fish'
