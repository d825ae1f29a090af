/**
 * `--explain` on live processes that carry terminal escapes, inside a private PID namespace
 * (tests/helpers/explain-runner.ts): an executable under a folder named `ev\e]0;PWNED\a\xc2\x9bdir` started
 * through a link (so its comm is not the NAME: the near-miss hint of issue 15), a process started with such a
 * path as argv[0], and one whose comm itself holds ESC and BEL. Every line must be clean text; the bytes appear
 * C-quoted in syscall and `#` lines, as `?` in psmisc's lines, and the suggested command is a `$'…'` word that
 * the shell reads back as the path, which, given to killall, signals the process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { assertCleanText } from '../helpers/clean-text.js';
import type { ExplainPayload, ExplainRun } from '../helpers/explain-runner.js';
import { nsSkip, OURS, runInNamespace } from '../helpers/ns.js';
import { crossCheck, parseStrace } from '../helpers/strace-join.js';

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const BIN = '/run/kts-explain/bin';
/** The folder, as text (U+009B is the C1 CSI, written as the bytes c2 9b). */
const DIR = 'ev\x1b]0;PWNED\x07\u009bdir';
/** The executable's path as the bytes printed (one latin1 char per byte). */
const PATH = Buffer.from(`${BIN}/${DIR}/zzhvictim`, 'utf8').toString('latin1');
const SUGGESTED = `$'${BIN}/ev\\x1b]0;PWNED\\x07\\xc2\\x9bdir/zzhvictim'`;
const QUOTED = `"${BIN}/ev\\33]0;PWNED\\7\\302\\233dir/zzhvictim"`;

const payload: ExplainPayload = {
  killall: OURS,
  victims: [
    { label: 'exe', exe: 'zzhvictim', dir: DIR, via: 'zzhrunner' },
    { label: 'renamed', exe: 'zzhother', argv0: `${BIN}/${DIR}/zzhrenamed` },
    { label: 'comm', exe: 'zzhc\x1b]2;T\x07x' },
  ],
  commands: [
    // =all: every call is printed, so that all of them can be compared with strace's.
    { args: ['--explain=all', 'zzhvictim'], strace: haveStrace },
    { args: ['--explain', 'zzhrenamed'] },
    { args: ['--explain', 'zzhcomm'] },
    { args: ['--explain', '-v', '-r', '^zzhc'] },
    // The suggestion's word, as the shell reads it (checked below): the path, which matches by the executable.
    { args: ['-v', `${BIN}/${DIR}/zzhvictim`] },
  ],
};

let pids: Record<string, number> = {};
let runs: ExplainRun[] = [];

describe('--explain on processes whose names and paths hold terminal escapes', { skip: nsSkip }, () => {
  before(() => {
    const r = runInNamespace('explain-runner.js', [JSON.stringify(payload)], 600_000);
    pids = r.pids as Record<string, number>;
    runs = r.results as ExplainRun[];
  });

  it('every line of every run is clean text', () => {
    runs.forEach((r, i) => {
      const where = payload.commands[i]!.args.join(' ');
      assertCleanText(Buffer.from(r.stdout, 'latin1'), `${where} (stdout)`);
      assertCleanText(Buffer.from(r.stderr, 'latin1'), `${where} (stderr)`);
    });
  });

  it('the executable near miss: the exe link C-quoted, the hint with a $-quoted command', () => {
    const r = runs[0]!;
    assert.equal(r.rc, 1);
    const pid = pids.exe!;
    const lines = r.stderr.split('\n');
    const link = `readlink("/proc/${pid}/exe", "${BIN}/ev\\33]0;PWNED"..., 4096) = ${Buffer.byteLength(PATH, 'latin1')}`;
    const at = lines.indexOf(link);
    assert.ok(at > 0, `${link}\n${r.stderr}`);
    assert.equal(
      lines[at + 1],
      `# near miss for NAME "zzhvictim": its executable is ${QUOTED} but its comm is "zzhrunner": a path NAME matches by the executable's inode (killall ${SUGGESTED} would match)`,
    );
    assert.ok(
      lines.includes(
        `# hint: "zzhvictim": ${pid} ("zzhrunner") is a near miss (executable): killall ${SUGGESTED} would match it`,
      ),
      r.stderr,
    );
  });

  it('the same run under strace: every call --explain reports, the exe link included, is what strace printed', (t) => {
    if (!haveStrace) return t.skip('strace is not installed');
    const r = runs[0]!;
    const result = crossCheck(r.stderr, parseStrace(r.strace ?? ''));
    assert.deepEqual(result.missing, [], 'every reported call is in the trace, in order');
    assert.deepEqual(result.unreported, [], 'every /proc call, signal and write in the trace is reported');
    assert.match(
      r.strace ?? '',
      new RegExp(`readlink\\("/proc/${pids.exe}/exe", "${BIN}/ev\\\\33\\]0;PWNED"\\.\\.\\.`),
    );
  });

  it('the suggested word is read back by bash as the path, and that path NAME signals the process', () => {
    const back = spawnSync('bash', ['-c', `printf '%s' ${SUGGESTED}`]);
    assert.equal(back.stdout.toString('latin1'), PATH);
    const r = runs[4]!;
    assert.equal(r.rc, 0);
    assert.equal(r.stderr, `Killed zzhrunner(${pids.exe}) with signal 15\n`);
  });

  it('argv[0] under the folder: the renamed near miss, its argument C-quoted', () => {
    const r = runs[1]!;
    const pid = pids.renamed!;
    const arg0 = `"${BIN}/ev\\33]0;PWNED\\7\\302\\233dir/zzhrenamed"`;
    assert.ok(
      r.stderr
        .split('\n')
        .includes(
          `# near miss for NAME "zzhrenamed": it was started as ${arg0} (cmdline argument 0) but its comm is now "zzhother": it renamed itself (pkill -f zzhrenamed would match)`,
        ),
      r.stderr,
    );
    assert.match(
      r.stderr,
      new RegExp(
        `^# hint: "zzhrenamed": ${pid} \\("zzhother"\\) is a near miss \\(renamed\\): pkill -f zzhrenamed would match it$`,
        'm',
      ),
    );
  });

  it('a comm holding ESC and BEL: C-quoted in # lines, ? in the Killed line', () => {
    const pid = pids.comm!;
    assert.match(
      runs[2]!.stderr,
      new RegExp(
        `^# hint: "zzhcomm": ${pid} \\("zzhc\\\\33\\]2;T\\\\7x"\\) is a near miss \\(prefix\\): killall -r '\\^zzhc' would match it$`,
        'm',
      ),
    );
    const kill = runs[3]!;
    assert.equal(kill.rc, 0);
    const line = `Killed zzhc?]2;T?x(${pid}) with signal 15`;
    const lines = kill.stderr.split('\n');
    assert.ok(lines.includes(line), kill.stderr);
    const n = line.length + 1;
    // strace cuts the string at 32 bytes.
    assert.ok(lines.includes(`write(2, "${line.slice(0, 32)}"..., ${n}) = ${n}`), kill.stderr);
  });
});
