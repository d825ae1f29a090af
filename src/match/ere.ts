/**
 * POSIX extended regular expressions as glibc's `regcomp(REG_EXTENDED)` reads them, translated to a JavaScript
 * RegExp that runs over names decoded as latin1 (one char per byte, as in the C locale).
 *
 * glibc rules followed here (regcomp.c, RE_SYNTAX_POSIX_EXTENDED): `*`, `+`, `?`, `{` with nothing to repeat, or
 * right after an anchor, are errors; an unmatched `)` and a lone `}` are literals; `\` before an ordinary char makes
 * it literal; the GNU escapes `\w \W \s \S \b \B \< \> \` \'` and back references `\1`–`\9` exist; bracket
 * expressions take `[:class:]`, `[=c=]`, `[.c.]`, ranges by byte value, and `]` first is literal. Under REG_ICASE
 * glibc upper-cases pattern and input, so ranges are judged after upper-casing (ASCII only in the C locale).
 */

/** glibc's REG_* error names, for tests and messages. */
export type EreErrorCode =
  | 'REG_BADPAT'
  | 'REG_ECOLLATE'
  | 'REG_ECTYPE'
  | 'REG_EESCAPE'
  | 'REG_ESUBREG'
  | 'REG_EBRACK'
  | 'REG_EPAREN'
  | 'REG_EBRACE'
  | 'REG_BADBR'
  | 'REG_ERANGE'
  | 'REG_BADRPT'
  | 'REG_ESIZE';

/** A pattern glibc would refuse. */
export class EreSyntaxError extends Error {
  /** The REG_* error glibc's regcomp would return. */
  readonly code: EreErrorCode;
  constructor(code: EreErrorCode, pattern: string) {
    super(`${code}: ${pattern}`);
    this.name = 'EreSyntaxError';
    this.code = code;
  }
}

/** Options of {@link compileEre}. */
export interface EreOptions {
  /** REG_ICASE: ASCII case-insensitive, as in the C locale. */
  readonly ignoreCase?: boolean;
}

const RE_DUP_MAX = 0x7fff;

const CLASSES: Record<string, (c: number) => boolean> = {
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  upper: (c) => c >= 65 && c <= 90,
  lower: (c) => c >= 97 && c <= 122,
  digit: (c) => c >= 48 && c <= 57,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  blank: (c) => c === 32 || c === 9,
  alnum: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57),
  punct: (c) =>
    c >= 33 && c <= 126 && !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)),
  print: (c) => c >= 32 && c <= 126,
  graph: (c) => c >= 33 && c <= 126,
  cntrl: (c) => c < 32 || c === 127,
};

const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);

/** One char of the latin1 pattern as a JS regex atom that means exactly that char. */
function lit(c: number): string {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
    return String.fromCharCode(c);
  }
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

/** A JS class for a set of byte values (0–255), under the latin1 reading. */
function classOf(set: boolean[]): string {
  let out = '';
  let n = 0;
  for (let c = 0; c < 256; ) {
    if (!set[c]) {
      c++;
      continue;
    }
    let e = c;
    while (e + 1 < 256 && set[e + 1]) e++;
    out += e === c ? lit(c) : `${lit(c)}-${lit(e)}`;
    n += e - c + 1;
    c = e + 1;
  }
  if (n === 0) return '[^\\x00-\\uffff]';
  return `[${out}]`;
}

type Token =
  | { t: 'char'; c: number }
  | { t: 'any' }
  | { t: 'bracket' }
  | { t: 'anchor'; js: string }
  | { t: 'set'; js: string }
  | { t: 'backref'; n: number }
  | { t: 'open' }
  | { t: 'close' }
  | { t: 'alt' }
  | { t: 'dup'; op: '*' | '+' | '?' }
  | { t: 'brace' }
  | { t: 'closebrace' }
  | { t: 'backslash' }
  | { t: 'end' };

class Parser {
  private pos = 0;
  private tok: Token = { t: 'end' };
  private groups = 0;
  private completed = new Set<number>();
  private hasBackref = false;

  constructor(
    private readonly src: string,
    private readonly icase: boolean,
  ) {}

  fail(code: EreErrorCode): never {
    throw new EreSyntaxError(code, this.src);
  }

  private code(i: number): number {
    return this.src.charCodeAt(i) & 0xff;
  }

  private next(): void {
    const s = this.src;
    if (this.pos >= s.length) {
      this.tok = { t: 'end' };
      return;
    }
    const c = this.code(this.pos++);
    switch (c) {
      case 0x5c: {
        if (this.pos >= s.length) {
          this.tok = { t: 'backslash' };
          return;
        }
        const d = this.code(this.pos++);
        if (d >= 0x31 && d <= 0x39) this.tok = { t: 'backref', n: d - 0x30 };
        else if (d === 0x3c) this.tok = { t: 'anchor', js: '\\b(?=\\w)' };
        else if (d === 0x3e) this.tok = { t: 'anchor', js: '\\b(?<=\\w)' };
        else if (d === 0x62) this.tok = { t: 'anchor', js: '\\b' };
        else if (d === 0x42) this.tok = { t: 'anchor', js: '\\B' };
        else if (d === 0x60) this.tok = { t: 'anchor', js: '^' };
        else if (d === 0x27) this.tok = { t: 'anchor', js: '$' };
        else if (d === 0x77) this.tok = { t: 'set', js: '\\w' };
        else if (d === 0x57) this.tok = { t: 'set', js: '\\W' };
        else if (d === 0x73) this.tok = { t: 'set', js: '[\\t\\n\\v\\f\\r ]' };
        else if (d === 0x53) this.tok = { t: 'set', js: '[^\\t\\n\\v\\f\\r ]' };
        else this.tok = { t: 'char', c: d };
        return;
      }
      case 0x7c:
        this.tok = { t: 'alt' };
        return;
      case 0x2a:
        this.tok = { t: 'dup', op: '*' };
        return;
      case 0x2b:
        this.tok = { t: 'dup', op: '+' };
        return;
      case 0x3f:
        this.tok = { t: 'dup', op: '?' };
        return;
      case 0x7b:
        this.tok = { t: 'brace' };
        return;
      case 0x7d:
        this.tok = { t: 'closebrace' };
        return;
      case 0x28:
        this.tok = { t: 'open' };
        return;
      case 0x29:
        this.tok = { t: 'close' };
        return;
      case 0x5b:
        this.tok = { t: 'bracket' };
        return;
      case 0x2e:
        this.tok = { t: 'any' };
        return;
      case 0x5e:
        this.tok = { t: 'anchor', js: '^' };
        return;
      case 0x24:
        this.tok = { t: 'anchor', js: '$' };
        return;
      default:
        this.tok = { t: 'char', c };
    }
  }

  // The token after a call that advanced the parser (TypeScript's narrowing cannot see that).
  private current(): Token {
    return this.tok;
  }

  parse(): { source: string; backrefs: boolean } {
    this.next();
    const out = this.regExp(0);
    if (this.tok.t !== 'end') this.fail('REG_EPAREN');
    return { source: out, backrefs: this.hasBackref };
  }

  private regExp(nest: number): string {
    let out = this.branch(nest);
    while (this.tok.t === 'alt') {
      this.next();
      const t = this.tok.t;
      out += `|${t !== 'alt' && t !== 'end' && !(nest > 0 && t === 'close') ? this.branch(nest) : ''}`;
    }
    return out;
  }

  private branch(nest: number): string {
    let out = '';
    for (;;) {
      const t = this.tok.t;
      if (t === 'alt' || t === 'end' || (nest > 0 && t === 'close')) return out;
      out += this.expression(nest);
    }
  }

  private expression(nest: number): string {
    const tok = this.tok;
    let atom: string;
    switch (tok.t) {
      case 'char':
        atom = this.charAtom(tok.c);
        break;
      case 'any':
        atom = '[^]';
        break;
      case 'set':
        atom = tok.js;
        break;
      case 'bracket':
        atom = this.bracket();
        break;
      case 'backref':
        if (!this.completed.has(tok.n)) this.fail('REG_ESUBREG');
        this.hasBackref = true;
        atom = `(?:\\${tok.n})`;
        break;
      case 'open': {
        const n = ++this.groups;
        this.next();
        let inner = '';
        if (this.tok.t !== 'close') {
          inner = this.regExp(nest + 1);
          if (this.current().t !== 'close') this.fail('REG_EPAREN');
        }
        this.completed.add(n);
        atom = `(${inner})`;
        break;
      }
      case 'anchor':
        // glibc returns right after an anchor: a repetition operator after it is then an error.
        this.next();
        return tok.js;
      case 'dup':
      case 'brace':
        this.fail('REG_BADRPT');
        break;
      case 'close':
      case 'closebrace':
        atom = lit(tok.t === 'close' ? 0x29 : 0x7d);
        break;
      case 'backslash':
        this.fail('REG_EESCAPE');
        break;
      default:
        return '';
    }
    this.next();
    let first = true;
    for (;;) {
      const d = this.tok;
      let op: string;
      if (d.t === 'dup') {
        op = d.op;
        this.next();
      } else if (d.t === 'brace') {
        op = this.interval();
      } else break;
      atom = first ? `${atom}${op}` : `(?:${atom})${op}`;
      first = false;
    }
    return atom;
  }

  private charAtom(c: number): string {
    if (!this.icase) return lit(c);
    const u = upper(c);
    if (u >= 65 && u <= 90) return `[${lit(u)}${lit(u + 32)}]`;
    return lit(c);
  }

  /** `{m}`, `{m,}`, `{,n}`, `{m,n}` after an atom; the current token is `{`. */
  private interval(): string {
    const first = this.fetchNumber();
    let start = first.num;
    let end: number;
    if (start === -1) {
      if (first.tok.t === 'char' && first.tok.c === 0x2c) start = 0;
      else this.fail('REG_BADBR');
    }
    let last = first.tok;
    if (start !== -2) {
      if (first.tok.t === 'closebrace') end = start;
      else if (first.tok.t === 'char' && first.tok.c === 0x2c) {
        const second = this.fetchNumber();
        end = second.num;
        last = second.tok;
      } else end = -2;
    } else end = -2;
    if (start === -2 || end === -2) this.fail(last.t === 'end' ? 'REG_EBRACE' : 'REG_BADBR');
    if ((end !== -1 && start > end) || last.t !== 'closebrace') this.fail('REG_BADBR');
    if ((end === -1 ? start : end) > RE_DUP_MAX) this.fail('REG_ESIZE');
    this.next();
    if (start === 0 && end === 0) return '{0}';
    return end === -1 ? `{${start},}` : start === end ? `{${start}}` : `{${start},${end}}`;
  }

  // glibc fetch_number: -1 for no digits, -2 for anything invalid, stops at `}` or `,` (or the end: -2).
  private fetchNumber(): { num: number; tok: Token } {
    let num = -1;
    for (;;) {
      this.next();
      const tok = this.tok;
      if (tok.t === 'end') return { num: -2, tok };
      if (tok.t === 'closebrace' || (tok.t === 'char' && tok.c === 0x2c)) return { num, tok };
      const c = tok.t === 'char' ? tok.c : -1;
      num =
        c < 0x30 || c > 0x39 || num === -2
          ? -2
          : num === -1
            ? c - 0x30
            : Math.min(RE_DUP_MAX + 1, num * 10 + c - 0x30);
    }
  }

  /** A bracket expression; `pos` is just after `[`. */
  private bracket(): string {
    const s = this.src;
    const set: boolean[] = new Array(256).fill(false);
    let negate = false;
    if (this.pos < s.length && s[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    let firstRound = true;
    const add = (c: number): void => {
      set[c] = true;
    };
    for (;;) {
      if (this.pos >= s.length) this.fail('REG_EBRACK');
      let start = this.bracketToken();
      if (start.t === 'close' && firstRound) start = { t: 'char', c: 0x5d, len: 1 };
      else if (start.t === 'close') break;
      const startElem = this.bracketElement(start, firstRound);
      firstRound = false;
      let isRange = false;
      if (startElem.kind !== 'class' && startElem.kind !== 'equiv') {
        if (this.pos >= s.length) this.fail('REG_EBRACK');
        const tok = this.bracketToken();
        if (tok.t === 'range') {
          const save = this.pos;
          this.pos += 1;
          if (this.pos >= s.length) this.fail('REG_EBRACK');
          const tok2 = this.bracketToken();
          if (tok2.t === 'close') this.pos = save;
          else {
            isRange = true;
            const endElem = this.bracketElement(tok2, true);
            if (endElem.kind === 'class' || endElem.kind === 'equiv') this.fail('REG_ERANGE');
            const lo = this.icase ? upper(startElem.c) : startElem.c;
            const hi = this.icase ? upper(endElem.c) : endElem.c;
            if (lo > hi) this.fail('REG_ERANGE');
            for (let c = lo; c <= hi; c++) add(c);
          }
        }
      }
      if (!isRange) {
        if (startElem.kind === 'class') {
          let name = startElem.name;
          if (this.icase && (name === 'upper' || name === 'lower')) name = 'alpha';
          const f = CLASSES[name];
          if (!f) this.fail('REG_ECTYPE');
          for (let c = 0; c < 256; c++) if (f(c)) add(c);
        } else add(this.icase ? upper(startElem.c) : startElem.c);
      }
      if (this.pos >= s.length) this.fail('REG_EBRACK');
      if (this.bracketToken().t === 'close') {
        this.pos++;
        break;
      }
    }
    // Under REG_ICASE glibc compares the upper-cased input char against the upper-cased set.
    const eff: boolean[] = new Array(256).fill(false);
    for (let c = 0; c < 256; c++) {
      const inSet = set[this.icase ? upper(c) : c]!;
      eff[c] = negate ? !inSet : inSet;
    }
    return classOf(eff);
  }

  // peek_token_bracket: what starts at pos (without consuming, except that `len` says how long it is).
  private bracketToken():
    | { t: 'char'; c: number; len: number }
    | { t: 'open-sym'; delim: number; len: number }
    | { t: 'range'; len: number }
    | { t: 'close'; len: number } {
    const s = this.src;
    const c = this.code(this.pos);
    if (c === 0x5b) {
      const c2 = this.pos + 1 < s.length ? this.code(this.pos + 1) : 0;
      if (c2 === 0x2e || c2 === 0x3d || c2 === 0x3a) return { t: 'open-sym', delim: c2, len: 2 };
      return { t: 'char', c, len: 1 };
    }
    if (c === 0x2d) return { t: 'range', len: 1 };
    if (c === 0x5d) return { t: 'close', len: 1 };
    return { t: 'char', c, len: 1 };
  }

  private bracketElement(
    tok: ReturnType<Parser['bracketToken']>,
    acceptHyphen: boolean,
  ): { kind: 'char'; c: number } | { kind: 'class'; name: string } | { kind: 'equiv'; c: number } {
    const s = this.src;
    this.pos += tok.len;
    if (tok.t === 'open-sym') {
      if (this.pos >= s.length) this.fail('REG_EBRACK');
      let name = '';
      for (let i = 0; ; i++) {
        if (i >= 32) this.fail('REG_EBRACK');
        const ch = s[this.pos++]!;
        if (this.pos >= s.length) this.fail('REG_EBRACK');
        if (ch.charCodeAt(0) === tok.delim && s[this.pos] === ']') break;
        name += ch;
      }
      this.pos++;
      if (tok.delim === 0x3a) return { kind: 'class', name };
      if (name.length !== 1) this.fail('REG_ECOLLATE');
      const c = name.charCodeAt(0) & 0xff;
      return tok.delim === 0x3d ? { kind: 'equiv', c } : { kind: 'char', c };
    }
    if (tok.t === 'range' && !acceptHyphen) {
      if (this.pos >= s.length || this.bracketToken().t !== 'close') this.fail('REG_ERANGE');
    }
    return { kind: 'char', c: tok.t === 'char' ? tok.c : tok.t === 'range' ? 0x2d : 0x5d };
  }
}

/** A compiled ERE: `test` searches (unanchored) in a name given as bytes. */
export interface Ere {
  /** The JavaScript source of the translation (latin1 chars stand for bytes). */
  readonly source: string;
  /** The compiled translation. */
  readonly regexp: RegExp;
  /** Whether the pattern occurs anywhere in the name (unanchored search, as regexec). */
  test(name: Uint8Array): boolean;
}

/**
 * Compiles a POSIX ERE (given as latin1 text, one char per byte) or throws {@link EreSyntaxError} where glibc's
 * regcomp fails.
 */
export function compileEre(pattern: string, options: EreOptions = {}): Ere {
  const icase = options.ignoreCase === true;
  const { source, backrefs } = new Parser(pattern, icase).parse();
  // Case-folding of back references needs the flag; everything else is folded (ASCII only) in the translation.
  const regexp = new RegExp(source, icase && backrefs ? 'i' : '');
  return {
    source,
    regexp,
    test: (name) => regexp.test(Buffer.from(name.buffer, name.byteOffset, name.length).toString('latin1')),
  };
}
