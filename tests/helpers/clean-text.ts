/** The check behind the one escaping rule (src/text/escape.ts), for tests that capture what a program printed. */
import assert from 'node:assert/strict';

/**
 * Fails unless `bytes` is valid UTF-8 without a C0 control but TAB and LF, without DEL and without a C1 control
 * (U+0080-U+009F): what no byte another process controls may make of a text stream. `where` names the stream.
 */
export function assertCleanText(bytes: Uint8Array, where: string): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const around = (i: number): string =>
    JSON.stringify(buf.subarray(Math.max(0, i - 40), i + 20).toString('latin1'));
  const bad = buf.findIndex((x) => (x < 0x20 && x !== 0x09 && x !== 0x0a) || x === 0x7f);
  assert.equal(bad, -1, `${where}: byte 0x${buf[bad]?.toString(16)} at ${bad}: ${around(bad)}`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    assert.fail(`${where}: not valid UTF-8: ${JSON.stringify(buf.toString('latin1'))}`);
  }
  const c1 = text.search(/[\u0080-\u009f]/);
  assert.equal(
    c1,
    -1,
    `${where}: a C1 control: ${JSON.stringify(text.slice(Math.max(0, c1 - 40), c1 + 20))}`,
  );
}
