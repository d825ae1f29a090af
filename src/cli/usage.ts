/** psmisc 23.6's usage text, byte for byte (it ends with an empty line). */
export const USAGE =
  'Usage: killall [OPTION]... [--] NAME...\n' +
  '       killall -l, --list\n' +
  '       killall -V, --version\n\n' +
  '  -e,--exact          require exact match for very long names\n' +
  '  -I,--ignore-case    case insensitive process name match\n' +
  '  -g,--process-group  kill process group instead of process\n' +
  '  -y,--younger-than   kill processes younger than TIME\n' +
  '  -o,--older-than     kill processes older than TIME\n' +
  '  -i,--interactive    ask for confirmation before killing\n' +
  '  -l,--list           list all known signal names\n' +
  "  -q,--quiet          don't print complaints\n" +
  '  -r,--regexp         interpret NAME as an extended regular expression\n' +
  '  -s,--signal SIGNAL  send this signal instead of SIGTERM\n' +
  '  -u,--user USER      kill only process(es) running as USER\n' +
  '  -v,--verbose        report if the signal was successfully sent\n' +
  '  -V,--version        display version information\n' +
  '  -w,--wait           wait for processes to die\n' +
  '  -n,--ns PID         match processes that belong to the same namespaces\n' +
  '                      as PID\n' +
  '  -Z,--context REGEXP kill only process(es) having context\n' +
  '                      (must precede other arguments)\n' +
  '\n';

/** The usage text, preceded by a message line when there is one (`Invalid time format`). */
export function renderUsage(message?: string): string {
  return message === undefined ? USAGE : `${message}\n${USAGE}`;
}

/** killall-ts's version block, in psmisc's shape, for stderr. */
export function renderVersion(version: string): string {
  return (
    `killall (killall-ts) ${version}\n` +
    'Copyright (C) 2026 the killall-ts developers\n\n' +
    'killall-ts comes with ABSOLUTELY NO WARRANTY.\n' +
    'This is free software, and you are welcome to redistribute it under\n' +
    'the terms of the MIT License.\n' +
    'For more information about these matters, see the file named LICENSE.\n'
  );
}
