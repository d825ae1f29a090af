import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { libraryBackend } from '../../src/cli/pick/backend.js';
import { runPicker } from '../../src/cli/pick/index.js';
import { KillallError } from '../../src/errors.js';
import { type FakeOptions, type FakeProc, FakeSystem } from '../helpers/fake-system.js';

/** A fake terminal: keys in, frames out (no escape parsing: the text is searched as written). */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  let text = '';
  const output = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        text += String(chunk);
        cb();
      },
    }),
    { isTTY: true, columns: 80, rows: 24, getColorDepth: () => 1 },
  );
  return { input, output, text: () => text };
}

async function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function start(procs: FakeProc[], opts: FakeOptions = {}) {
  const sys = new FakeSystem(procs, opts);
  const t = terminal();
  const err: string[] = [];
  const done = runPicker(
    { criteria: {} },
    {
      input: t.input as unknown as NodeJS.ReadStream,
      output: t.output as unknown as NodeJS.WriteStream,
      err: (s) => err.push(s),
      env: {},
      system: sys,
      backend: libraryBackend({ system: sys }, sys, 0),
      refreshMs: 60_000,
    },
  );
  return { sys, t, done, err };
}

describe('the picker loop on a fake terminal and a fake /proc', () => {
  it('search, mark, enter, y: signals the marked process through its pin, exit 0', async () => {
    const { sys, t, done } = start([
      { pid: 10, comm: 'alpha', startTime: 500 },
      { pid: 11, comm: 'beta', startTime: 600 },
    ]);
    await until(() => t.text().includes('2 processes'));
    t.input.write('bet');
    await until(() => t.text().includes('pick> bet'));
    t.input.write(' \r');
    await until(() => t.text().includes('Send TERM to beta(11)? [y/N]'));
    t.input.write('y');
    assert.equal(await done, 0);
    assert.deepEqual(sys.pidfdSends, [[11, 15]]);
    assert.match(t.text(), /Sent TERM:\n {2}beta\(11\): signalled/);
    assert.ok(t.text().includes('\x1b[?1049l'), 'the alternate screen is left');
  });
  it('n at the confirmation sends nothing, exit 1', async () => {
    const { sys, t, done } = start([{ pid: 10, comm: 'alpha', startTime: 500 }]);
    await until(() => t.text().includes('1 processes'));
    t.input.write('\r');
    await until(() => t.text().includes('[y/N]'));
    t.input.write('n');
    assert.equal(await done, 1);
    assert.deepEqual(sys.pidfdSends, []);
    assert.deepEqual(sys.kills, []);
  });
  it("the library's fatal error ends the loop and restores the terminal", async () => {
    const { t, done } = start([{ pid: 10, comm: 'alpha' }], { procSelf: null });
    await assert.rejects(done, KillallError);
    assert.ok(t.text().includes('\x1b[?1049l'));
  });
});
