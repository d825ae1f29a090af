/**
 * `--pick` in a real terminal: tmux as PID 1 of a private PID namespace, victims and the picker as its windows,
 * keys sent and screens captured from outside (tests/pick/tmux.ts). Every wait is for an outcome, 30 s at most.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { compiledHelper, nsSkip, OURS, ROOT, victimBinary } from '../helpers/ns.js';
import { TmuxNs, tmuxSkip } from '../pick/tmux.js';

const skip = nsSkip || tmuxSkip;

/** Unique comm names (at most 15 bytes) for this run. */
const tag = (): string => `pq${randomBytes(3).toString('hex')}`;

/** An ext-victim tree (tests/helpers/ext-victim.c) started as `name` (a symlink: comm is the exec'd file's name). */
async function extTree(t: TmuxNs, name: string, opts: string): Promise<string> {
  const file = `${t.dir}/${name}.rec`;
  t.window(
    name,
    `ln -s ${compiledHelper('ext-victim')} ${t.dir}/${name} && exec ${t.dir}/${name} ${file} ${opts}`,
  );
  await t.until(`tree ${name} ready`, () => extEvents(t, file).some((e) => e.event === 'ready'));
  return file;
}
/** ext-victim's record: one `PID PPID EVENT MS` line per event of any process of the tree. */
function extEvents(t: TmuxNs, file: string): { pid: number; ppid: number; event: string }[] {
  return t.record(file).map((l) => {
    const [pid, ppid, event] = l.split(' ');
    return { pid: Number(pid), ppid: Number(ppid), event: event! };
  });
}

/** Runs `body` against a fresh tmux server of `width`×`height` in its own PID namespace, then ends both. */
async function inTmux(width: number, height: number, body: (t: TmuxNs) => Promise<void>): Promise<void> {
  const t = new TmuxNs();
  try {
    await t.start(width, height);
    await body(t);
  } finally {
    await t.stop();
  }
}

/** Starts a picker window whose shell prints the exit status when the picker ends. */
function openPicker(t: TmuxNs, args = '', env = ''): void {
  t.window('pick', `${env} ${OURS} --pick ${args}; echo "EXIT=$?"; sleep 86400`);
}

/** Starts victims named `names` and waits until each has armed its handlers; returns their record files. */
async function victims(t: TmuxNs, names: readonly string[]): Promise<string[]> {
  const files = names.map((n) => `${t.dir}/${n}.rec`);
  names.forEach((n, i) => {
    t.window(n, `exec ${victimBinary()} ${files[i]} --comm ${n}`);
  });
  for (const f of files) await t.until(`victim ${f} ready`, () => t.record(f)[0] === 'ready');
  return files;
}

/** The harness's sentinel signal: victim.c and ext-victim.c record it and live on. */
const SENTINEL = '64';
/** The event of a record line: ext-victim's `PID PPID EVENT MS`, or victim.c's `EVENT`. */
const eventOf = (line: string): string => line.split(' ')[2] ?? line;
/** How many sentinels the processes of each record file were sent, in all. */
const sentinels = new Map<string, number>();

/** A record without the sentinels this test sent, after checking that it holds exactly those (a 64 sent by the
 * picker would still show). */
function withoutSentinels(t: TmuxNs, file: string): string[] {
  const lines = t.record(file);
  assert.equal(
    lines.filter((l) => eventOf(l) === SENTINEL).length,
    sentinels.get(file) ?? 0,
    `the test's sentinels and no other 64 in ${file}: ${JSON.stringify(lines)}`,
  );
  return lines.filter((l) => eventOf(l) !== SENTINEL);
}

/**
 * A record once everything sent to its processes so far is in it: sends `pids` (in the namespace) the sentinel from
 * a window of the namespace and waits until each recorded it. victim.c and ext-victim.c handle their signals one at
 * a time, lowest number first, so whatever was sent to them before 64 is recorded by then (a single read right
 * after the picker ended could come before a victim handled a signal still pending). Returns the record without
 * the sentinels (see {@link withoutSentinels}).
 */
async function settled(t: TmuxNs, file: string, pids: readonly number[]): Promise<string[]> {
  const want = (sentinels.get(file) ?? 0) + pids.length;
  sentinels.set(file, want);
  t.window('sentinel', `kill -${SENTINEL} ${pids.join(' ')}`);
  try {
    await t.until(
      `the sentinel recorded by ${pids.join(', ')}`,
      () => t.record(file).filter((l) => eventOf(l) === SENTINEL).length >= want,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${file}: ${JSON.stringify(t.record(file))}`);
  }
  return withoutSentinels(t, file);
}

/** The PID (in the namespace) of what window `name` runs: a victim the window exec'd. */
const panePid = (t: TmuxNs, name: string): number =>
  Number(t.tmux('display-message', '-p', '-t', name, '#{pane_pid}').trim());
/** {@link settled} for the victim that window `name` runs. */
const quiet = (t: TmuxNs, name: string, file: string): Promise<string[]> =>
  settled(t, file, [panePid(t, name)]);

const listed = (screen: string, name: string): boolean =>
  screen.split('\n').some((l) => l.includes(` ${name} `));
/** The first list row (under the cursor after a new search). */
const firstRow = (screen: string): string => screen.split('\n')[2] ?? '';
/** The header's `shown/total` after a search. */
const counts = (screen: string): [number, number] | undefined => {
  const m = /\s(\d+)\/(\d+)\s*$/.exec(screen.split('\n')[0] ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
};
/** Waits until a search for `name` shows it first, in a narrowed list. */
async function search(t: TmuxNs, name: string): Promise<string> {
  t.type('pick', name);
  return t.screen('pick', `${name} first in a narrowed list`, (s) => {
    const c = counts(s);
    // The whole query typed (not a prefix of it), its first row, and fewer rows than in all.
    return (
      (s.split('\n')[0] ?? '').startsWith(`killall-ts pick> ${name} `) &&
      firstRow(s).includes(` ${name} `) &&
      c !== undefined &&
      c[0] < c[1]
    );
  });
}
const exitOf = (screen: string): string | undefined => /EXIT=(\d+)/.exec(screen)?.[1];

describe('--pick in tmux (private PID namespaces)', { skip, concurrency: 1, timeout: 600_000 }, () => {
  before(() => {
    victimBinary();
  });

  it('lists the victims at 80x24, typing narrows the list, a resize redraws, Esc signals nothing (exit 1)', () =>
    inTmux(80, 24, async (t) => {
      const [a, b] = [tag(), tag()];
      const files = await victims(t, [a, b]);
      openPicker(t);
      // A frame reaches tmux in pieces: wait for the whole of it (both rows and the footer) before asserting.
      const first = await t.screen(
        'pick',
        'both victims listed, and the footer',
        (s) => listed(s, a) && listed(s, b) && /^TERM \[Tab\/\^S\]/.test(s.split('\n')[23] ?? ''),
      );
      const lines = first.split('\n');
      assert.ok(lines.length >= 24 && lines.every((l) => l.length <= 80), 'fits 80x24');
      assert.match(lines[0]!, /^killall-ts pick>/);
      assert.match(lines[1]!, /PID\s+USER\s+CPU%\s+RSS\s+AGE\s+NAME\s+COMMAND/);
      assert.match(lines[23]!, /^TERM \[Tab\/\^S\]/);
      assert.ok(
        /\x1b\[(?:[0-9;]*;)?7m/.test(t.capture('pick', true)),
        'colour on: the cursor row in reverse video',
      );
      const narrowed = await search(t, a);
      assert.match(narrowed.split('\n')[0]!, new RegExp(`^killall-ts pick> ${a}\\s+\\d+/\\d+$`));
      assert.equal(listed(narrowed, 'sleep'), false, 'rows that do not match are gone');
      t.tmux('resize-window', '-t', 'pick', '-x', '60', '-y', '16');
      await t.screen('pick', 'the frame redrawn at 60x16', (s) => {
        const l = s.split('\n');
        return /^TERM \[Tab\/\^S\]/.test(l[15] ?? '') && l.every((x) => x.length <= 60) && listed(s, a);
      });
      t.keys('pick', 'Escape');
      const end = await t.screen('pick', 'the exit status', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '1');
      for (const [i, n] of [a, b].entries())
        assert.deepEqual(await quiet(t, n, files[i]!), ['ready'], 'nothing was sent');
    }));

  it('marking two of three and confirming signals exactly those two (exit 0); a declined confirmation sends nothing', () =>
    inTmux(80, 24, async (t) => {
      const [a, b, c] = [tag(), tag(), tag()];
      const files = await victims(t, [a, b, c]);
      openPicker(t, '', 'NO_COLOR=1');
      await t.screen('pick', 'three victims listed', (s) => listed(s, a) && listed(s, b) && listed(s, c));
      assert.equal(
        /\x1b\[[0-9;]*[1-9][0-9;]*m/.test(t.capture('pick', true)),
        false,
        'NO_COLOR: no attributes',
      );
      // Mark a, then c (search for each, mark the row under the cursor, clear the search).
      for (const n of [a, c]) {
        await search(t, n);
        t.keys('pick', 'Space', 'C-u');
        await t.screen('pick', 'the search cleared', (s) => listed(s, b));
      }
      t.keys('pick', 'Enter');
      const confirm = await t.screen('pick', 'the confirmation', (s) =>
        /Send TERM to 2 processes: .*\? \[y\/N\]/.test(s),
      );
      const line = confirm.split('\n').find((l) => l.startsWith('Send '))!;
      assert.ok(line.includes(`${a}(`) && line.includes(`${c}(`) && !line.includes(`${b}(`), line);
      t.type('pick', 'y');
      const end = await t.screen('pick', 'the results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '0', end);
      assert.match(end, /Sent TERM:/);
      assert.match(end, new RegExp(`${a}\\(\\d+\\): signalled, exited`));
      assert.match(end, new RegExp(`${c}\\(\\d+\\): signalled, exited`));
      assert.deepEqual(t.record(files[0]!), ['ready', '15']);
      assert.deepEqual(await quiet(t, b, files[1]!), ['ready'], 'the unmarked victim got nothing');
      assert.deepEqual(t.record(files[2]!), ['ready', '15']);

      // Declined: n at the confirmation.
      t.tmux('kill-window', '-t', 'pick');
      openPicker(t);
      await t.screen('pick', 'b listed', (s) => listed(s, b));
      await search(t, b);
      t.keys('pick', 'Enter');
      await t.screen('pick', 'the confirmation', (s) => s.includes(`Send TERM to ${b}(`));
      t.type('pick', 'n');
      const declined = await t.screen('pick', 'the exit status', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(declined), '1');
      assert.deepEqual(await quiet(t, b, files[1]!), ['ready'], 'declined: nothing sent');
    }));

  it('^S sets any signal of the table and that signal is sent; ^T and ^K switch tree and escalation in the footer', () =>
    inTmux(80, 24, async (t) => {
      const [a] = [tag()];
      const files = await victims(t, [a]);
      openPicker(t);
      await t.screen('pick', 'a listed', (s) => listed(s, a));
      t.keys('pick', 'C-t');
      await t.screen('pick', 'tree on in the footer', (s) => /tree:on \[\^T\]/.test(s));
      t.keys('pick', 'C-t', 'C-k');
      await t.screen('pick', 'tree off, kill-after 5s', (s) =>
        /tree:off \[\^T\] {2}kill-after:5s \[\^K\]/.test(s),
      );
      t.keys('pick', 'C-k');
      await t.screen('pick', 'kill-after off', (s) => /kill-after:off \[\^K\]/.test(s));
      t.keys('pick', 'C-s');
      await t.screen('pick', 'the signal prompt', (s) => s.includes('signal (name or number'));
      t.type('pick', 'USR1');
      t.keys('pick', 'Enter');
      await t.screen('pick', 'USR1 in the footer', (s) => /^USR1 \[Tab\/\^S\]/m.test(s));
      await search(t, a);
      t.keys('pick', 'Enter');
      await t.screen('pick', 'the confirmation', (s) => s.includes(`Send USR1 to ${a}(`));
      t.type('pick', 'y');
      const end = await t.screen('pick', 'the results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '0', end);
      await t.until('USR1 recorded', () => t.record(files[0]!).includes('10'));
      assert.deepEqual(t.record(files[0]!), ['ready', '10']);
    }));

  it('a victim that exits leaves the list on the next refresh; the cursor and marks stay; Ctrl-C leaves (exit 1)', () =>
    inTmux(80, 24, async (t) => {
      const [a, b] = [tag(), tag()];
      await victims(t, [a, b]);
      openPicker(t);
      await t.screen('pick', 'both listed', (s) => listed(s, a) && listed(s, b));
      // Mark a and leave the cursor on it, so that both are held across the refresh.
      await search(t, a);
      t.keys('pick', 'Space', 'C-u', 'Home');
      await t.screen('pick', 'a marked', (s) =>
        s.split('\n').some((l) => /^.\*/.test(l) && l.includes(` ${a} `)),
      );
      t.keys('pick', 'Down');
      // Closing its window hangs b up (the victim records SIGHUP and exits): not the picker's doing.
      t.tmux('kill-window', '-t', b);
      const gone = await t.screen('pick', 'b gone from the list', (s) => !listed(s, b) && listed(s, a));
      const rowA = gone.split('\n').find((l) => l.includes(` ${a} `))!;
      assert.match(rowA, /^>\*/, 'the cursor and the mark stay on a');
      t.keys('pick', 'C-c');
      await t.screen('pick', 'the exit status', (s) => exitOf(s) === '1');
    }));

  it('a chosen process whose PID a same-name newcomer took while the confirmation waited is not signalled (exit 1)', () =>
    inTmux(80, 24, async (t) => {
      const [a, b] = [tag(), tag()];
      const fileA = (await victims(t, [a, b]))[0]!;
      openPicker(t);
      // Typing before the picker's first frame would be echoed by the terminal, still in cooked mode.
      await t.screen('pick', 'both listed', (s) => listed(s, a) && listed(s, b));
      await search(t, a);
      t.keys('pick', 'Enter');
      const confirm = await t.screen('pick', 'the confirmation', (s) => s.includes(`Send TERM to ${a}(`));
      const pid = Number(new RegExp(`Send TERM to ${a}\\((\\d+)\\)`).exec(confirm)![1]);
      // a exits (hung up by closing its window); the list, still refreshed under the question, drops it.
      t.tmux('kill-window', '-t', a);
      await t.screen(
        'pick',
        `${a} gone from the list`,
        (s) =>
          !s
            .split('\n')
            .slice(2, -3)
            .some((l) => l.includes(` ${a} `)),
      );
      // A newcomer with the same name takes the same PID (ns_last_pid, ours in this namespace).
      const fileN = `${t.dir}/newcomer.rec`;
      t.window(
        'newcomer',
        // `& wait`: a fork after the write (a shell execs a last simple command in its own, older PID).
        `echo ${pid - 1} > /proc/sys/kernel/ns_last_pid; ${victimBinary()} ${fileN} --comm ${a} & wait`,
      );
      await t.until('the newcomer ready', () => t.record(fileN)[0] === 'ready');
      await t.screen('pick', 'the newcomer listed with the old PID', (s) =>
        s.split('\n').some((l) => new RegExp(`^..\\s+${pid} .* ${a} `).test(l)),
      );
      t.type('pick', 'y');
      const end = await t.screen('pick', 'the results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '1', end);
      assert.match(end, new RegExp(`${a}\\(${pid}\\): not signalled: it exited, or its PID was reused`));
      // The newcomer took the old PID: the screen showed it with that PID and a's name.
      assert.deepEqual(await settled(t, fileN, [pid]), ['ready'], 'the newcomer got nothing');
      // a got only what closing its window sends (SIGHUP, and SIGCONT with it), never the picker's TERM.
      assert.equal(t.record(fileA).includes('15'), false);
      assert.ok(t.record(fileA).includes('1'));
    }));

  it('NAMEs and psmisc filters choose what is listed (--pick NAME, --pick -r REGEX)', () =>
    inTmux(80, 24, async (t) => {
      const [a, b] = [tag(), tag()];
      await victims(t, [a, b]);
      openPicker(t, a);
      const only = await t.screen(
        'pick',
        'a alone',
        (s) => listed(s, a) && /\s1 processes$/.test(s.split('\n')[0]!),
      );
      assert.equal(listed(only, b), false);
      assert.equal(listed(only, 'sleep'), false);
      t.keys('pick', 'Escape');
      await t.screen('pick', 'the exit status', (s) => exitOf(s) === '1');
      t.tmux('kill-window', '-t', 'pick');
      openPicker(t, `-r '^pq'`);
      const both = await t.screen(
        'pick',
        'a and b',
        (s) => listed(s, a) && listed(s, b) && /\s2 processes$/.test(s.split('\n')[0]!),
      );
      assert.equal(listed(both, 'sleep'), false);
      t.keys('pick', 'Escape');
      await t.screen('pick', 'the exit status', (s) => exitOf(s) === '1');
    }));

  it(':PORT search finds the process that listens on the port', () =>
    inTmux(100, 24, async (t) => {
      const [a] = [tag()];
      await victims(t, [a]);
      const portFile = `${t.dir}/port`;
      const js = `const s=require('net').createServer().listen(0,'127.0.0.1',()=>require('fs').writeFileSync('${portFile}',String(s.address().port)))`;
      t.window('listener', `exec ${process.execPath} -e "${js}"`);
      let port = '';
      await t.until('the listener port', () => {
        port = readFileSync(portFile, 'utf8');
        return /^\d+$/.test(port);
      });
      openPicker(t);
      await t.screen('pick', 'the listener with its port', (s) => s.includes(`:${port}`));
      t.type('pick', `:${port}`);
      // The header is drawn before the rows: wait for both.
      // Its name is the main thread's comm, as in this test process: "node", or "MainThread" on Node 24 and later.
      const comm = readFileSync('/proc/self/comm', 'latin1').trimEnd();
      const rowRe = new RegExp(`^>\\s+\\d+ .*:${port}.* ${comm}`);
      const found = await t.screen(
        'pick',
        'only the listener',
        (s) =>
          s.startsWith(`killall-ts pick> :${port} `) &&
          /\s1\/\d+\s*$/.test(s.split('\n')[0]!) &&
          rowRe.test(s.split('\n')[2] ?? ''),
      );
      assert.equal(found.split('\n')[3], '', 'one row only');
      assert.equal(listed(found, a), false);
      t.keys('pick', 'Escape');
      await t.screen('pick', 'the exit status', (s) => exitOf(s) === '1');
    }));

  it('the tree switch (^T) signals the chosen parent and its children (TERM ignored: still running); another tree gets nothing', () =>
    inTmux(100, 24, async (t) => {
      const [a, kid, b] = [tag(), tag(), tag()];
      // --stay: TERM is recorded and the tree keeps running (were the parent to exit, its window would close and
      // hang up the children, racing the picker's TERM).
      const fileA = await extTree(t, a, `--stay --children 2 ${kid}`);
      const fileB = await extTree(t, b, `--children 1 ${kid}`);
      openPicker(t, '', 'NO_COLOR=1');
      await t.screen('pick', 'both trees listed', (s) => listed(s, a) && listed(s, b) && listed(s, kid));
      t.keys('pick', 'C-t');
      await t.screen('pick', 'tree on', (s) => /tree:on \[\^T\]/.test(s));
      await search(t, a);
      t.keys('pick', 'Enter');
      await t.screen('pick', 'the confirmation', (s) =>
        new RegExp(`Send TERM to ${a}\\(\\d+\\) and its descendants\\? \\[y/N\\]`).test(s),
      );
      t.type('pick', 'y');
      const end = await t.screen('pick', 'the results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '0', end);
      assert.match(end, /Sent TERM to the trees:/);
      assert.match(
        end,
        new RegExp(`${a}\\(\\d+\\): signalled, still running \\(2 descendants signalled, 2 still running\\)`),
      );
      // The picker ends once it sent TERM; the tree (--stay) records it when it runs next.
      const termed = (): boolean => {
        const ev = extEvents(t, fileA);
        const ready = new Set(ev.filter((e) => e.event === 'ready').map((e) => e.pid));
        return ready.size === 3 && [...ready].every((p) => ev.some((e) => e.pid === p && e.event === '15'));
      };
      await t.until(`TERM recorded by the tree of ${a}`, termed);
      const evA = extEvents(t, fileA);
      const pids = new Set(evA.filter((e) => e.event === 'ready').map((e) => e.pid));
      assert.equal(pids.size, 3, 'the parent and two children were ready');
      for (const pid of pids)
        assert.ok(
          evA.some((e) => e.pid === pid && e.event === '15'),
          `${pid} got TERM: ${JSON.stringify(evA)}`,
        );
      const treeB = [...new Set(extEvents(t, fileB).map((e) => e.pid))];
      assert.equal(treeB.length, 2, 'the other tree: a parent and its child');
      assert.equal(
        (await settled(t, fileB, treeB)).some((l) => eventOf(l) !== 'ready'),
        false,
        'the other tree (same child name) got nothing',
      );
    }));

  it('escalation: a victim that ignores TERM gets KILL after the --kill-after delay; --dry-run sends nothing', () =>
    inTmux(100, 24, async (t) => {
      const a = tag();
      const file = await extTree(t, a, '--stay');
      const pid = extEvents(t, file)[0]!.pid;
      openPicker(t, `--dry-run --kill-after 1s ${a}`);
      await t.screen(
        'pick',
        'a listed, kill-after 1s',
        (s) => listed(s, a) && /kill-after:1s \[\^K\]/.test(s),
      );
      t.keys('pick', 'Enter');
      await t.screen('pick', 'the confirmation', (s) => s.includes(`, then KILL after 1s? [y/N]`));
      t.type('pick', 'y');
      const dry = await t.screen('pick', 'the dry-run results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(dry), '0', dry);
      assert.match(dry, /Would send TERM, KILL after 1s \(dry run, nothing sent\):/);
      assert.match(dry, new RegExp(`${a}\\(${pid}\\): would be signalled`));
      assert.deepEqual((await settled(t, file, [pid])).map(eventOf), ['ready'], 'dry run: nothing sent');
      t.tmux('kill-window', '-t', 'pick');
      // Escalation switched on in the picker (^K), with the delay from the command line.
      openPicker(t, `--kill-after 1s ${a}`);
      await t.screen('pick', 'a listed', (s) => listed(s, a) && /kill-after:1s/.test(s));
      t.keys('pick', 'C-k');
      await t.screen('pick', 'escalation off', (s) => /kill-after:off/.test(s));
      t.keys('pick', 'C-k');
      await t.screen('pick', 'escalation on', (s) => /kill-after:1s/.test(s));
      t.keys('pick', 'Enter');
      await t.screen('pick', 'the confirmation', (s) => s.includes(`, then KILL after 1s? [y/N]`));
      t.type('pick', 'y');
      const end = await t.screen('pick', 'the results', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(end), '0', end);
      assert.match(end, /Sent TERM, KILL after 1s:/);
      assert.match(end, new RegExp(`${a}\\(${pid}\\): signalled, escalated to KILL, exited`));
      // KILLed ("exited"): its record is complete, with the dry run's sentinel taken out.
      assert.deepEqual(
        withoutSentinels(t, file).map(eventOf),
        ['ready', '15'],
        'TERM recorded and ignored; KILL cannot be recorded',
      );
      await t.until(
        `${pid} gone`,
        () => !t.tmux('list-windows', '-F', '#{window_name}').split('\n').includes(a),
      );
    }));

  it('killall-ts with no arguments on a terminal opens the picker over every process', () =>
    inTmux(80, 24, async (t) => {
      const [a] = [tag()];
      const files = await victims(t, [a]);
      t.window('pick', `${ROOT}bin/killall-ts; echo "EXIT=$?"; sleep 86400`);
      const first = await t.screen(
        'pick',
        'the picker with the victim',
        (s) => listed(s, a) && listed(s, 'sleep'),
      );
      assert.match(first.split('\n')[0]!, /^killall-ts pick>\s+\d+ processes$/);
      t.keys('pick', 'Escape');
      await t.screen('pick', 'the exit status', (s) => exitOf(s) === '1');
      assert.deepEqual(await quiet(t, a, files[0]!), ['ready'], 'nothing sent');
      // Invoked as killall, no arguments on the same terminal: psmisc's usage, exit 1.
      t.window('plain', `${OURS}; echo "EXIT=$?"; sleep 86400`);
      const plain = await t.screen('plain', 'the usage and exit status', (s) => exitOf(s) !== undefined);
      assert.equal(exitOf(plain), '1');
      assert.match(plain, /^ {2}-Z,--context REGEXP kill only process\(es\) having context$/m, 'the usage');
      assert.deepEqual(await quiet(t, a, files[0]!), ['ready'], 'nothing sent');
    }));

  it('no arguments off a terminal: killall-ts prints psmisc usage as killall does (exit 1); killall always', () => {
    const run = (bin: string, stdio: readonly ['ignore' | 'inherit' | 'pipe', 'pipe', 'pipe']) =>
      spawnSync('unshare', ['--pid', '--fork', '--mount-proc', bin], {
        stdio: [...stdio],
        encoding: 'utf8',
        timeout: 30_000,
      });
    const killall = run(OURS, ['ignore', 'pipe', 'pipe']);
    assert.equal(killall.status, 1);
    assert.match(killall.stderr, /^Usage: killall /);
    for (const stdio of [
      ['ignore', 'pipe', 'pipe'],
      ['inherit', 'pipe', 'pipe'],
      ['pipe', 'pipe', 'pipe'],
    ] as const) {
      const r = run(`${ROOT}bin/killall-ts`, stdio);
      assert.deepEqual([r.status, r.stdout, r.stderr], [1, '', killall.stderr], JSON.stringify(stdio));
    }
  });

  it('refuses without a terminal on stdin or stdout: a clear message, exit 1, nothing sent', () => {
    for (const stdio of [
      ['ignore', 'pipe', 'pipe'],
      ['inherit', 'pipe', 'pipe'],
    ] as const) {
      const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', OURS, '--pick'], {
        stdio: [...stdio],
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(r.status, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'killall-ts: --pick needs a terminal on stdin and stdout\n');
    }
  });
});
