import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { completionFileName, renderCompletion, SHELLS } from '../../src/cli/completion.js';
import { SIGNAL_NAMES } from '../../src/signal/signals.js';
import { assertCleanText } from '../helpers/clean-text.js';
import { compiledHelper, nsSkip } from '../helpers/ns.js';

/**
 * The completion scripts, run for real by bash, fish and zsh inside a private PID and network namespace that holds
 * known processes (a short name, a name longer than the 15-byte comm, a TCP listener and a bound UDP socket), so
 * process names and ports can only come from the namespace's own /proc. Nothing is signalled: the namespace ends
 * with its PID 1.
 */
const has = (cmd: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const TCP = 47123;
const UDP = 47124;
const LONG = 'ktscomp-a-very-long-name-x';

/**
 * Hostile process names (comms set with prctl, any bytes but NUL), each with the hex the victim takes: invalid
 * UTF-8, a newline, a TAB, a leading dash (twice: fish's echo ate -n and -e), a command substitution, backticks, a
 * terminal escape, a C1 control. And a 15-byte comm with multibyte characters (12 of them) whose long name comes
 * from argv[0], which only a byte count finds.
 */
const HOSTILE: readonly string[] = [
  'ktsha\xff\xfe',
  'ktshb\nline',
  'ktshc\tTab',
  '-n',
  '-e',
  'ktshd$(id)',
  'ktshe`id`',
  'ktshf\x1b]0;X\x07',
  'ktshg\xc2\x9b',
];
const MULTI = 'ktshlongx\xc3\xa4\xc3\xa4\xc3\xa4';
const MULTI_LONG = `${MULTI}Whole`;
const hex = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

// PID 1 of the namespace: starts the known processes, waits until the sockets are bound, then answers each query
// line of $dir/queries (shell<TAB>command line) with one line: the candidates, separated by tabs, sorted.
const INNER = String.raw`
set -u
dir=$1
sleepbin=$(command -v sleep)
ln -s "$sleepbin" "$dir/ktscompa"
ln -s "$sleepbin" "$dir/${LONG}"
ln -s "$2" "$dir/ktslisten"
"$dir/ktscompa" 600 &
"$dir/${LONG}" 600 &
"$dir/ktslisten" "$dir/rec-tcp" --listen tcp ${TCP} &
"$dir/ktslisten" "$dir/rec-udp" --listen udp ${UDP} &
i=0
for h in ${HOSTILE.map(hex).join(' ')}; do
  "$3" "$dir/rec-h$i" --comm-hex "$h" --stay &
  i=$((i + 1))
done
( exec -a "$(printf '%b' '${[...MULTI_LONG].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join('')}')" "$3" "$dir/rec-h$i" --comm-hex ${hex(MULTI)} --stay ) &
i=$((i + 1))
# Each victim writes "ready" once renamed.
for ((k = 0; k < i; k++)); do
  for t in $(seq 1 600); do grep -q ready "$dir/rec-h$k" 2>/dev/null && break; sleep 0.05; done
done
tcp=$(printf ':%04X ' ${TCP}); udp=$(printf ':%04X ' ${UDP})
for i in $(seq 1 600); do
  grep -q "$tcp" /proc/net/tcp 2>/dev/null && grep -q "$udp" /proc/net/udp 2>/dev/null && break
  sleep 0.05
done
# Each candidate as one line of hex: names may hold newlines, TABs and any other byte but NUL.
tohex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; echo; }
fishq() { while IFS= read -r c; do tohex "${'$'}{c%%$'\t'*}"; done; }
bashq() {
  ( source "$dir/killall-ts.bash"
    COMP_LINE=$1; COMP_POINT=${'$'}{#1}
    local l=$1 cur= i ch; COMP_WORDS=()
    for ((i = 0; i < ${'$'}{#l}; i++)); do
      ch=${'$'}{l:i:1}
      if [[ $ch == ' ' ]]; then [[ -n $cur ]] && COMP_WORDS+=("$cur"); cur=
      elif [[ $ch == [:=] ]]; then [[ -n $cur ]] && COMP_WORDS+=("$cur"); COMP_WORDS+=("$ch"); cur=
      else cur+=$ch; fi
    done
    if [[ -n $cur ]]; then COMP_WORDS+=("$cur"); elif [[ $l == *' ' ]]; then COMP_WORDS+=(''); fi
    COMP_CWORD=$(( ${'$'}{#COMP_WORDS[@]} - 1 ))
    _killall_ts
    for c in "${'$'}{COMPREPLY[@]}"; do tohex "$c"; done )
}
while IFS=$'\t' read -r shell line; do
  case $shell in
    bash) out=$(bashq "$line") ;;
    bash-complete-p) out=$(tohex "$(source "$dir/killall-ts.bash"; complete -p killall-ts)") ;;
    bash-autoload) out=$(BASH_COMPLETION_USER_DIR="$dir/bc" bash -c '
        source /usr/share/bash-completion/bash_completion
        complete -p killall-ts >/dev/null 2>&1 && echo "defined before loading"
        _comp_load killall-ts 2>/dev/null || __load_completion killall-ts 2>/dev/null || _completion_loader killall-ts
        complete -p killall-ts' | while IFS= read -r c; do tohex "$c"; done) ;;
    fish) out=$(fish --no-config -c "source $dir/killall-ts.fish; complete --do-complete '$line'" | fishq) ;;
    fish-autoload) out=$(PATH="$dir/bin:$PATH" XDG_CONFIG_HOME="$dir/cfg" fish -c "complete --do-complete '$line'" | fishq) ;;
    zsh) out=$(timeout 120 zsh -f "$dir/zcap.zsh" "$dir/zfunc" "$line") ;;
  esac
  printf '%s\n' "$out" | LC_ALL=C sort -u | tr '\n' '\t'
  echo
done < "$dir/queries"
`;

// Captures what zsh's completion system offers for a line, through a pseudo-terminal (zsh/zpty).
const ZCAP = String.raw`
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'compadd () { local -a __h; local __m; builtin compadd -O __h "$@"; for __m in $__h; do print -r -- "<"M">$(print -rn -- $__m | od -An -v -tx1 | tr -d " \n")"; done; builtin compadd "$@" }'
zpty -w z '_kts_done() { print -r -- "<"DONE">" }; comppostfuncs=(_kts_done)'
zpty -w z 'zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" menu no; LISTMAX=100000'
zpty -n -w z "$2"$'\t'
local line
while zpty -r z line; do
  [[ $line == *'<DONE>'* ]] && break
  line=@{line//$'\r'/}; line=@{line//$'\n'/}
  [[ $line == *'<M>'* ]] && print -r -- "@{line##*<M>}"
done
zpty -d z
`.replace(/@\{/g, '${');

type Query = readonly [shell: string, line: string];

function runQueries(queries: readonly Query[]): Map<string, string[]> {
  const dir = mkdtempSync(`${tmpdir()}/kts-comp-`);
  try {
    writeFileSync(`${dir}/inner.sh`, INNER);
    writeFileSync(`${dir}/zcap.zsh`, ZCAP);
    for (const shell of SHELLS) writeFileSync(`${dir}/${completionFileName(shell)}`, renderCompletion(shell));
    mkdirSync(`${dir}/bc/completions`, { recursive: true });
    writeFileSync(`${dir}/bc/completions/killall-ts`, renderCompletion('bash'));
    mkdirSync(`${dir}/cfg/fish/completions`, { recursive: true });
    writeFileSync(`${dir}/cfg/fish/completions/killall-ts.fish`, renderCompletion('fish'));
    mkdirSync(`${dir}/zfunc`);
    // fish loads a command's completions only when the command is on PATH: a stub stands in (never run).
    mkdirSync(`${dir}/bin`);
    writeFileSync(`${dir}/bin/killall-ts`, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    writeFileSync(`${dir}/zfunc/_killall-ts`, renderCompletion('zsh'));
    writeFileSync(`${dir}/queries`, queries.map(([s, l]) => `${s}\t${l}\n`).join(''));
    const r = spawnSync(
      'unshare',
      [
        '--pid',
        '--fork',
        '--kill-child',
        '--mount-proc',
        '--net',
        'bash',
        `${dir}/inner.sh`,
        dir,
        compiledHelper('ext-victim'),
        compiledHelper('victim'),
      ],
      {
        encoding: 'utf8',
        // Generous: dozens of shells start one after another, on a machine that may be busy.
        timeout: 900_000,
        // A UTF-8 locale, as on a desktop: how bash quotes (printf %q) and zsh lists non-ASCII text depends on it.
        env: { ...process.env, NODE_EXTRA_CA_CERTS: '', HOME: dir, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      },
    );
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, queries.length + 1, `inner script failed: ${r.stderr}`);
    return new Map(
      queries.map(([s, l], i) => [
        `${s} ${l}`,
        lines[i]!.split('\t')
          .filter((x) => x !== '')
          .map((h) => Buffer.from(h, 'hex').toString('latin1'))
          .sort(),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const skip = nsSkip || (has('bash') ? false : 'bash is not installed');

describe('completions in a private namespace with known processes', { skip }, () => {
  const shells = ['bash', ...(has('fish') ? ['fish'] : []), ...(has('zsh') ? ['zsh'] : [])];
  const perShell: Query[] = [];
  for (const s of shells)
    perShell.push(
      [s, 'killall-ts ktscomp'],
      [s, 'killall-ts '],
      [s, 'killall-ts :'],
      [s, 'killall-ts --sig'],
      [s, 'killall-ts -s K'],
      [s, 'killall-ts -K'],
      [s, 'killall-ts -u ro'],
      [s, 'killall-ts --kill-after 5'],
      [s, 'killall-ts -o 3'],
      [s, 'killall-ts --generate-completion '],
      [s, 'killall-ts -v --ex'],
      [s, 'killall-ts ktsh'],
      [s, 'killall-ts -- -'],
    );
  const queries: Query[] = [
    ...perShell,
    ['bash', 'killall-ts --signal=US'],
    ['bash', 'killall-ts --signal='],
    ['bash', 'killall-ts :471'],
    ['bash-complete-p', ''],
    ...(has('fish') ? ([['fish-autoload', 'killall-ts --tr']] as Query[]) : []),
  ];
  if (spawnSync('test', ['-r', '/usr/share/bash-completion/bash_completion']).status === 0)
    queries.push(['bash-autoload', '']);
  let got = new Map<string, string[]>();
  before(() => {
    got = runQueries(queries);
  });
  after(() => {
    got.clear();
  });
  const q = (shell: string, line: string): string[] => got.get(`${shell} ${line}`)!;

  for (const s of shells) {
    it(`${s}: NAMEs are the namespace's process names, comm and long name`, () => {
      assert.deepEqual(q(s, 'killall-ts ktscomp'), ['ktscomp-a-very-', LONG, 'ktscompa']);
      const all = q(s, 'killall-ts ');
      for (const n of ['ktscompa', LONG, 'ktslisten']) assert.ok(all.includes(n), `${n} in ${all.join(' ')}`);
      // The test runner on the host is a node process; the namespace has none.
      assert.ok(!all.includes('node'), all.join(' '));
    });
    it(`${s}: :PORT NAMEs from the namespace's listening TCP and bound UDP sockets`, () => {
      assert.deepEqual(q(s, 'killall-ts :'), [`:${TCP}`, `:${UDP}`]);
    });
    it(`${s}: options, signals, users, units and shells`, () => {
      assert.deepEqual(q(s, 'killall-ts --sig'), ['--signal']);
      assert.deepEqual(q(s, 'killall-ts -s K'), ['KILL']);
      // zsh adds the prefix with compadd -P, so its matches are reported without the dash.
      assert.deepEqual(q(s, 'killall-ts -K'), s === 'zsh' ? ['KILL'] : ['-KILL']);
      assert.ok(q(s, 'killall-ts -u ro').includes('root'));
      const units = (n: string, us: readonly string[]) =>
        [...(s === 'zsh' ? us : us.map((u) => n + u))].sort();
      assert.deepEqual(q(s, 'killall-ts --kill-after 5'), units('5', ['ms', 's', 'm', 'h', 'd']));
      assert.deepEqual(q(s, 'killall-ts -o 3'), units('3', ['s', 'm', 'h', 'd', 'w', 'M', 'y']));
      assert.deepEqual(q(s, 'killall-ts --generate-completion '), ['bash', 'fish', 'zsh']);
      assert.deepEqual(
        q(s, 'killall-ts -v --ex'),
        ['--exact', '--explain'].concat(s === 'fish' ? ['--explain='] : []),
      );
    });
  }

  // The raw names of the hostile processes whose names start with ktsh.
  const ktsh = [...HOSTILE.filter((n) => n.startsWith('ktsh')), MULTI, MULTI_LONG];
  const bogus = ['ktshb', 'line', 'ktshc', 'Tab', ''];

  it('bash: hostile names are offered as printf %q quotes them, one candidate each, and read back as the names', () => {
    const got = q('bash', 'killall-ts ktsh');
    assert.deepEqual(
      got,
      [
        "$'ktsha\\377\\376'",
        "$'ktshb\\nline'",
        "$'ktshc\\tTab'",
        "$'ktshf\\E]0;X\\a'",
        "$'ktshg\\302\\233'",
        'ktshd\\$\\(id\\)',
        'ktshe\\`id\\`',
        MULTI,
        MULTI_LONG,
      ].sort(),
    );
    for (const c of got) assertCleanText(Buffer.from(c, 'latin1'), `bash candidate ${JSON.stringify(c)}`);
    // What bash inserts is a word that gives back exactly the process's name.
    const back = spawnSync('bash', ['-s'], {
      input: Buffer.from(`printf '%s\\0' ${got.join(' ')}\n`, 'latin1'),
      env: { LC_ALL: 'C.UTF-8', PATH: process.env.PATH },
    });
    assert.deepEqual(back.stdout.toString('latin1').split('\0').slice(0, -1).sort(), [...ktsh].sort());
    assert.deepEqual(q('bash', 'killall-ts -- -'), ['-e', '-n']);
    for (const b of bogus) assert.ok(!q('bash', 'killall-ts ').includes(b), b);
  });

  it('zsh: hostile names reach compadd whole (zsh quotes what it lists and inserts)', (t) => {
    if (!has('zsh')) return t.skip('zsh is not installed');
    assert.deepEqual(q('zsh', 'killall-ts ktsh'), [...ktsh].sort());
    const dash = q('zsh', 'killall-ts -- -');
    for (const n of ['-e', '-n']) assert.ok(dash.includes(n), `${n} in ${dash.join(' ')}`);
    for (const b of bogus) assert.ok(!q('zsh', 'killall-ts ').includes(b), b);
  });

  it('fish: hostile names are offered whole; one with a newline or a TAB is left out; -n and -e survive', (t) => {
    if (!has('fish')) return t.skip('fish is not installed');
    assert.deepEqual(q('fish', 'killall-ts ktsh'), ktsh.filter((n) => !/[\t\n]/.test(n)).sort());
    const dash = q('fish', 'killall-ts -- -');
    for (const n of ['-e', '-n']) assert.ok(dash.includes(n), `${n} in ${dash.join(' ')}`);
    for (const b of bogus) assert.ok(!q('fish', 'killall-ts ').includes(b), b);
  });

  it('bash: --signal=NAME and :PORT keep the part bash split off at = and :', () => {
    assert.deepEqual(q('bash', 'killall-ts --signal=US'), ['USR1', 'USR2']);
    assert.deepEqual(q('bash', 'killall-ts --signal='), SIGNAL_NAMES.map((n) => `=${n}`).sort());
    assert.deepEqual(q('bash', 'killall-ts :471'), [String(TCP), String(UDP)]);
    assert.deepEqual(q('bash-complete-p', ''), ['complete -F _killall_ts killall-ts']);
  });

  it('bash-completion loads the shipped file on demand', (t) => {
    if (!got.has('bash-autoload ')) return t.skip('bash-completion is not installed');
    assert.deepEqual(q('bash-autoload', ''), ['complete -F _killall_ts killall-ts']);
  });

  it('fish loads the shipped file from its completions directory', (t) => {
    if (!has('fish')) return t.skip('fish is not installed');
    assert.deepEqual(q('fish-autoload', 'killall-ts --tr'), ['--tree']);
  });
});
