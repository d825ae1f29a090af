/** `--explain` through runCli over the fake /proc: the narration on stderr, in order with the CLI's own lines. */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { type FakeProc, FakeSystem } from '../helpers/fake-system.js';

async function cli(args: string[], procs: FakeProc[], stdin = '') {
  const writes: [1 | 2, string][] = [];
  const code = await runCli(args, {
    out: {
      write: (fd, d) => {
        writes.push([fd, typeof d === 'string' ? d : Buffer.from(d).toString('latin1')]);
      },
    },
    stdin: () => {
      const s = new PassThrough();
      s.end(stdin);
      return s;
    },
    env: {},
    system: new FakeSystem(procs),
    version: '9.9.9',
  });
  const text = (fd: 1 | 2): string =>
    writes
      .filter((w) => w[0] === fd)
      .map((w) => w[1])
      .join('');
  return { code, stdout: text(1), stderr: text(2), writes };
}

describe('--explain in the CLI', () => {
  it('each message of the run is followed by its write(2) line; the exit is reconstructed', async () => {
    const r = await cli(['--explain', '-v', 'hx7a', 'hx7zz'], [{ pid: 10, comm: 'hx7a' }]);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n');
    const killed = lines.indexOf('Killed hx7a(10) with signal 15');
    assert.ok(killed > 0, r.stderr);
    assert.equal(lines[killed + 1], 'write(2, "Killed hx7a(10) with signal 15\\n", 31) = 31');
    assert.ok(lines.indexOf('# SIGTERM delivered to 10: the kernel said 0') < killed);
    const nf = lines.indexOf('hx7zz: no process found');
    assert.equal(lines[nf + 1], 'write(2, "hx7zz: no process found\\n", 24) = 24');
    assert.ok(
      lines.indexOf(
        '# hint: "hx7zz": no process has a comm, long name, cmdline argument or exe resembling it',
      ) < nf,
    );
    assert.deepEqual(lines.slice(-4), [
      '# reconstructed: Node exits with this status after its own clean-up; not observed',
      'exit_group(1) = ?',
      '+++ exited with 1 +++',
      '',
    ]);
    assert.equal(r.stdout, '');
  });
  it('-i: the prompt comes after the calls that led to it; --explain all keeps all a NAME', async () => {
    const r = await cli(['--explain', '-i', 'hx7a', 'all'], [{ pid: 10, comm: 'hx7a' }], 'y\n');
    const order = r.writes.map((w) => w[1]);
    const prompt = order.indexOf('Kill hx7a(10) ? (y/N) ');
    assert.ok(prompt > 0);
    assert.match(
      order[prompt - 1]!,
      /# start time 1000 and comm read again after pinning, through the stat fd the scan opened \(pread64\): unchanged[^\n]*\n$/,
    );
    assert.match(r.stderr, /^all: no process found$/m);
  });
  it('--json --dry-run: stdout is the document alone', async () => {
    const r = await cli(['--explain', '--json', '--dry-run', 'hx7a'], [{ pid: 10, comm: 'hx7a' }]);
    assert.equal(r.code, 0);
    assert.equal(typeof JSON.parse(r.stdout), 'object');
    assert.equal((JSON.parse(r.stdout) as { dryRun?: unknown }).dryRun, true, "the dry run's document");
    assert.match(r.stderr, /^# --dry-run: nothing is sent$/m);
    assert.match(r.stderr, /^write\(1, "\{/m);
  });
  it('a summarised process skipped by -e has its stat close counted in the summary, not printed alone', async () => {
    // A 15-byte comm without a long name (as Node 26's "node-MainThread"): -e skips it at the library's event, and
    // the scan closes its stat fd after that.
    const r = await cli(
      ['--explain', '-e', 'hx7zz'],
      [{ pid: 10, comm: 'node-MainThread', cmdline: ['x', 'y'] }],
    );
    const lines = r.stderr.split('\n');
    const from = lines.findIndex((l) => l.startsWith('# that is the PID snapshot'));
    const to = lines.findIndex((l) => l.startsWith('# 1 other process'));
    assert.ok(from >= 0 && to > from, r.stderr);
    assert.deepEqual(lines.slice(from + 1, to), [], r.stderr);
    const m = /\(openat (\d+), read \d+, close (\d+)\)/.exec(lines[to]!);
    assert.ok(m && m[1] === m[2], lines[to]);
  });
  it('-e with a long name found: the long name is derived from the cmdline read while the stat fd is still open', async () => {
    const r = await cli(
      ['--explain=all', '-e', 'hx7zz'],
      [{ pid: 10, comm: 'abcdefghijklmno', cmdline: ['/x/abcdefghijklmnop', 'y'] }],
    );
    const lines = r.stderr.split('\n');
    const cut = lines.findIndex((l) => l.startsWith('# comm "abcdefghijklmno" is 15 bytes'));
    const cmdline = lines.findIndex((l) => l.startsWith('openat(AT_FDCWD, "/proc/10/cmdline"'));
    assert.ok(cut >= 0 && cmdline === cut + 1, r.stderr);
    assert.ok(
      lines.some((l) => l.startsWith('# long name "abcdefghijklmnop": the basename of cmdline argument 0')),
      r.stderr,
    );
    assert.ok(!lines.some((l) => l.startsWith('# -e:')), r.stderr);
  });
});
