/**
 * Differential suite: each scenario starts the same fresh victims in a private PID namespace, runs psmisc's
 * killall and ours with the same arguments, and compares which victim received which signal, stdout, stderr and
 * the exit status. Victims are the only processes besides the runner, so nothing else can be hit.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { comparable, needsNobody, nobodySkip, OURS, PSMISC, psmiscSkip, runBoth } from '../helpers/ns.js';
import type { RunResult, Scenario, VictimSpec } from '../helpers/scenario.js';

const V = (label: string, exe: string, extra: Partial<VictimSpec> = {}): VictimSpec => ({
  label,
  exe,
  ...extra,
});
const LONG = 'hx7abcdefghijklmnop';
const LONG15 = 'hx7abcdefghijkl';
// For -y 1s and -o 1s: hx7new must stay younger than 1 s (with a margin for clock ticks) while killall runs.
const YOUNG = { label: 'b', ms: 900 } as const;

export const SCENARIOS: Record<string, Scenario> = {
  'match with decoys': { victims: [V('a', 'hx7a'), V('b', 'hx7b'), V('c', 'hx7aa')], args: ['hx7a'] },
  verbose: { victims: [V('a', 'hx7a'), V('b', 'hx7b')], args: ['-v', 'hx7a', 'hx7b'] },
  'no match': { victims: [V('a', 'hx7a')], args: ['hx7zz'] },
  quiet: { victims: [V('a', 'hx7a')], args: ['-q', 'hx7zz'] },
  'quiet with a match': { victims: [V('a', 'hx7a')], args: ['-q', 'hx7a', 'hx7zz'] },
  'two names, one missing': { victims: [V('a', 'hx7a')], args: ['-v', 'hx7a', 'hx7missing'] },
  'the same name twice': { victims: [V('a', 'hx7b')], args: ['hx7b', 'hx7b'] },
  'two processes one name': { victims: [V('a', 'hx7d'), V('b', 'hx7d')], args: ['-v', 'hx7d'] },
  'options after names': { victims: [V('a', 'hx7a')], args: ['hx7a', '-v', '-HUP'] },
  '-9': { victims: [V('a', 'hx7a'), V('b', 'hx7b')], args: ['-9', 'hx7a'] },
  '-KILL': { victims: [V('a', 'hx7a')], args: ['-KILL', 'hx7a'] },
  '-SIGHUP -v': { victims: [V('a', 'hx7a')], args: ['-SIGHUP', '-v', 'hx7a'] },
  '-INT': { victims: [V('a', 'hx7a')], args: ['-INT', 'hx7a'] },
  '-v -ILL': { victims: [V('a', 'hx7a')], args: ['-v', '-ILL', 'hx7a'] },
  '-VTALRM': { victims: [V('a', 'hx7a')], args: ['-VTALRM', 'hx7a'] },
  '-I -INT': { victims: [V('a', 'hx7a')], args: ['-I', '-INT', 'hx7a'] },
  '--verbose -INT': { victims: [V('a', 'hx7a')], args: ['--verbose', '-INT', 'hx7a'] },
  '-s USR1': { victims: [V('a', 'hx7a')], args: ['-s', 'USR1', '-v', 'hx7a'] },
  '--signal=USR2': { victims: [V('a', 'hx7a')], args: ['--signal=USR2', 'hx7a'] },
  '-sSIGQUIT': { victims: [V('a', 'hx7a')], args: ['-sSIGQUIT', 'hx7a'] },
  '-s 40 (real-time)': { victims: [V('a', 'hx7a')], args: ['-s', '40', '-v', 'hx7a'] },
  '-99 (EINVAL)': { victims: [V('a', 'hx7a')], args: ['-99', 'hx7a'] },
  '-0 liveness': { victims: [V('a', 'hx7a')], args: ['-0', '-v', 'hx7a'] },
  '-s 0x10 is signal 0': { victims: [V('a', 'hx7a')], args: ['-s', '0x10', '-v', 'hx7a'] },
  'last signal wins': { victims: [V('a', 'hx7a')], args: ['-HUP', '-9', '-s', 'USR1', 'hx7a'] },
  'bad signal': { victims: [V('a', 'hx7a')], args: ['-s', 'FOO', 'hx7a'] },
  'bad signal -Hup': { victims: [V('a', 'hx7a')], args: ['-Hup', 'hx7a'] },
  'bad signal -SIGIO': { victims: [V('a', 'hx7a')], args: ['-SIGIO', 'hx7a'] },
  'long name in full': { victims: [V('a', LONG)], args: ['-v', LONG] },
  'long name truncated': { victims: [V('a', LONG)], args: ['-v', LONG15] },
  'long name, 16-char prefix': { victims: [V('a', LONG)], args: [`${LONG15}m`] },
  'no long name, any 15-prefix': {
    victims: [V('a', LONG, { argv0: 'fooarg0' })],
    args: ['-v', `${LONG}qrstuvwxyz`],
  },
  '-e skips partial': { victims: [V('a', LONG, { argv0: 'fooarg0' })], args: ['-e', '-v', LONG15] },
  '-e with long name': { victims: [V('a', LONG)], args: ['-e', '-v', LONG] },
  '-ve': { victims: [V('a', LONG, { argv0: 'fooarg0' }), V('b', 'hx7b')], args: ['-ve', 'hx7b'] },
  '-I': { victims: [V('a', 'hx7b')], args: ['-v', '-I', 'HX7B'] },
  'case-sensitive by default': { victims: [V('a', 'hx7b')], args: ['HX7B'] },
  '-I on a long name': { victims: [V('a', LONG)], args: ['-I', LONG.toUpperCase()] },
  '-r by long name': { victims: [V('a', LONG), V('b', 'hx7b')], args: ['-v', '-r', 'klmnop$'] },
  '-r anchors': { victims: [V('a', 'hx7ab'), V('b', 'xhx7ab')], args: ['-v', '-r', '^hx7'] },
  '-r classes': {
    victims: [V('a', 'hx7a1'), V('b', 'hx7b')],
    args: ['-v', '-r', '^hx7[[:alpha:]][[:digit:]]$'],
  },
  '-r intervals': { victims: [V('a', 'hx7aaa'), V('b', 'hx7a')], args: ['-v', '-r', 'a{3}'] },
  '-r -I': { victims: [V('a', 'hx7a')], args: ['-v', '-r', '-I', '^HX7A$'] },
  '-r unmatched )': { victims: [V('a', 'hx7)')], args: ['-v', '-r', 'hx7)'] },
  '-r alternation': {
    victims: [V('a', 'hx7p'), V('b', 'hx7q'), V('c', 'hx7r')],
    args: ['-v', '-r', '^hx7(p|r)$'],
  },
  '-r bad regex': { victims: [V('a', 'hx7a')], args: ['-r', '('] },
  '-r bad interval': { victims: [V('a', 'hx7a')], args: ['-r', 'a{1'] },
  '-r with a slash': { victims: [V('a', 'hx7a')], args: ['-r', '-v', 'x/y|hx7a'] },
  '-r two patterns credit': { victims: [V('a', 'hx7a')], args: ['-r', 'hx7', 'a$'] },
  'names with spaces and parentheses': {
    victims: [V('a', 'hx7 a (b)'), V('b', 'hx7 a')],
    args: ['-v', 'hx7 a (b)'],
  },
  'comm set by prctl': {
    victims: [V('a', 'hx7x', { args: ['--comm', 'hx7 (renamed)'] })],
    args: ['-v', 'hx7 (renamed)'],
  },
  usage: { victims: [], args: [] },
  'no names with -v': { victims: [], args: ['-v'] },
  'unknown option': { victims: [], args: ['-x', 'hx7a'] },
  'unknown long option': { victims: [], args: ['--foo', 'hx7a'] },
  '--help': { victims: [], args: ['--help'] },
  '-h': { victims: [], args: ['-h'] },
  '--': { victims: [], args: ['--', '-q'] },
  'lone dash': { victims: [], args: ['-'] },
  '-l': { victims: [], args: ['-l'] },
  '--list': { victims: [], args: ['--list'] },
  '-l stops parsing': { victims: [], args: ['-l', '-QQ'] },
  'bad signal before -l': { victims: [], args: ['-QQ', '-l'] },
  POSIXLY_CORRECT: { victims: [V('a', 'hx7b')], args: ['hx7b', '-0'], env: { POSIXLY_CORRECT: '1' } },
  'combined flags -vq': { victims: [V('a', 'hx7a')], args: ['-vq', 'hx7a', 'hx7zz'] },
  '-v9 is usage': { victims: [V('a', 'hx7a')], args: ['-v9', 'hx7a'] },
  '-9v is signal 9': { victims: [V('a', 'hx7a')], args: ['-9v', 'hx7a'] },
  '-vKILL is usage': { victims: [V('a', 'hx7a')], args: ['-vKILL', 'hx7a'] },
  '-stop is -s top': { victims: [V('a', 'hx7a')], args: ['-stop', 'hx7a'] },
  '-usr1 is -u sr1': { victims: [V('a', 'hx7a')], args: ['-usr1', 'hx7a'] },
  '-ver': { victims: [V('a', 'hx7a')], args: ['-ver', 'hx7zz'] },
  '--ver is usage': { victims: [], args: ['--ver', 'hx7zz'] },
  'bad time 1.5h': { victims: [V('a', 'hx7a')], args: ['-y', '1.5h', 'hx7a'] },
  'bad time 5': { victims: [V('a', 'hx7a')], args: ['-o', '5', 'hx7a'] },
  'bad time 0s': { victims: [V('a', 'hx7a')], args: ['-y', '0s', 'hx7a'] },
  'bad ns': { victims: [V('a', 'hx7a')], args: ['-n', 'abc', 'hx7a'] },
  '-n 0 is all namespaces': { victims: [V('a', 'hx7a')], args: ['-n', '0', '-v', 'hx7a'] },
  '-n of a missing pid turns the filter off': {
    victims: [V('a', 'hx7a')],
    args: ['-n', '99999', '-v', 'hx7a'],
  },
  '-n 1 (our namespace)': { victims: [V('a', 'hx7a')], args: ['-n', '1', '-v', 'hx7a'] },
  '-n PID of another namespace keeps only that namespace': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nested: true })],
    args: ['-v', '-n', '{pid:b}', 'hx7a'],
  },
  '-n PID of our namespace skips the nested one': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nested: true })],
    args: ['-v', '-n', '{pid:a}', 'hx7a'],
  },
  'without -n, every namespace': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nested: true })],
    args: ['-v', 'hx7a'],
  },
  'unknown user': { victims: [V('a', 'hx7a')], args: ['-u', 'nosuchuserx', 'hx7a'] },
  '-u 0 is a name': { victims: [V('a', 'hx7a')], args: ['-u', '0', 'hx7a'] },
  '-u nobody': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nobody: true })],
    args: ['-v', '-u', 'nobody', 'hx7a'],
  },
  '-u root': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nobody: true })],
    args: ['-v', '-u', 'root', 'hx7a'],
  },
  '-u nobody without names': {
    victims: [V('a', 'hx7a'), V('b', 'hx7b', { nobody: true })],
    args: ['-v', '-0', '-u', 'nobody'],
  },
  'as nobody against root: EPERM': { victims: [V('a', 'hx7a')], args: ['hx7a'], asNobody: true },
  'as nobody, one of two permitted': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a', { nobody: true })],
    args: ['-v', 'hx7a'],
    asNobody: true,
  },
  '65 names': { victims: [], args: Array.from({ length: 65 }, (_, i) => `hx7n${i}`) },
  '64 names': { victims: [V('a', 'hx7n3')], args: Array.from({ length: 64 }, (_, i) => `hx7n${i}`) },
  'missing path': { victims: [], args: ['/nonexistent/hx7x'] },
  'missing path aborts before any signal': { victims: [V('a', 'hx7a')], args: ['hx7a', '/nonexistent/hx7x'] },
  'copied binary by path': {
    victims: [V('a', 'hx7copy', { copy: true }), V('b', 'hx7b')],
    args: ['-v', '{dir}/bin/hx7copy'],
  },
  'copied binary by relative path': {
    victims: [V('a', 'hx7copy', { copy: true })],
    args: ['-v', './bin/hx7copy'],
  },
  'path with ..': { victims: [V('a', 'hx7copy', { copy: true })], args: ['-v', '{dir}/rec/../bin/hx7copy'] },
  'symlink path matches the target binary': {
    victims: [V('a', 'hx7s1'), V('b', 'hx7s2')],
    args: ['-v', '{dir}/bin/hx7s1'],
  },
  'directory path': { victims: [V('a', 'hx7a')], args: ['{dir}/bin'] },
  'script by name': { victims: [V('a', 'hx7s.sh', { script: true })], args: ['-v', 'hx7s.sh'] },
  'long script name': {
    victims: [V('a', 'hx7longscriptname.sh', { script: true })],
    args: ['-v', 'hx7longscriptname.sh'],
  },
  'script path matches nothing': {
    victims: [V('a', 'hx7s.sh', { script: true })],
    args: ['{dir}/bin/hx7s.sh'],
  },
  '/bin/sh matches scripts': {
    victims: [V('a', 'hx7s.sh', { script: true })],
    args: ['-v', '-0', '/bin/sh'],
  },
  '-g once per group': {
    victims: [V('a', 'hx7g', { detached: true, args: ['--fork', 'hx7gchild'] })],
    args: ['-v', '-g', 'hx7g'],
  },
  '-g credit': {
    victims: [V('a', 'hx7g', { detached: true, args: ['--fork', 'hx7gchild'] })],
    args: ['-v', '-g', 'hx7g', 'hx7gchild'],
  },
  '-g two groups': {
    victims: [V('a', 'hx7g', { detached: true }), V('b', 'hx7g', { detached: true })],
    args: ['-v', '-g', '-0', 'hx7g'],
  },
  '-g on a group outside the namespace (pgid 0)': { victims: [V('a', 'hx7a')], args: ['-v', '-g', 'hx7a'] },
  'zombie counts as killed': {
    victims: [V('a', 'hx7zp', { args: ['--zombie', 'hx7zomb'] })],
    args: ['-v', '-0', 'hx7zomb'],
  },
  '-i y': { victims: [V('a', 'hx7a')], args: ['-i', 'hx7a'], stdin: 'y\n' },
  '-i n': { victims: [V('a', 'hx7a')], args: ['-i', 'hx7a'], stdin: 'n\n' },
  '-i empty line': { victims: [V('a', 'hx7a')], args: ['-i', 'hx7a'], stdin: '\n' },
  '-i EOF': { victims: [V('a', 'hx7a'), V('b', 'hx7a')], args: ['-i', 'hx7a'], stdin: null },
  '-i re-ask': { victims: [V('a', 'hx7a')], args: ['-i', '-s', 'HUP', 'hx7a'], stdin: 'x\nyes\n' },
  '-i per process': {
    victims: [V('a', 'hx7a'), V('b', 'hx7a')],
    args: ['-i', '-v', 'hx7a'],
    stdin: 'n\ny\n',
  },
  '-i -g': { victims: [V('a', 'hx7g', { detached: true })], args: ['-i', '-g', 'hx7g'], stdin: 'y\n' },
  '-i shows comm, -v the long name': { victims: [V('a', LONG)], args: ['-i', '-v', LONG], stdin: 'y\n' },
  '-y 1s': {
    victims: [V('a', 'hx7old', { delayAfterMs: 2200 }), V('b', 'hx7new')],
    args: ['-v', '-y', '1s', '-r', '^hx7'],
    youngDuringRun: YOUNG,
  },
  '-o 1s': {
    victims: [V('a', 'hx7old', { delayAfterMs: 2200 }), V('b', 'hx7new')],
    args: ['-v', '-o', '1s', '-r', '^hx7'],
    youngDuringRun: YOUNG,
  },
  '-w': { victims: [V('a', 'hx7a')], args: ['-w', 'hx7a'] },
  '-w -v two': { victims: [V('a', 'hx7a'), V('b', 'hx7b')], args: ['-w', '-v', 'hx7a', 'hx7b'] },
  '-o and -y together': {
    victims: [V('a', 'hx7old', { delayAfterMs: 2200 }), V('b', 'hx7new')],
    args: ['-v', '-0', '-o', '1s', '-y', '1m', '-r', '^hx7'],
    youngDuringRun: YOUNG,
  },
  "-r '' matches every process": { victims: [V('a', 'hx7a'), V('b', 'hx7b')], args: ['-v', '-0', '-r', ''] },
  'an empty NAME': { victims: [V('a', 'hx7a')], args: [''] },
  '-s SIGTERM and --signal KILL': {
    victims: [V('a', 'hx7a'), V('b', 'hx7b')],
    args: ['-s', 'SIGTERM', '--signal', 'KILL', '-v', 'hx7a'],
  },
  '-e -r on a long name': {
    victims: [V('a', LONG), V('b', LONG, { argv0: 'fooarg0' })],
    args: ['-e', '-v', '-r', 'ijkl'],
  },
  '-- then a signal-looking name': { victims: [V('a', 'hx7a')], args: ['-9', '--', '-9', 'hx7a'] },
  '-Z with no names signals every process (as psmisc)': {
    victims: [V('a', 'hx7a')],
    args: ['-v', '-0', '-Z', 'x'],
  },
  '-Z without an LSM matches everything named': {
    victims: [V('a', 'hx7a')],
    args: ['-v', '-0', '-Z', 'x', 'hx7a'],
  },
  '-Z bad regex': { victims: [V('a', 'hx7a')], args: ['-Z', '(', 'hx7a'] },
};

/** What some scenarios must show besides agreeing, so that agreement on a mistake cannot pass. */
const EXPECT: Record<string, (r: RunResult) => void> = {
  '-n PID of another namespace keeps only that namespace': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-n PID of our namespace skips the nested one': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'without -n, every namespace': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], [15]]),
  'match with decoys': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals, r.victims.c!.signals], [[15], [], []]),
  'copied binary by path': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'symlink path matches the target binary': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], [15]]),
  '-u nobody': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-y 1s': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  '-o 1s': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  'long name in full': (r) => assert.deepEqual(r.victims.a!.signals, [15]),
  'long name truncated': (r) => assert.deepEqual(r.victims.a!.signals, []),
  '-r classes': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[15], []]),
  '-i per process': (r) => assert.deepEqual([r.victims.a!.signals, r.victims.b!.signals], [[], [15]]),
  'as nobody against root: EPERM': (r) => assert.match(r.stderr, /Operation not permitted/),
  '-g once per group': (r) =>
    assert.deepEqual([r.victims.a!.signals, r.victims['a.child']!.signals], [[15], [15]]),
  'comm set by prctl': (r) => assert.deepEqual(r.victims.a!.signals, [15]),
  '-s 40 (real-time)': (r) => assert.deepEqual(r.victims.a!.signals, [40]),
};

describe('differential: psmisc killall vs killall-ts', { skip: psmiscSkip, concurrency: 1 }, () => {
  for (const [name, sc] of Object.entries(SCENARIOS)) {
    it(name, { skip: !psmiscSkip && needsNobody(sc) && nobodySkip() }, () => {
      const { psmisc, ours } = runBoth(sc);
      assert.deepEqual(comparable(ours), comparable(psmisc));
      const expect = EXPECT[name];
      if (expect) expect(ours);
    });
  }

  it('every signal name, with and without SIG, in the dash form (psmisc testsuite)', () => {
    const names = spawnSync(PSMISC, ['-l'], { encoding: 'latin1' }).stdout.split(/\s+/).filter(Boolean);
    assert.equal(names.length, 31);
    const script = names
      .flatMap((n) => [`-${n}`, `-SIG${n}`, `--signal=${n}`])
      .map((a) => `for k in "${PSMISC}" "${OURS}"; do "$k" ${a} afakeprocname 2>&1; echo "rc=$?"; done`)
      .join('\n');
    const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'sh', '-c', script], {
      encoding: 'latin1',
    });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, names.length * 3 * 4);
    for (let i = 0; i < lines.length; i += 4) {
      assert.equal(lines[i], 'afakeprocname: no process found');
      assert.deepEqual(lines.slice(i + 2, i + 4), lines.slice(i, i + 2));
    }
  });
});
