/**
 * Output to a non-blocking pipe that nobody reads for a while (tests/helpers/slow-reader.c): the CLI waits in
 * poll(POLLOUT) instead of retrying write(2) in a loop, delivers every byte once the reader reads, and gives up on
 * the stream after 10 s without progress. In a private PID namespace (killall-ts --help signals nothing, but every
 * run of the command here is kept inside one).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { compiledHelper, nsSkip, ROOT } from '../helpers/ns.js';

const haveStrace = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
const HELP = `${ROOT}bin/killall-ts`;

/** Runs `killall-ts --help` into a one-page non-blocking pipe read after `ms`; optionally under strace. */
function slowly(ms: number, trace?: string): { bytes: number; status: number } {
  const strace = trace ? ['strace', '-f', '-o', trace, '-e', 'trace=write,poll,ppoll'] : [];
  const r = spawnSync(
    'unshare',
    ['--pid', '--fork', '--mount-proc', compiledHelper('slow-reader'), String(ms), ...strace, HELP, '--help'],
    { encoding: 'latin1', timeout: 120_000, env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } },
  );
  const m = /bytes=(\d+) status=(\d+)/.exec(r.stdout);
  assert.ok(m, `${r.stdout}${r.stderr}`);
  return { bytes: Number(m[1]), status: Number(m[2]) };
}

describe('output to a full non-blocking pipe', { skip: nsSkip, concurrency: 1 }, () => {
  const full = spawnSync(HELP, ['--help'], { encoding: 'latin1' }).stdout.length;

  it('waits in poll(POLLOUT), not in a loop of writes, and delivers every byte once the reader reads', {
    skip: !haveStrace && 'strace is not installed',
  }, () => {
    assert.ok(full > 4096, 'the help is longer than the pipe');
    const trace = `${tmpdir()}/kts-slow-${process.pid}.txt`;
    try {
      const r = slowly(1000, trace);
      assert.deepEqual(r, { bytes: full, status: 0 });
      const lines = readFileSync(trace, 'latin1').split('\n');
      const eagain = lines.filter((l) => /write\(1, .* = -1 EAGAIN/.test(l));
      assert.ok(eagain.length >= 1, 'the pipe was full');
      assert.ok(eagain.length <= 3, `${eagain.length} writes returned EAGAIN`);
      assert.ok(
        lines.some((l) => /poll\(\[\{fd=1, events=POLLOUT\}\], 1, \d+/.test(l)),
        'waited in poll',
      );
    } finally {
      rmSync(trace, { force: true });
    }
  });

  it('gives up on the stream after 10 s without progress, and ends with its status', () => {
    const r = slowly(12_000);
    assert.equal(r.status, 0);
    assert.ok(r.bytes < full, `${r.bytes} of ${full} bytes`);
  });
});
