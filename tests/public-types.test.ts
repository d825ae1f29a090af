/** The library as a JavaScript user meets it: NAMEs come back as given, targets carry their names as text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KillReport, killall } from '../src/killall.js';
import { FakeSystem } from './helpers/fake-system.js';

describe('public types', () => {
  it("a NAME given as a string comes back as that string, bytes as those bytes, in the report's names", async () => {
    const s = new FakeSystem([{ pid: 10, comm: 'zzlib' }]);
    const text: KillReport<string> = await killall({ names: ['zzlib', 'zznone'], system: s });
    assert.deepEqual(text.names, [
      { name: 'zzlib', found: true },
      { name: 'zznone', found: false },
    ]);
    const raw = Buffer.from([0x7a, 0x7a, 0x6c, 0x69, 0x62]);
    const bytes = await killall({ names: [raw], system: new FakeSystem([{ pid: 10, comm: 'zzlib' }]) });
    assert.equal(bytes.names[0]!.name, raw);
  });
  it('targets carry comm and name as text beside the bytes (invalid UTF-8 as U+FFFD)', async () => {
    const s = new FakeSystem([
      { pid: 10, comm: 'zzlib' },
      { pid: 11, comm: Buffer.from([0x7a, 0xff, 0x1b]) },
      { pid: 12, comm: 'zzlongname12345', cmdline: ['/bin/zzlongname12345678'] },
    ]);
    const r = await killall({
      names: ['zzlib', Buffer.from([0x7a, 0xff, 0x1b]), 'zzlongname12345678'],
      system: s,
    });
    assert.deepEqual(
      r.signalled.map((t) => [t.commText, t.nameText]),
      [
        ['zzlib', 'zzlib'],
        ['z\ufffd\x1b', 'z\ufffd\x1b'],
        ['zzlongname12345', 'zzlongname12345678'],
      ],
    );
  });
});
