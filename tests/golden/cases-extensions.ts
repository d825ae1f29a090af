/** killall-ts's additions through the CLI, in the golden world: the extensions, `--explain`, and `killall-ts`. */
import type { CliCase } from './harness.js';

const run = (name: string, args: string[], more: Partial<CliCase> = {}): CliCase => ({ name, args, ...more });

export const EXTENSION_CASES: readonly CliCase[] = [
  // --dry-run
  run('--dry-run', ['--dry-run', '-v', 'hx7a', 'hx7zz']),
  run('--dry-run asks nothing', ['--dry-run', '-i', '-s', 'HUP', 'hx7a']),
  run('--dry-run -q', ['--dry-run', '-q', 'hx7a', 'hx7zz']),
  run('--dry-run hostile names and users', ['--dry-run', '-r', '^hx7[^a-zA-Z0-9]']),
  run('--dry-run -g: members', ['--dry-run', '-g', 'hx7g', 'hx7one']),
  run('--dry-run --tree', ['--dry-run', '--tree', 'hx7sup']),
  run('--dry-run --kill-after', ['--dry-run', '--kill-after', '5s', 'hx7b']),
  run('--dry-run -u without NAMEs', ['--dry-run', '-u', 'bob']),
  run('--dry-run of a zombie and a kernel thread', ['--dry-run', 'hx7zomb', 'kthreadd']),
  run('--d is --dry-run', ['--d', 'hx7new']),
  // --json
  run('--json', ['--json', 'hx7a', 'hx7zz']),
  run('--json -v prints no lines', ['--json', '-v', 'hx7locked', 'hx7new']),
  run('--json --dry-run -u', ['--json', '--dry-run', '-u', 'mallory']),
  run('--json -i: the prompt on stderr', ['--json', '-i', 'hx7a'], { stdin: 'y\nn\n' }),
  run('--json --kill-after', ['--json', '--kill-after', '2s', 'hx7b', 'hx7new']),
  run('--json -w --timeout', ['--json', '-w', '--timeout', '1s', 'hx7b']),
  run('--json -g --dry-run', ['--json', '--dry-run', '-g', 'hx7g']),
  run('--json --tree', ['--json', '--tree', 'hx7sup']),
  run('--json usage', ['--json']),
  run('--json bad regex', ['--json', '-r', '(', 'hx7a']),
  run('--json bad option', ['--json', '--kill-after', 'x', 'hx7a']),
  run('--json fatal: /proc not mounted', ['--json', 'hx7a'], { variant: 'no-proc' }),
  run('--json hidepid', ['--json', 'hx7zz'], { variant: 'hidepid' }),
  // --tree
  run('--tree', ['-v', '--tree', 'hx7sup']),
  run('--tree skips ourselves and our ancestors', ['-v', '--tree', 'hx7anc']),
  run('--tree on a descendant matched too', ['-v', '--tree', 'hx7sup', 'hx7kid']),
  run('--tree -i', ['-i', '--tree', 'hx7sup', 'hx7g'], { stdin: 'y\nn\n' }),
  run('--tree -g is refused', ['--tree', '-g', 'hx7a']),
  run('--tree -w', ['--tree', '-w', '-v', 'hx7zp']),
  run('--tree: a descendant exits before its pin', ['-v', '--tree', 'hx7sup'], {
    race: { pid: 262, before: 'pin', change: 'exit' },
  }),
  run('--json: a match exits before its pin', ['--json', 'hx7a'], {
    race: { pid: 202, before: 'pin', change: 'exit' },
  }),
  run('--dry-run: a PID reused before its pin', ['--dry-run', 'hx7a'], {
    race: { pid: 201, before: 'pin', change: 'reuse' },
  }),
  // --kill-after, --timeout, -w
  run('--kill-after', ['-v', '--kill-after', '1.5s', 'hx7b', 'hx7new']),
  run('--kill-after -g', ['-v', '-g', '--kill-after', '1s', 'hx7b']),
  run('--kill-after --tree', ['-v', '--tree', '--kill-after', '300ms', 'hx7sup']),
  run('--kill-after with --timeout', ['--kill-after', '300ms', '--timeout', '10s', 'hx7b']),
  run('--kill-after -i declined', ['-i', '--kill-after', '1', 'hx7b'], { stdin: 'n\n' }),
  run('--kill-after=2s', ['--kill-after=2s', 'hx7b']),
  run('--kill-after 0', ['--kill-after', '0', 'hx7a']),
  run('--kill-after soon', ['--kill-after', 'soon', 'hx7a']),
  run('--kill-after 30d', ['--kill-after', '30d', 'hx7a']),
  run('--kill-after with -9', ['-9', '--kill-after', '1', 'hx7a']),
  run('--kill-after missing DURATION', ['hx7a', '--kill-after']),
  run('--timeout without a wait', ['--timeout', '1', 'hx7a']),
  run('-w --timeout', ['-w', '--timeout', '1s', 'hx7b', 'hx7new']),
  run('-w --timeout enough', ['-w', '--timeout', '20s', 'hx7a']),
  run('--ti=5 -w', ['--ti=5', '-w', 'hx7new']),
  run('--kill-after on EPERM', ['-v', '--kill-after', '1s', 'hx7locked']),
  // :PORT
  run(':PORT', ['-v', ':8080']),
  run(':PORT/tcp (IPv6), /udp, and misses', ['-v', ':8443/tcp', ':5353/udp', ':5353/tcp', ':4000']),
  run(':PORT 0 and 70000', ['hx7srv', ':0']),
  run(':70000', [':70000']),
  run('-r makes :PORT a regex', ['-r', ':8080']),
  run(':PORT with -u', ['-v', '-u', 'alice', ':5353']),
  run(':PORT --dry-run', ['--dry-run', ':22', ':8080']),
  // Spellings and POSIXLY_CORRECT
  run('POSIXLY_CORRECT stops before an extension', ['hx7new', '--dry-run'], {
    env: { POSIXLY_CORRECT: '1' },
  }),
  run('--tr is --tree', ['--tr', '--dry-run', 'hx7anc']),
  run('-dry-run is psmisc (-d is unknown)', ['-dry-run', 'hx7a']),
  run('--dry-run=1 is a usage error', ['--dry-run=1', 'hx7a']),
];

export const EXPLAIN_CASES: readonly CliCase[] = [
  run('no match: summary and hints', ['--explain', 'hx7zz']),
  run('a match', ['--explain', '-v', 'hx7new']),
  run('--explain=all, two NAMEs', ['--explain=all', '-v', 'hx7a', 'HX7B']),
  run('--explain all keeps all a NAME', ['--explain', '-i', 'hx7new', 'all'], { stdin: 'y\n' }),
  run('-e: the cut comm and its hint', ['--explain', '-e', 'hx7abcdefghijkl']),
  run('a long name', ['--explain=all', 'hx7abcdefghijklmnop']),
  run('near misses: script, renamed, case, prefix', [
    '--explain',
    'hx7job.sh',
    'hx7tool.py',
    'hx7-worker:',
    'HX7OLD',
  ]),
  run('EPERM', ['--explain', '-v', 'hx7locked']),
  run('-u, -o and -y', ['--explain=all', '-u', 'alice', '-y', '5m', 'hx7a', 'hx7b']),
  run('-n and -Z', ['--explain', '-n', '340', '-Z', 'unconfined', 'hx7a']),
  run('-r', ['--explain', '-r', '^hx7[ab]$']),
  run('a path NAME', ['--explain', '-v', '/usr/local/bin/hx7bin']),
  run('a port NAME', ['--explain', '-v', ':8080']),
  run('-g', ['--explain', '-g', 'hx7g', 'hx7one']),
  run('-w', ['--explain', '-w', 'hx7new']),
  run('--kill-after', ['--explain', '-v', '--kill-after', '1s', 'hx7b']),
  run('--tree', ['--explain', '--tree', 'hx7sup']),
  run('--dry-run --json', ['--explain', '--json', '--dry-run', 'hx7a']),
  run('a zombie and hostile names', ['--explain', '-0', '-r', '^hx7[^a-z]|zomb']),
  run('no pidfd', ['--explain', '-v', 'hx7new'], { variant: 'no-pidfd' }),
  run('hidepid', ['--explain', 'hx7zz'], { variant: 'hidepid' }),
  run('a fatal error', ['--explain', 'hx7a'], { variant: 'emfile' }),
  run('a bad regex', ['--explain', '-r', '(']),
  run('a PID reused before its pin, same start time and comm', ['--explain', '-v', 'hx7a'], {
    race: { pid: 201, before: 'pin', change: 'reuse-same-start' },
  }),
  run('-i: the process exits while asked', ['--explain', '-i', 'hx7new'], {
    stdin: 'y\n',
    race: { pid: 301, before: 'send', change: 'exit' },
  }),
];

const ts = (name: string, args: string[], more: Partial<CliCase> = {}): CliCase =>
  run(name, args, { programName: 'killall-ts', ...more });

export const KILLALL_TS_CASES: readonly CliCase[] = [
  ts('alone, off a terminal: usage', []),
  ts('--help', ['--help']),
  ts('-h after options', ['-v', '-h']),
  ts('-V on stdout', ['-V']),
  ts('--generate-completion bash', ['--generate-completion', 'bash']),
  ts('--generate-completion zsh', ['--generate-completion=zsh']),
  ts('--generate-completion fish', ['--generate-completion', 'fish']),
  ts('--generate-completion of an unknown shell', ['--generate-completion', 'tcsh']),
  ts('-s -h: -h is the signal argument', ['-s', '-h', 'hx7a']),
  ts('a run as killall-ts', ['-v', 'hx7new']),
  ts('-h after -l: -l wins', ['-l', '-h']),
];
