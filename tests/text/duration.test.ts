import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../../src/text/duration.js';

describe('DURATION', () => {
  it('units, decimals, the default unit', () => {
    const ms = (t: string) => {
      const r = parseDuration(t);
      assert.ok(r.ok, t);
      return r.ms;
    };
    assert.equal(ms('5'), 5000);
    assert.equal(ms('5s'), 5000);
    assert.equal(ms('1.1s'), 1100);
    assert.equal(ms('0.5'), 500);
    assert.equal(ms('.25'), 250);
    assert.equal(ms('2.'), 2000);
    assert.equal(ms('500ms'), 500);
    assert.equal(ms('0.1ms'), 1, 'a fraction of a millisecond rounds up');
    assert.equal(ms('1.5m'), 90_000);
    assert.equal(ms('2h'), 7_200_000);
    assert.equal(ms('24d'), MAX_DURATION_MS);
    assert.ok(MAX_DURATION_MS < 2 ** 31 - 1);
  });
  it('refusals', () => {
    assert.deepEqual(parseDuration('0'), { ok: false, error: 'zero' });
    assert.deepEqual(parseDuration('0.000ms'), { ok: false, error: 'zero' });
    assert.deepEqual(parseDuration('24.001d'), { ok: false, error: 'too-long' });
    assert.deepEqual(parseDuration('9'.repeat(400)), { ok: false, error: 'too-long' });
    for (const t of [
      '',
      '-1',
      '+1',
      '1e3',
      ' 1',
      '1 ',
      '1S',
      '1sec',
      '1w',
      'ms',
      '1..2',
      'Infinity',
      'NaN',
      '0x10',
    ])
      assert.deepEqual(parseDuration(t), { ok: false, error: 'malformed' }, t);
  });
  it('property: any string parses to an error or to whole ms within (0, 24 days]', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9.]{0,8}(ms|s|m|h|d)?$/)), (t) => {
        const r = parseDuration(t);
        if (r.ok) {
          assert.ok(Number.isInteger(r.ms) && r.ms >= 1 && r.ms <= MAX_DURATION_MS, t);
        }
      }),
      { numRuns: 5000 },
    );
  });
  it('property: n with a unit is n times the unit (rounded up to whole ms)', () => {
    const units = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100000 }),
        fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])),
        (n, u) => {
          const want = n * units[u];
          const r = parseDuration(`${n}${u}`);
          if (want > MAX_DURATION_MS) assert.deepEqual(r, { ok: false, error: 'too-long' });
          else assert.deepEqual(r, { ok: true, ms: want });
        },
      ),
    );
  });
  it('formatDuration', () => {
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(5000), '5s');
    assert.equal(formatDuration(2500), '2.5s');
  });
});
