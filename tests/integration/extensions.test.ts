/**
 * killall-ts's extensions on real processes, each test in its own private PID namespace (tests/helpers/ext-runner):
 * --dry-run, --kill-after, --timeout, --json (every document validated against docs/killall-ts.schema.json), --tree,
 * the POSIXLY_CORRECT stop, and the library's signalProcesses. Timing bounds carry margins for a loaded machine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { byLabel, extVictim, one, runExt, sigs } from '../helpers/ext-run.js';
import type { ExtResult } from '../helpers/ext-runner.js';
import { validate } from '../helpers/json-schema.js';
import { nobodyKit, nobodySkip, nsSkip, OURS, ROOT } from '../helpers/ns.js';

const SCHEMA = JSON.parse(readFileSync(`${ROOT}docs/killall-ts.schema.json`, 'utf8')) as Record<
  string,
  unknown
>;

/** Parses the one JSON document on stdout and validates it against the schema. */
function doc(r: ExtResult): Record<string, unknown> {
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `stdout is one document: ${r.stdout}`);
  const d = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(validate(SCHEMA, d), [], 'valid against docs/killall-ts.schema.json');
  assert.equal(d.exitStatus, r.rc);
  return d;
}

describe('extensions (private PID namespaces)', { skip: nsSkip, concurrency: 2 }, () => {
  it('--dry-run: selects as a real run would, sends nothing, prints one line per signal', () => {
    const r = runExt({
      victims: [
        { label: 'a', exe: 'hx8dra' },
        { label: 'b', exe: 'hx8dra' },
        { label: 'c', exe: 'hx8drc' },
      ],
      command: [OURS, '--dry-run', '-i', '-s', 'HUP', 'hx8dra', 'hx8none'],
      stdin: '',
    });
    assert.equal(r.rc, 1, 'hx8none is not found: exit status as a real run');
    assert.equal(r.stderr, 'hx8none: no process found\n');
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, 'one line per signal, no prompt');
    for (const label of ['a', 'b']) {
      const p = one(r, label);
      const re = new RegExp(
        `^SIGHUP hx8dra\\(${p.pid}\\) user=root age=\\d+s -- \\S*/hx8dra \\S*/rec/${label}$`,
      );
      assert.ok(
        lines.some((l) => re.test(l)),
        `line for ${label}: ${r.stdout}`,
      );
    }
    for (const p of r.processes) {
      assert.deepEqual(sigs(p), [], 'nothing sent');
      assert.equal(p.fate, 'alive');
    }
    const q = runExt({
      victims: [{ label: 'a', exe: 'hx8drq' }],
      command: [OURS, '--dry-run', '-q', 'hx8drq', 'hx8none'],
    });
    assert.equal(q.rc, 1);
    assert.equal(q.stderr, '', '-q as usual');
    assert.equal(q.stdout.split('\n').filter((l) => l).length, 1);
  });

  it('--kill-after: TERM, then KILL after the DURATION (not before) to a survivor only; a latecomer is never touched', () => {
    const r = runExt({
      victims: [
        { label: 'stubborn', exe: 'hx8ka', args: ['--stay'] },
        { label: 'polite', exe: 'hx8ka' },
      ],
      command: [OURS, '-v', '--kill-after', '1.5s', 'hx8ka'],
      later: {
        when: { label: 'stubborn', signal: 15 },
        victim: { label: 'late', exe: 'hx8ka', args: ['--stay'] },
      },
    });
    assert.equal(r.rc, 0, r.stderr);
    const stubborn = one(r, 'stubborn');
    const polite = one(r, 'polite');
    assert.deepEqual(sigs(stubborn), [15]);
    assert.equal(stubborn.exit, 'SIGKILL');
    assert.deepEqual(sigs(polite), [15]);
    assert.equal(polite.exit, 'code 0', 'it ended on TERM: no escalation');
    const late = one(r, 'late');
    assert.deepEqual(sigs(late), [], 'a same-name process started after the scan gets nothing');
    assert.equal(late.fate, 'alive');
    // The latecomer proves something only if it was there when SIGKILL could go out: not before the DURATION after
    // killall started (both clocks are CLOCK_MONOTONIC ms: the victim's record and the runner's).
    const term = stubborn.signals[0]!.at;
    assert.ok(late.readyAt >= term, `the latecomer started after the TERM (${late.readyAt} >= ${term})`);
    assert.ok(
      late.readyAt < r.startedAt + 1500,
      `the latecomer was running before SIGKILL could be sent (ready ${late.readyAt - r.startedAt} ms after the start)`,
    );
    assert.ok(r.endedAt - r.startedAt >= 1500, 'SIGKILL is not sent before the DURATION');
    assert.ok(r.endedAt - r.startedAt < 1500 + 15_000, 'and within a loaded machine of it');
    assert.match(r.stderr, new RegExp(`^Killed hx8ka\\(${stubborn.pid}\\) with signal 15$`, 'm'));
    assert.match(
      r.stderr,
      new RegExp(`^Killed hx8ka\\(${stubborn.pid}\\) with signal 9 after \\d+(\\.\\d+)?s$`, 'm'),
    );
    assert.doesNotMatch(r.stderr, new RegExp(`\\(${polite.pid}\\) with signal 9`));
  });

  it('--kill-after with -i declined sends nothing; bad DURATIONs and signal 9 are refused before anything is sent', () => {
    const r = runExt({
      victims: [{ label: 'a', exe: 'hx8ki', args: ['--stay'] }],
      command: [OURS, '-i', '--kill-after', '1', 'hx8ki'],
      stdin: 'n\n',
    });
    assert.equal(r.rc, 1);
    assert.deepEqual(sigs(one(r, 'a')), []);
    assert.equal(one(r, 'a').fate, 'alive');
    assert.match(r.stdout, /^Kill hx8ki\(\d+\) \? \(y\/N\) $/, 'one prompt, no second one');
    for (const args of [
      ['--kill-after', 'soon', 'hx8ki'],
      ['--kill-after', '0', 'hx8ki'],
      ['--kill-after', '30d', 'hx8ki'],
      ['--kill-after', '-1', 'hx8ki'],
      ['-9', '--kill-after', '1', 'hx8ki'],
      ['--timeout', '1', 'hx8ki'],
      ['--tree', '-g', 'hx8ki'],
    ]) {
      const b = runExt({
        victims: [{ label: 'a', exe: 'hx8ki', args: ['--stay'] }],
        command: [OURS, ...args],
      });
      assert.equal(b.rc, 1, args.join(' '));
      assert.match(b.stderr, /^killall: --(kill-after|timeout|tree)/, args.join(' '));
      assert.equal(b.stdout, '');
      assert.deepEqual(sigs(one(b, 'a')), [], `${args.join(' ')}: nothing sent`);
    }
  });

  it('-w --timeout: stops waiting after DURATION, names what still runs, exit 1; without --timeout -w waits', () => {
    const r = runExt({
      victims: [
        { label: 'stubborn', exe: 'hx8to', args: ['--stay'] },
        { label: 'polite', exe: 'hx8to' },
      ],
      command: [OURS, '-w', '--timeout', '1s', 'hx8to'],
    });
    assert.equal(r.rc, 1);
    const stubborn = one(r, 'stubborn');
    assert.equal(r.stderr, `hx8to(${stubborn.pid}): still running after 1s\n`);
    assert.deepEqual(sigs(stubborn), [15]);
    assert.equal(stubborn.fate, 'alive');
    assert.ok(r.endedAt - r.startedAt >= 1000, 'not before the timeout');
    assert.ok(r.endedAt - r.startedAt < 1000 + 15_000, 'returns within the timeout and a loaded margin');
    const ok = runExt({
      victims: [{ label: 'a', exe: 'hx8to' }],
      command: [OURS, '-w', '--timeout', '20s', 'hx8to'],
    });
    assert.equal(ok.rc, 0);
    assert.equal(ok.stderr, '');
  });

  it('--kill-after with --timeout bounds the wait after SIGKILL (a stopped victim dies at once: rc 0)', () => {
    const r = runExt({
      victims: [{ label: 'a', exe: 'hx8kt', args: ['--stay'] }],
      command: [OURS, '--kill-after', '300ms', '--timeout', '10s', 'hx8kt'],
    });
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(one(r, 'a').exit, 'SIGKILL');
  });

  it('--json: one document on stdout, valid against the schema, for real runs, dry runs, escalations, timeouts and errors', () => {
    const real = runExt({
      victims: [
        { label: 'a', exe: 'hx8js' },
        { label: 'b', exe: 'hx8js', args: ['--stay'] },
      ],
      command: [OURS, '--json', '-v', '--kill-after', '500ms', 'hx8js', 'hx8none'],
    });
    assert.equal(real.rc, 1, 'hx8none not found');
    const d = doc(real);
    assert.equal(real.stderr, '', 'no human lines with --json');
    const procs = d.processes as Record<string, unknown>[];
    const b = one(real, 'b');
    const pb = procs.find((p) => p.pid === b.pid)!;
    assert.equal(pb.outcome, 'signalled');
    assert.deepEqual((pb.escalation as Record<string, unknown>).outcome, 'signalled');
    assert.ok(((pb.escalation as Record<string, unknown>).afterMs as number) >= 500);
    assert.deepEqual(pb.user, { uid: 0, name: 'root' });
    assert.equal((pb.cmdline as string[]).length, 3);
    const pa = procs.find((p) => p.pid === one(real, 'a').pid)!;
    assert.equal((pa.escalation as Record<string, unknown>).outcome, 'not-needed');
    assert.deepEqual(d.names, [
      { name: 'hx8js', found: true },
      { name: 'hx8none', found: false },
    ]);

    const dry = runExt({
      victims: [{ label: 'a', exe: 'hx8js' }],
      command: [OURS, '--json', '--dry-run', 'hx8js'],
    });
    assert.equal(dry.rc, 0);
    const dd = doc(dry);
    assert.equal(dd.dryRun, true);
    assert.equal((dd.processes as Record<string, unknown>[])[0]!.outcome, 'would-signal');
    assert.deepEqual(sigs(one(dry, 'a')), []);

    const timeout = runExt({
      victims: [{ label: 'a', exe: 'hx8js', args: ['--stay'] }],
      command: [OURS, '--json', '-w', '--timeout', '300ms', 'hx8js'],
    });
    assert.equal(timeout.rc, 1);
    const td = doc(timeout);
    assert.deepEqual((td.wait as Record<string, unknown>).stillRunning, [one(timeout, 'a').pid]);
    assert.equal((td.wait as Record<string, unknown>).timedOut, true);

    for (const [args, code] of [
      [['--json', '--kill-after', 'x', 'hx8js'], 'BAD_OPTION'],
      [['--json'], 'USAGE'],
      [['--json', '-r', '(', 'hx8js'], 'BAD_REGEX'],
    ] as const) {
      const e = runExt({ victims: [{ label: 'a', exe: 'hx8js' }], command: [OURS, ...args] });
      assert.equal(e.rc, 1);
      const ed = doc(e);
      assert.equal((ed.error as Record<string, unknown>).code, code, args.join(' '));
      assert.notEqual(e.stderr, '', 'the human message is still on stderr');
      assert.deepEqual(sigs(one(e, 'a')), []);
    }
  });

  it('--json -i: the prompt goes to stderr, stdout keeps the document only', () => {
    const r = runExt({
      victims: [{ label: 'a', exe: 'hx8ji' }],
      command: [OURS, '--json', '-i', 'hx8ji'],
      stdin: 'y\n',
    });
    assert.equal(r.rc, 0);
    assert.match(r.stderr, /^Kill hx8ji\(\d+\) \? \(y\/N\) $/);
    doc(r);
    assert.deepEqual(sigs(one(r, 'a')), [15]);
  });

  it('--tree: the root, then every descendant, parents first; -v names each; nothing else is touched', () => {
    const r = runExt({
      victims: [
        { label: 'fam', exe: 'hx8tree', args: ['--children', '2', 'hx8kid', '--depth', '2'], size: 7 },
        { label: 'other', exe: 'hx8other' },
      ],
      command: [OURS, '-v', '--tree', 'hx8tree'],
    });
    assert.equal(r.rc, 0, r.stderr);
    const fam = byLabel(r, 'fam');
    assert.equal(fam.length, 7);
    for (const p of fam) {
      assert.deepEqual(sigs(p), [15], `pid ${p.pid}`);
      assert.equal(p.fate, 'gone');
    }
    assert.deepEqual(sigs(one(r, 'other')), []);
    const root = r.pids.fam!;
    const order = [...r.stderr.matchAll(/\((\d+)\) with signal 15/g)].map((m) => Number(m[1]));
    assert.equal(order[0], root, 'the root first');
    assert.equal(order.length, 7);
    const depth = (pid: number): number => {
      let d = 0;
      for (let p = fam.find((x) => x.pid === pid)!; p.pid !== root; p = fam.find((x) => x.pid === p.ppid)!)
        d++;
      return d;
    };
    for (let i = 1; i < order.length; i++)
      assert.ok(depth(order[i - 1]!) <= depth(order[i]!), 'parents before children');
    assert.match(
      r.stderr,
      new RegExp(`^Killed hx8kid\\(\\d+\\) with signal 15 \\(descendant of ${root}\\)$`, 'm'),
    );
  });

  it('--tree --kill-after escalates the whole tree', () => {
    const r = runExt({
      victims: [{ label: 'fam', exe: 'hx8tk', args: ['--stay', '--children', '2', 'hx8tkkid'], size: 3 }],
      command: [OURS, '--tree', '--kill-after', '300ms', 'hx8tk'],
    });
    assert.equal(r.rc, 0, r.stderr);
    for (const p of byLabel(r, 'fam')) {
      assert.deepEqual(sigs(p), [15], `pid ${p.pid}`);
      assert.equal(p.fate, 'gone', `pid ${p.pid} got SIGKILL`);
    }
    assert.equal(byLabel(r, 'fam').length, 3);
  });

  it('--tree on a supervisor that respawns its children: parent first, so nothing comes back', () => {
    const r = runExt({
      victims: [{ label: 'sup', exe: 'hx8sup', args: ['--respawn', '--children', '3', 'hx8child'], size: 4 }],
      command: [OURS, '--tree', '-w', '--timeout', '20s', 'hx8sup'],
    });
    assert.equal(r.rc, 0, r.stderr);
    for (const p of byLabel(r, 'sup')) assert.equal(p.fate, 'gone', `pid ${p.pid} (parent ${p.ppid})`);
    assert.equal(byLabel(r, 'sup').length, 4, 'no child was respawned');
  });

  it('--tree with -i asks once per root, naming its descendants; declined sends nothing', () => {
    const r = runExt({
      victims: [{ label: 'fam', exe: 'hx8ti', args: ['--children', '2', 'hx8tikid'], size: 3 }],
      command: [OURS, '-i', '--tree', 'hx8ti'],
      stdin: 'n\n',
    });
    assert.equal(r.rc, 1);
    assert.match(r.stdout, /^Kill hx8ti\(\d+\) and its 2 descendants \? \(y\/N\) $/);
    for (const p of byLabel(r, 'fam')) assert.deepEqual(sigs(p), []);
  });

  it('--tree on a root whose descendants include killall-ts and its ancestors: those are never signalled', () => {
    // hx8anc (a shell) starts a sibling victim, then a second shell that runs killall-ts --tree hx8anc.
    const script =
      '"$0" "$PWD/rec/sib" --stay >/dev/null 2>&1 & while ! grep -q ready "$PWD/rec/sib" 2>/dev/null; do sleep 0.05; done; ' +
      `sh -c '"$0" --tree -v hx8anc; echo "after rc=$?"' ${OURS}; wait`;
    const r = runExt({
      victims: [],
      command: [
        'sh',
        '-c',
        `cp /bin/sh ./hx8anc && cp "$0" ./hx8sib && exec ./hx8anc -c '${script.replaceAll("'", "'\\''")}' ./hx8sib`,
        extVictim(),
      ],
      records: ['sib'],
      timeoutMs: 20_000,
    });
    assert.match(r.stdout, /after rc=0/, `our parent shell survived: ${JSON.stringify(r)}`);
    assert.equal(byLabel(r, 'sib').length, 1, JSON.stringify(r));
    const sib = one(r, 'sib');
    assert.deepEqual(sigs(sib), [15], "the root's other descendant is signalled");
    const killed = [...r.stderr.matchAll(/^Killed (\S+)\((\d+)\)/gm)].map((m) => m[1]);
    assert.deepEqual(
      killed.sort(),
      ['hx8anc', 'hx8sib'],
      'the root (a match, as psmisc) and the sibling only',
    );
  });

  it('POSIXLY_CORRECT: an extension spelled after the first NAME stops the run before anything is sent', () => {
    const r = runExt({
      victims: [{ label: 'a', exe: 'hx8pc' }],
      command: [OURS, 'hx8pc', '--dry-run'],
      env: { POSIXLY_CORRECT: '1' },
    });
    assert.equal(r.rc, 1);
    assert.match(r.stderr, /^killall: --dry-run: POSIXLY_CORRECT stops option parsing/);
    assert.deepEqual(sigs(one(r, 'a')), []);
  });

  it('library: signalProcesses on a findProcesses selection, with killAfter, in a namespace', () => {
    const lib = `${ROOT}dist/src/index.js`;
    const script = `import(${JSON.stringify(lib)}).then(async (k) => {
      const found = (await k.findProcesses({ names: ['hx8lib'] })).filter((p) => p.pid === Number(process.argv[1]));
      const r = await k.signalProcesses(found, { killAfter: 300 });
      process.stdout.write(JSON.stringify({ ok: r.ok, signalled: r.signalled.map((t) => t.pid), escalated: r.escalated.map((e) => e.target.pid) }));
    })`;
    const r = runExt({
      victims: [
        { label: 'chosen', exe: 'hx8lib', args: ['--stay'] },
        { label: 'spared', exe: 'hx8lib', args: ['--stay'] },
      ],
      command: [process.execPath, '--input-type=module', '-e', script, '{pid:chosen}'],
    });
    assert.equal(r.rc, 0, `${r.stdout} ${r.stderr}`);
    const chosen = one(r, 'chosen');
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, signalled: [chosen.pid], escalated: [chosen.pid] });
    assert.deepEqual(sigs(chosen), [15]);
    assert.equal(chosen.exit, 'SIGKILL');
    assert.deepEqual(sigs(one(r, 'spared')), []);
  });

  it(':PORT NAMEs: the holders of a listening TCP or bound UDP socket (IPv4 and IPv6), each its own NAME', () => {
    const r = runExt(
      {
        victims: [
          { label: 'tcp4', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] },
          { label: 'tcp6', exe: 'hx8srv6', args: ['--listen', 'tcp6', '3997'] },
          { label: 'udp', exe: 'hx8dns', args: ['--listen', 'udp', '3998'] },
          { label: 'idle', exe: 'hx8srv' },
        ],
        command: [OURS, '-v', ':3999', ':3997/tcp', ':3998/udp', ':3998/tcp', ':4000'],
      },
      { net: true },
    );
    assert.equal(r.rc, 1, 'two NAMEs find nobody');
    for (const label of ['tcp4', 'tcp6', 'udp']) assert.deepEqual(sigs(one(r, label)), [15], label);
    assert.deepEqual(sigs(one(r, 'idle')), [], 'same name, no socket');
    assert.match(r.stderr, new RegExp(`^Killed hx8srv\\(${one(r, 'tcp4').pid}\\) with signal 15$`, 'm'));
    assert.match(r.stderr, /^:3998\/tcp: no process found$/m);
    assert.match(r.stderr, /^:4000: no process found$/m);
    const ok = runExt(
      {
        victims: [{ label: 'a', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] }],
        command: [OURS, '--json', ':3999'],
      },
      { net: true },
    );
    assert.equal(ok.rc, 0);
    assert.deepEqual((doc(ok).names as unknown[])[0], { name: ':3999', found: true });
    const filtered = runExt(
      {
        victims: [{ label: 'a', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] }],
        command: [OURS, '-u', 'nobody', ':3999'],
      },
      { net: true },
    );
    assert.equal(filtered.rc, 1, 'the filters apply to port NAMEs');
    assert.deepEqual(sigs(one(filtered, 'a')), []);
  });

  it(':0 and :70000 are refused before anything is sent; with -r a port NAME is a regex', () => {
    for (const name of [':0', ':70000']) {
      const r = runExt(
        {
          victims: [{ label: 'a', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] }],
          command: [OURS, 'hx8srv', name],
        },
        { net: true },
      );
      assert.equal(r.rc, 1);
      assert.equal(r.stderr, `killall: ${name}: port out of range (1-65535)\n`);
      assert.deepEqual(sigs(one(r, 'a')), []);
    }
    const re = runExt(
      {
        victims: [{ label: 'a', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] }],
        command: [OURS, '-r', ':3999'],
      },
      { net: true },
    );
    assert.equal(re.rc, 1);
    assert.equal(re.stderr, ':3999: no process found\n');
  });

  it(':PORT as an unprivileged user: fds it may not read are counted and reported as with hidepid', (t) => {
    const skip = nobodySkip();
    if (skip) return t.skip(skip);
    // nobody runs the kit's copies: the checkout may be where nobody cannot go.
    const kit = nobodyKit();
    const r = runExt(
      {
        victims: [{ label: 'a', exe: 'hx8srv', args: ['--listen', 'tcp', '3999'] }],
        command: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', kit.killall, ':3999'],
        ...(kit.path ? { env: { PATH: kit.path } } : {}),
      },
      { net: true },
    );
    assert.equal(r.rc, 1);
    assert.match(
      r.stderr,
      /^:3999: no process found\nkillall: \d+ process(es)? could not be read \(Permission denied\)\n$/,
    );
    assert.deepEqual(sigs(one(r, 'a')), []);
  });
});
