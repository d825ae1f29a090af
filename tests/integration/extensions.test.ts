/**
 * killall-ts's extensions on real processes, each test in its own private PID namespace (tests/helpers/ext-runner):
 * --dry-run, --kill-after, --timeout, --json (every document validated against docs/killall-ts.schema.json), --tree,
 * the POSIXLY_CORRECT stop, and the library's signalProcesses. Timing bounds carry margins for a loaded machine.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runExt as runExtIn } from '../helpers/ext.js';
import type { ExtProcess, ExtResult } from '../helpers/ext-runner.js';
import { validate } from '../helpers/json-schema.js';
import { nobodySkip, nsSkip, ROOT } from '../helpers/ns.js';
import { BAD_PORTS, EXT_SCENARIOS, JSON_ERRORS, REFUSED_ARGS } from './extension-scenarios.js';

const SCHEMA = JSON.parse(readFileSync(`${ROOT}docs/killall-ts.schema.json`, 'utf8')) as Record<
  string,
  unknown
>;

/** Runs the scenario of that name (tests/integration/extension-scenarios.ts). */
function runExt(name: string): ExtResult {
  const c = EXT_SCENARIOS[name];
  if (!c) throw new Error(`no extension scenario named ${name}`);
  return runExtIn(c);
}

const byLabel = (r: ExtResult, label: string): ExtProcess[] => r.processes.filter((p) => p.label === label);
const one = (r: ExtResult, label: string): ExtProcess => {
  const ps = byLabel(r, label);
  assert.equal(ps.length, 1, `one process labelled ${label}`);
  return ps[0]!;
};
const sigs = (p: ExtProcess): number[] => p.signals.map((s) => s.sig);

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
    const r = runExt('--dry-run');
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
    const q = runExt('--dry-run -q');
    assert.equal(q.rc, 1);
    assert.equal(q.stderr, '', '-q as usual');
    assert.equal(q.stdout.split('\n').filter((l) => l).length, 1);
  });

  it('--kill-after: TERM, then KILL after the DURATION (not before) to a survivor only; a latecomer is never touched', () => {
    const r = runExt('--kill-after');
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
    const r = runExt('--kill-after -i declined');
    assert.equal(r.rc, 1);
    assert.deepEqual(sigs(one(r, 'a')), []);
    assert.equal(one(r, 'a').fate, 'alive');
    assert.match(r.stdout, /^Kill hx8ki\(\d+\) \? \(y\/N\) $/, 'one prompt, no second one');
    for (const args of REFUSED_ARGS) {
      const b = runExt(`refused: ${args.join(' ')}`);
      assert.equal(b.rc, 1, args.join(' '));
      assert.match(b.stderr, /^killall: --(kill-after|timeout|tree)/, args.join(' '));
      assert.equal(b.stdout, '');
      assert.deepEqual(sigs(one(b, 'a')), [], `${args.join(' ')}: nothing sent`);
    }
  });

  it('-w --timeout: stops waiting after DURATION, names what still runs, exit 1; without --timeout -w waits', () => {
    const r = runExt('-w --timeout');
    assert.equal(r.rc, 1);
    const stubborn = one(r, 'stubborn');
    assert.equal(r.stderr, `hx8to(${stubborn.pid}): still running after 1s\n`);
    assert.deepEqual(sigs(stubborn), [15]);
    assert.equal(stubborn.fate, 'alive');
    assert.ok(r.endedAt - r.startedAt >= 1000, 'not before the timeout');
    assert.ok(r.endedAt - r.startedAt < 1000 + 15_000, 'returns within the timeout and a loaded margin');
    const ok = runExt('-w --timeout, time enough');
    assert.equal(ok.rc, 0);
    assert.equal(ok.stderr, '');
  });

  it('--kill-after with --timeout bounds the wait after SIGKILL (a stopped victim dies at once: rc 0)', () => {
    const r = runExt('--kill-after --timeout');
    assert.equal(r.rc, 0, r.stderr);
    assert.equal(one(r, 'a').exit, 'SIGKILL');
  });

  it('--json: one document on stdout, valid against the schema, for real runs, dry runs, escalations, timeouts and errors', () => {
    const real = runExt('--json with an escalation');
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

    const dry = runExt('--json --dry-run');
    assert.equal(dry.rc, 0);
    const dd = doc(dry);
    assert.equal(dd.dryRun, true);
    assert.equal((dd.processes as Record<string, unknown>[])[0]!.outcome, 'would-signal');
    assert.deepEqual(sigs(one(dry, 'a')), []);

    const timeout = runExt('--json -w --timeout');
    assert.equal(timeout.rc, 1);
    const td = doc(timeout);
    assert.deepEqual((td.wait as Record<string, unknown>).stillRunning, [one(timeout, 'a').pid]);
    assert.equal((td.wait as Record<string, unknown>).timedOut, true);

    for (const [args, code] of JSON_ERRORS) {
      const e = runExt(`--json error: ${args.join(' ')}`);
      assert.equal(e.rc, 1);
      const ed = doc(e);
      assert.equal((ed.error as Record<string, unknown>).code, code, args.join(' '));
      assert.notEqual(e.stderr, '', 'the human message is still on stderr');
      assert.deepEqual(sigs(one(e, 'a')), []);
    }
  });

  it('--json -i: the prompt goes to stderr, stdout keeps the document only', () => {
    const r = runExt('--json -i');
    assert.equal(r.rc, 0);
    assert.match(r.stderr, /^Kill hx8ji\(\d+\) \? \(y\/N\) $/);
    doc(r);
    assert.deepEqual(sigs(one(r, 'a')), [15]);
  });

  it('--tree: the root, then every descendant, parents first; -v names each; nothing else is touched', () => {
    const r = runExt('--tree');
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
    const r = runExt('--tree --kill-after');
    assert.equal(r.rc, 0, r.stderr);
    for (const p of byLabel(r, 'fam')) {
      assert.deepEqual(sigs(p), [15], `pid ${p.pid}`);
      assert.equal(p.fate, 'gone', `pid ${p.pid} got SIGKILL`);
    }
    assert.equal(byLabel(r, 'fam').length, 3);
  });

  it('--tree on a supervisor that respawns its children: parent first, so nothing comes back', () => {
    const r = runExt('--tree on a respawning supervisor');
    assert.equal(r.rc, 0, r.stderr);
    for (const p of byLabel(r, 'sup')) assert.equal(p.fate, 'gone', `pid ${p.pid} (parent ${p.ppid})`);
    assert.equal(byLabel(r, 'sup').length, 4, 'no child was respawned');
  });

  it('--tree with -i asks once per root, naming its descendants; declined sends nothing', () => {
    const r = runExt('--tree -i declined');
    assert.equal(r.rc, 1);
    assert.match(r.stdout, /^Kill hx8ti\(\d+\) and its 2 descendants \? \(y\/N\) $/);
    for (const p of byLabel(r, 'fam')) assert.deepEqual(sigs(p), []);
  });

  it('--tree on a root whose descendants include killall-ts and its ancestors: those are never signalled', () => {
    // hx8anc (a shell) starts a sibling victim, then a second shell that runs killall-ts --tree hx8anc.
    const r = runExt('--tree over our ancestors');
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
    const r = runExt('POSIXLY_CORRECT before an extension');
    assert.equal(r.rc, 1);
    assert.match(r.stderr, /^killall: --dry-run: POSIXLY_CORRECT stops option parsing/);
    assert.deepEqual(sigs(one(r, 'a')), []);
  });

  it('library: signalProcesses on a findProcesses selection, with killAfter, in a namespace', () => {
    const r = runExt('library: signalProcesses with killAfter');
    assert.equal(r.rc, 0, `${r.stdout} ${r.stderr}`);
    const chosen = one(r, 'chosen');
    assert.deepEqual(JSON.parse(r.stdout), { ok: true, signalled: [chosen.pid], escalated: [chosen.pid] });
    assert.deepEqual(sigs(chosen), [15]);
    assert.equal(chosen.exit, 'SIGKILL');
    assert.deepEqual(sigs(one(r, 'spared')), []);
  });

  it(':PORT NAMEs: the holders of a listening TCP or bound UDP socket (IPv4 and IPv6), each its own NAME', () => {
    const r = runExt(':PORT NAMEs');
    assert.equal(r.rc, 1, 'two NAMEs find nobody');
    for (const label of ['tcp4', 'tcp6', 'udp']) assert.deepEqual(sigs(one(r, label)), [15], label);
    assert.deepEqual(sigs(one(r, 'idle')), [], 'same name, no socket');
    assert.match(r.stderr, new RegExp(`^Killed hx8srv\\(${one(r, 'tcp4').pid}\\) with signal 15$`, 'm'));
    assert.match(r.stderr, /^:3998\/tcp: no process found$/m);
    assert.match(r.stderr, /^:4000: no process found$/m);
    const ok = runExt(':PORT --json');
    assert.equal(ok.rc, 0);
    assert.deepEqual((doc(ok).names as unknown[])[0], { name: ':3999', found: true });
    const filtered = runExt(':PORT -u');
    assert.equal(filtered.rc, 1, 'the filters apply to port NAMEs');
    assert.deepEqual(sigs(one(filtered, 'a')), []);
  });

  it(':0 and :70000 are refused before anything is sent; with -r a port NAME is a regex', () => {
    for (const name of BAD_PORTS) {
      const r = runExt(`port out of range: ${name}`);
      assert.equal(r.rc, 1);
      assert.equal(r.stderr, `killall: ${name}: port out of range (1-65535)\n`);
      assert.deepEqual(sigs(one(r, 'a')), []);
    }
    const re = runExt('-r :PORT');
    assert.equal(re.rc, 1);
    assert.equal(re.stderr, ':3999: no process found\n');
  });

  it(':PORT as an unprivileged user: fds it may not read are counted and reported as with hidepid', (t) => {
    const skip = nobodySkip();
    if (skip) return t.skip(skip);
    // nobody runs the kit's copies: the checkout may be where nobody cannot go.
    const r = runExt(':PORT as nobody');
    assert.equal(r.rc, 1);
    assert.match(
      r.stderr,
      /^:3999: no process found\nkillall: \d+ process(es)? could not be read \(Permission denied\)\n$/,
    );
    assert.deepEqual(sigs(one(r, 'a')), []);
  });
});
