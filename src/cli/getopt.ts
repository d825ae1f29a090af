/**
 * glibc `getopt_long_only`, step by step, over a mutable argv (element 0 is the program name). psmisc's option
 * handler reads `argv[optind - 1]` and `argv[optind]` in the middle of parsing, after GNU permutation has moved
 * some names around, so the emulation keeps glibc's exact state: optind, the position inside a cluster and the
 * first/last non-option window that `exchange()` rotates.
 */

/** One entry of the long-option table. */
export interface LongOption {
  readonly name: string;
  readonly hasArg: boolean;
  readonly val: string;
  /** An optional argument, taken only in the `--name=ARG` form (glibc's `optional_argument`). */
  readonly optionalArg?: boolean;
}

/** What one call returns: an option letter, `?`, or the end of options. */
export type GetoptResult = { readonly opt: string; readonly optarg?: string } | { readonly opt: 'end' };

/** The state of one parse. `argv` is permuted in place, as glibc does. */
export class GetoptLongOnly {
  optind = 1;
  private nextchar: string | null = null;
  private firstNonopt = 1;
  private lastNonopt = 1;
  private readonly permute: boolean;

  constructor(
    readonly argv: string[],
    private readonly shortopts: string,
    private readonly longopts: readonly LongOption[],
    posixlyCorrect: boolean,
    private readonly extensions: readonly LongOption[] = [],
  ) {
    this.permute = !posixlyCorrect;
  }

  private isNonoption(i: number): boolean {
    const a = this.argv[i]!;
    return a[0] !== '-' || a.length === 1;
  }

  // Rotates argv[firstNonopt, lastNonopt) behind argv[lastNonopt, optind), as glibc's exchange() ends up doing.
  private exchange(): void {
    const { argv } = this;
    const nonopts = argv.slice(this.firstNonopt, this.lastNonopt);
    const opts = argv.slice(this.lastNonopt, this.optind);
    argv.splice(this.firstNonopt, this.optind - this.firstNonopt, ...opts, ...nonopts);
    this.firstNonopt += this.optind - this.lastNonopt;
    this.lastNonopt = this.optind;
  }

  /** The next option, like one call of getopt_long_only with opterr = 0. */
  next(): GetoptResult {
    const { argv } = this;
    const argc = argv.length;
    if (this.nextchar === null || this.nextchar === '') {
      if (this.lastNonopt > this.optind) this.lastNonopt = this.optind;
      if (this.firstNonopt > this.optind) this.firstNonopt = this.optind;
      if (this.permute) {
        if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
        else if (this.lastNonopt !== this.optind) this.firstNonopt = this.optind;
        while (this.optind < argc && this.isNonoption(this.optind)) this.optind++;
        this.lastNonopt = this.optind;
      }
      if (this.optind !== argc && argv[this.optind] === '--') {
        this.optind++;
        if (this.firstNonopt !== this.lastNonopt && this.lastNonopt !== this.optind) this.exchange();
        else if (this.firstNonopt === this.lastNonopt) this.firstNonopt = this.optind;
        this.lastNonopt = argc;
        this.optind = argc;
      }
      if (this.optind === argc) {
        if (this.firstNonopt !== this.lastNonopt) this.optind = this.firstNonopt;
        return { opt: 'end' };
      }
      if (this.isNonoption(this.optind)) {
        // REQUIRE_ORDER (POSIXLY_CORRECT): the first non-option ends the options.
        return { opt: 'end' };
      }
      const cur = argv[this.optind]!;
      if (cur[1] === '-') {
        this.nextchar = cur.slice(2);
        return this.longOption('--')!;
      }
      // Long-only: "-xy…", or "-x" where x is no short option, is tried as a long option first.
      if (cur.length > 2 || !this.shortopts.includes(cur[1]!)) {
        this.nextchar = cur.slice(1);
        const r = this.longOption('-');
        if (r) return r;
      }
      this.nextchar = cur.slice(1);
    }
    return this.shortOption();
  }

  private shortOption(): GetoptResult {
    const nc = this.nextchar!;
    const c = nc[0]!;
    this.nextchar = nc.slice(1);
    const idx = c === ':' || c === ';' ? -1 : this.shortopts.indexOf(c);
    if (this.nextchar === '') this.optind++;
    if (idx < 0) return { opt: '?' };
    if (this.shortopts[idx + 1] !== ':') return { opt: c };
    let optarg: string;
    if (this.nextchar !== '') {
      optarg = this.nextchar;
      this.optind++;
    } else if (this.optind === this.argv.length) {
      this.nextchar = null;
      return { opt: '?' };
    } else optarg = this.argv[this.optind++]!;
    this.nextchar = null;
    return { opt: c, optarg };
  }

  // glibc process_long_option; returns null where a long-only "-x…" should be read as short options instead.
  private longOption(prefix: '-' | '--'): GetoptResult | null {
    const nc = this.nextchar!;
    const eq = nc.indexOf('=');
    const name = eq < 0 ? nc : nc.slice(0, eq);
    let found = this.longopts.find((o) => o.name === name);
    if (!found) {
      const candidates = this.longopts.filter((o) => o.name.startsWith(name));
      if (candidates.length > 1) {
        // Long-only mode calls any second prefix match ambiguous.
        this.nextchar = '';
        this.optind++;
        return { opt: '?' };
      }
      found = candidates[0];
    }
    // killall-ts's extensions: only where psmisc's table recognises nothing, only in the `--name` form, by full
    // name or by a prefix unambiguous among the extensions. Argument handling is glibc's, so permutation holds.
    if (!found && prefix === '--') {
      found = this.extensions.find((o) => o.name === name);
      if (!found) {
        const candidates = this.extensions.filter((o) => o.name.startsWith(name));
        if (candidates.length === 1) found = candidates[0];
      }
    }
    if (!found) {
      if (prefix === '--' || !this.shortopts.includes(nc[0]!)) {
        this.nextchar = null;
        this.optind++;
        return { opt: '?' };
      }
      return null;
    }
    this.optind++;
    this.nextchar = null;
    if (eq >= 0) {
      if (found.hasArg || found.optionalArg) return { opt: found.val, optarg: nc.slice(eq + 1) };
      return { opt: '?' };
    }
    if (found.hasArg) {
      if (this.optind < this.argv.length) return { opt: found.val, optarg: this.argv[this.optind++]! };
      return { opt: '?' };
    }
    return { opt: found.val };
  }
}
