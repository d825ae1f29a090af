/**
 * A small JSON Schema (2020-12) validator for the keywords docs/killall-ts.schema.json uses: type (one or a list),
 * const, enum, properties, required, additionalProperties: false, items, oneOf, $ref to #/$defs, minimum, pattern.
 * An unknown keyword is an error, so the schema cannot silently use one this validator ignores.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  '$defs',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'oneOf',
  '$ref',
  'minimum',
  'pattern',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Returns the list of violations (empty when `value` is valid), each with its JSON path. */
export function validate(root: Schema, value: unknown): string[] {
  const check = (s: Schema, v: unknown, path: string, errors: string[]): void => {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema keyword not supported: ${k}`);
    if (typeof s.$ref === 'string') {
      const name = /^#\/\$defs\/(.+)$/.exec(s.$ref)?.[1];
      const target = name ? (root.$defs as Record<string, Schema>)[name] : undefined;
      if (!target) throw new Error(`bad $ref ${s.$ref}`);
      check(target, v, path, errors);
    }
    const t = typeOf(v);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) {
        errors.push(`${path}: ${t} is not ${types.join('|')}`);
        return;
      }
    }
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v))
      errors.push(`${path}: not ${JSON.stringify(s.const)}`);
    if (s.enum && !(s.enum as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(v)))
      errors.push(`${path}: ${JSON.stringify(v)} not in enum`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
      errors.push(`${path}: below minimum`);
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern, 'u').test(v))
      errors.push(`${path}: ${JSON.stringify(v)} does not match ${s.pattern}`);
    if (s.oneOf) {
      const ok = (s.oneOf as Schema[]).filter((sub) => {
        const e: string[] = [];
        check(sub, v, path, e);
        return e.length === 0;
      });
      if (ok.length !== 1) errors.push(`${path}: matches ${ok.length} of oneOf`);
    }
    if (t === 'object') {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in o)) errors.push(`${path}: missing ${r}`);
      for (const [k, val] of Object.entries(o)) {
        if (props[k]) check(props[k]!, val, `${path}.${k}`, errors);
        else if (s.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
      }
    }
    if (t === 'array' && s.items)
      (v as unknown[]).forEach((x, i) => {
        check(s.items as Schema, x, `${path}[${i}]`, errors);
      });
  };
  const errors: string[] = [];
  check(root, value, '$', errors);
  return errors;
}
