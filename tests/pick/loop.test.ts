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

function start(procs: FakeProc[], opts: FakeOptions = {}, refreshMs = 60_000) {
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
      refreshMs,
    },
  );
  return { sys, t, done, err };
}

/** The lines of the last frame written (each frame is one write: CSI row;1H CSI 2K and the text of each line). */
function lastFrame(text: string): string[] {
  return text
    .slice(text.lastIndexOf('\x1b[1;1H\x1b[2K'))
    .split(/\x1b\[\d+;1H\x1b\[2K/)
    .slice(1);
}

describe('the picker loop on a fake terminal and a fake /proc', () => {
  it('refreshes keep the cursor and the marks, and read again only the rows on screen and a tenth of the rest', async () => {
    const procs = Array.from({ length: 60 }, (_, i) => ({ pid: 10 + i, comm: `q${i}`, startTime: 500 + i }));
    const { sys, t, done } = start(procs, {}, 10);
    try {
      await until(() => t.text().includes('60 processes'));
      t.input.write('\x1b[B \x1b[B');
      const marked = (l: string[]) => l.some((x) => /^ \* +11 /.test(x)) && l.some((x) => /^> +13 /.test(x));
      await until(() => marked(lastFrame(t.text())));
      // Each refresh samples the rows on screen, and reads /proc/uptime once for their ages.
      const ticks = () => sys.opened.filter((p) => p === '/proc/uptime').length;
      const from = ticks();
      await until(() => ticks() >= from + 3);
      const a = sys.opened.lastIndexOf('/proc/uptime');
      const b = sys.opened.lastIndexOf('/proc/uptime', a - 1);
      const one = sys.opened.slice(b + 1, a + 1);
      const page = 20;
      const statOpens = one.filter((p) => /^\/proc\/\d+\/stat$/.test(p)).length;
      assert.ok(statOpens <= page + 6, `one refresh opened ${statOpens} stat files of 60`);
      assert.ok(one.filter((p) => p.endsWith('/status')).length <= page);
      assert.ok(
        marked(lastFrame(t.text())),
        'after the refreshes, the mark and the cursor are where they were',
      );
    } finally {
      // Ctrl-C: leave (a failed check must not leave the picker refreshing).
      t.input.write('\x03');
    }
    assert.equal(await done, 1);
  });
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
