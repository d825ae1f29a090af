/**
 * The scenarios of the extension suite (extensions.test.ts checks each outcome; the live differential,
 * tests/golden/live.ts, runs each with two builds of killall-ts and compares them): ext-victim trees in a private
 * PID namespace, then one command. `{victim}` in a command is the compiled ext-victim.
 */
import { type ExtCase, NOBODY_KILLALL } from '../helpers/ext.js';
import type { ExtVictim } from '../helpers/ext-runner.js';
import { OURS, ROOT } from '../helpers/ns.js';

const V = (label: string, exe: string, more: Partial<ExtVictim> = {}): ExtVictim => ({ label, exe, ...more });
const STAY = ['--stay'];
const one = (exe: string, args?: readonly string[]): ExtVictim[] => [V('a', exe, args ? { args } : {})];
const port = (n: number, proto = 'tcp'): readonly string[] => ['--listen', proto, String(n)];

/** Argv that the extensions refuse before anything is sent (each run against one staying victim, hx8ki). */
export const REFUSED_ARGS: readonly (readonly string[])[] = [
  ['--kill-after', 'soon', 'hx8ki'],
  ['--kill-after', '0', 'hx8ki'],
  ['--kill-after', '30d', 'hx8ki'],
  ['--kill-after', '-1', 'hx8ki'],
  ['-9', '--kill-after', '1', 'hx8ki'],
  ['--timeout', '1', 'hx8ki'],
  ['--tree', '-g', 'hx8ki'],
];

/** `--json` errors and the code each document carries. */
export const JSON_ERRORS: readonly (readonly [readonly string[], string])[] = [
  [['--json', '--kill-after', 'x', 'hx8js'], 'BAD_OPTION'],
  [['--json'], 'USAGE'],
  [['--json', '-r', '(', 'hx8js'], 'BAD_REGEX'],
];

/** Port NAMEs refused as out of range. */
export const BAD_PORTS: readonly string[] = [':0', ':70000'];

const LIBRARY_SCRIPT = `import(${JSON.stringify(`${ROOT}dist/src/index.js`)}).then(async (k) => {
      const found = (await k.findProcesses({ names: ['hx8lib'] })).filter((p) => p.pid === Number(process.argv[1]));
      const r = await k.signalProcesses(found, { killAfter: 300 });
      process.stdout.write(JSON.stringify({ ok: r.ok, signalled: r.signalled.map((t) => t.pid), escalated: r.escalated.map((e) => e.target.pid) }));
    })`;

// hx8anc (a shell) starts a sibling victim, then a second shell that runs killall-ts --tree hx8anc.
const ANCESTOR_SCRIPT =
  '"$0" "$PWD/rec/sib" --stay >/dev/null 2>&1 & while ! grep -q ready "$PWD/rec/sib" 2>/dev/null; do sleep 0.05; done; ' +
  `sh -c '"$0" --tree -v hx8anc; echo "after rc=$?"' ${OURS}; wait`;

const PORT_VICTIM = one('hx8srv', port(3999));

export const EXT_SCENARIOS: Readonly<Record<string, ExtCase>> = {
  '--dry-run': {
    scenario: {
      victims: [V('a', 'hx8dra'), V('b', 'hx8dra'), V('c', 'hx8drc')],
      command: [OURS, '--dry-run', '-i', '-s', 'HUP', 'hx8dra', 'hx8none'],
      stdin: '',
    },
  },
  '--dry-run -q': {
    scenario: { victims: one('hx8drq'), command: [OURS, '--dry-run', '-q', 'hx8drq', 'hx8none'] },
  },
  '--kill-after': {
    scenario: {
      victims: [V('stubborn', 'hx8ka', { args: STAY }), V('polite', 'hx8ka')],
      command: [OURS, '-v', '--kill-after', '1.5s', 'hx8ka'],
      later: { when: { label: 'stubborn', signal: 15 }, victim: V('late', 'hx8ka', { args: STAY }) },
    },
  },
  '--kill-after -i declined': {
    scenario: {
      victims: one('hx8ki', STAY),
      command: [OURS, '-i', '--kill-after', '1', 'hx8ki'],
      stdin: 'n\n',
    },
  },
  ...Object.fromEntries(
    REFUSED_ARGS.map((args) => [
      `refused: ${args.join(' ')}`,
      { scenario: { victims: one('hx8ki', STAY), command: [OURS, ...args] } },
    ]),
  ),
  '-w --timeout': {
    scenario: {
      victims: [V('stubborn', 'hx8to', { args: STAY }), V('polite', 'hx8to')],
      command: [OURS, '-w', '--timeout', '1s', 'hx8to'],
    },
  },
  '-w --timeout, time enough': {
    scenario: { victims: one('hx8to'), command: [OURS, '-w', '--timeout', '20s', 'hx8to'] },
  },
  '--kill-after --timeout': {
    scenario: {
      victims: one('hx8kt', STAY),
      command: [OURS, '--kill-after', '300ms', '--timeout', '10s', 'hx8kt'],
    },
  },
  '--json with an escalation': {
    scenario: {
      victims: [V('a', 'hx8js'), V('b', 'hx8js', { args: STAY })],
      command: [OURS, '--json', '-v', '--kill-after', '500ms', 'hx8js', 'hx8none'],
    },
  },
  '--json --dry-run': {
    scenario: { victims: one('hx8js'), command: [OURS, '--json', '--dry-run', 'hx8js'] },
  },
  '--json -w --timeout': {
    scenario: { victims: one('hx8js', STAY), command: [OURS, '--json', '-w', '--timeout', '300ms', 'hx8js'] },
  },
  ...Object.fromEntries(
    JSON_ERRORS.map(([args]) => [
      `--json error: ${args.join(' ')}`,
      { scenario: { victims: one('hx8js'), command: [OURS, ...args] } },
    ]),
  ),
  '--json -i': {
    scenario: { victims: one('hx8ji'), command: [OURS, '--json', '-i', 'hx8ji'], stdin: 'y\n' },
  },
  '--tree': {
    scenario: {
      victims: [
        V('fam', 'hx8tree', { args: ['--children', '2', 'hx8kid', '--depth', '2'], size: 7 }),
        V('other', 'hx8other'),
      ],
      command: [OURS, '-v', '--tree', 'hx8tree'],
    },
  },
  '--tree --kill-after': {
    scenario: {
      victims: [V('fam', 'hx8tk', { args: ['--stay', '--children', '2', 'hx8tkkid'], size: 3 })],
      command: [OURS, '--tree', '--kill-after', '300ms', 'hx8tk'],
    },
  },
  '--tree on a respawning supervisor': {
    scenario: {
      victims: [V('sup', 'hx8sup', { args: ['--respawn', '--children', '3', 'hx8child'], size: 4 })],
      command: [OURS, '--tree', '-w', '--timeout', '20s', 'hx8sup'],
    },
  },
  '--tree -i declined': {
    scenario: {
      victims: [V('fam', 'hx8ti', { args: ['--children', '2', 'hx8tikid'], size: 3 })],
      command: [OURS, '-i', '--tree', 'hx8ti'],
      stdin: 'n\n',
    },
  },
  '--tree over our ancestors': {
    scenario: {
      victims: [],
      command: [
        'sh',
        '-c',
        `cp /bin/sh ./hx8anc && cp "$0" ./hx8sib && exec ./hx8anc -c '${ANCESTOR_SCRIPT.replaceAll("'", "'\\''")}' ./hx8sib`,
        '{victim}',
      ],
      records: ['sib'],
      timeoutMs: 20_000,
    },
  },
  'POSIXLY_CORRECT before an extension': {
    scenario: { victims: one('hx8pc'), command: [OURS, 'hx8pc', '--dry-run'], env: { POSIXLY_CORRECT: '1' } },
  },
  'library: signalProcesses with killAfter': {
    scenario: {
      victims: [V('chosen', 'hx8lib', { args: STAY }), V('spared', 'hx8lib', { args: STAY })],
      command: [process.execPath, '--input-type=module', '-e', LIBRARY_SCRIPT, '{pid:chosen}'],
    },
  },
  ':PORT NAMEs': {
    net: true,
    scenario: {
      victims: [
        V('tcp4', 'hx8srv', { args: port(3999) }),
        V('tcp6', 'hx8srv6', { args: port(3997, 'tcp6') }),
        V('udp', 'hx8dns', { args: port(3998, 'udp') }),
        V('idle', 'hx8srv'),
      ],
      command: [OURS, '-v', ':3999', ':3997/tcp', ':3998/udp', ':3998/tcp', ':4000'],
    },
  },
  ':PORT --json': { net: true, scenario: { victims: PORT_VICTIM, command: [OURS, '--json', ':3999'] } },
  ':PORT -u': { net: true, scenario: { victims: PORT_VICTIM, command: [OURS, '-u', 'nobody', ':3999'] } },
  ...Object.fromEntries(
    BAD_PORTS.map((name) => [
      `port out of range: ${name}`,
      { net: true, scenario: { victims: PORT_VICTIM, command: [OURS, 'hx8srv', name] } },
    ]),
  ),
  '-r :PORT': { net: true, scenario: { victims: PORT_VICTIM, command: [OURS, '-r', ':3999'] } },
  ':PORT as nobody': {
    net: true,
    nobody: true,
    scenario: {
      victims: PORT_VICTIM,
      command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', NOBODY_KILLALL, ':3999'],
    },
  },
};
