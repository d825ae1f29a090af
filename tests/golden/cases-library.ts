/**
 * The library's entry points in the golden world, through the public API (src/index.ts): `killall()`,
 * `findProcesses()` and `signalProcesses()` with their reports, errors and `onEvent` sequences, and `explain`.
 */
import {
  findProcesses,
  type KillallOptions,
  killall,
  type SignalProcessesOptions,
  signalProcesses,
} from '../../src/index.js';
import type { LibraryCase } from './harness.js';

type Options = Omit<KillallOptions, 'system' | 'onEvent'>;

const kill = (name: string, o: Options): LibraryCase => ({
  name: `killall ${name}`,
  run: (system, onEvent) => killall({ ...o, system, onEvent }),
});

const find = (name: string, o: Options): LibraryCase => ({
  name: `findProcesses ${name}`,
  run: (system) => findProcesses({ ...o, system }),
});

const signal = (
  name: string,
  refs: readonly { pid: number; startTime: string }[],
  o: Omit<SignalProcessesOptions, 'system' | 'onEvent'> = {},
): LibraryCase => ({
  name: `signalProcesses ${name}`,
  run: (system, onEvent) => signalProcesses(refs, { ...o, system, onEvent }),
});

/** Answers `confirm` from a script, in order (false once it runs out). */
const answers = (...script: boolean[]) => {
  let i = 0;
  return () => script[i++] ?? false;
};

// Start times of the world's processes (tests/golden/world.ts): a day old unless said otherwise.
const DAY = String((100_000 - 86_400) * 100);
const ref = (pid: number, startTime = DAY) => ({ pid, startTime });

export const LIBRARY_CASES: readonly LibraryCase[] = [
  kill('by name (ancestors excluded, no kernel threads by default)', { names: ['hx7a', 'hx7zz'] }),
  kill('raw byte NAMEs, regexp, ignoreCase', {
    names: [Buffer.from('^HX7[^a-z]', 'latin1'), 'KTHREAD'],
    regexp: true,
    ignoreCase: true,
    signal: 0,
  }),
  kill('user by name and by uid, signal by name', { user: 'bob', signal: 'SIGHUP' }),
  kill('user 1000 with an age window', { user: 1000, youngerThan: 3600, olderThan: 10, signal: 'USR1' }),
  kill('kernel threads and ancestors included', {
    names: ['kthreadd', 'hx7anc'],
    kernelThreads: true,
    excludeAncestors: false,
    signal: 0,
  }),
  kill('exact', { names: ['hx7abcdefghijkl'], exact: true }),
  kill('processGroup', { names: ['hx7g', 'hx7one'], processGroup: true }),
  kill('confirm from a script', { names: ['hx7a', 'hx7g'], confirm: answers(true, false, true) }),
  kill('dryRun with details and tree', {
    names: ['hx7sup', 'hx7anc'],
    dryRun: true,
    details: true,
    tree: true,
  }),
  kill('dryRun processGroup (members)', { names: ['hx7g'], dryRun: true, processGroup: true }),
  kill('killAfter', { names: ['hx7b', 'hx7new'], killAfter: 2000 }),
  kill('wait with a timeout', { names: ['hx7b', 'hx7new'], wait: { timeoutMs: 1500 } }),
  kill('wait on a group', { names: ['hx7sup'], processGroup: true, wait: true }),
  kill('tree with killAfter', { names: ['hx7sup'], tree: true, killAfter: 500, details: true }),
  kill('EPERM and a port NAME', { names: ['hx7locked', ':8443'], signal: 'TERM' }),
  kill('signal 99 is refused before anything is read', { names: ['hx7a'], signal: 99 }),
  kill('unknown signal name', { names: ['hx7a'], signal: 'FOO' }),
  kill('killAfter with signal 9', { names: ['hx7a'], signal: 9, killAfter: 100 }),
  kill('tree with processGroup', { names: ['hx7a'], tree: true, processGroup: true }),
  kill('wait.timeoutMs negative', { names: ['hx7a'], wait: { timeoutMs: -1 } }),
  kill('bad regex', { names: ['('], regexp: true }),
  kill('unknown user', { names: ['hx7a'], user: 'nosuchuserx' }),
  kill('missing path', { names: ['/nonexistent/hx7x'] }),
  kill('port out of range', { names: [':0'] }),
  kill('an aborted signal', { names: ['hx7a'], abortSignal: AbortSignal.abort('stop') }),
  { ...kill('hidepid', { names: ['hx7zz'] }), variant: 'hidepid' },
  { ...kill('/proc not mounted', { names: ['hx7a'] }), variant: 'no-proc' },
  { ...kill('EMFILE', { names: ['hx7g'] }), variant: 'emfile' },
  { ...kill('no pidfd', { names: ['hx7a', 'hx7locked'] }), variant: 'no-pidfd' },
  find('every process', {}),
  find('by name, with kernel threads', {
    names: ['hx7abcdefghijklmnop', 'kworker', 'hx7zomb'],
    kernelThreads: true,
  }),
  find('regexp with a context and a namespace', {
    names: ['^hx7'],
    regexp: true,
    context: 'hx7_t',
    namespacePid: 1,
  }),
  find('by path and by port', { names: ['/usr/local/bin/hx7bin', ':5353/udp'] }),
  find('bad regex', { names: ['a{1'], regexp: true }),
  signal('one gone, one stale, one live', [ref(201, String((100_000 - 100) * 100)), ref(555), ref(202)]),
  signal('processGroup: a member the group signal ended, and group 1', [ref(240), ref(242), ref(250)], {
    processGroup: true,
  }),
  signal('processGroup with signal 0: a group already signalled is skipped', [ref(240), ref(242)], {
    processGroup: true,
    signal: 0,
  }),
  signal('tree, dry run, details', [ref(260)], { tree: true, dryRun: true, details: true }),
  signal('killAfter', [ref(203, String((100_000 - 50) * 100))], { killAfter: 1000 }),
  signal('confirm', [ref(240), ref(243)], { confirm: answers(false, true) }),
  {
    ...signal('a PID reused before its pin', [ref(240)]),
    race: { pid: 240, before: 'pin', change: 'reuse-same-start' },
  },
  {
    ...kill('confirm, and a process exits while asked', {
      names: ['hx7a'],
      confirm: answers(true, true, true),
    }),
    race: { pid: 202, before: 'send', change: 'exit' },
  },
  {
    ...kill('a match exits before its pin', { names: ['hx7a'] }),
    race: { pid: 201, before: 'pin', change: 'exit' },
  },
  signal('not a process identity', [{ pid: 0, startTime: '1' }]),
  signal('nothing to signal', []),
  {
    name: 'findProcesses with explain',
    run: async (system, onEvent) => {
      const lines: unknown[] = [];
      const found = await findProcesses({
        names: ['hx7new', 'hx7zz'],
        system,
        explain: { onEvent: (e) => lines.push(e) },
      });
      onEvent({ explained: lines });
      return found;
    },
  },
  {
    name: 'killall with explain (its events among the run events)',
    run: (system, onEvent) => killall({ names: ['hx7new'], system, onEvent, explain: { onEvent } }),
  },
];
