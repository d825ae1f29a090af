import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { completionFileName, renderCompletion, SHELLS } from '../../src/cli/completion.js';
import { SIGNAL_NAMES } from '../../src/signal/signals.js';
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
tcp=$(printf ':%04X ' ${TCP}); udp=$(printf ':%04X ' ${UDP})
for i in $(seq 1 600); do
  grep -q "$tcp" /proc/net/tcp 2>/dev/null && grep -q "$udp" /proc/net/udp 2>/dev/null && break
  sleep 0.05
done
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
    printf '%s\n' "${'$'}{COMPREPLY[@]}" )
}
while IFS=$'\t' read -r shell line; do
  case $shell in
    bash) out=$(bashq "$line") ;;
    bash-complete-p) out=$(source "$dir/killall-ts.bash"; complete -p killall-ts) ;;
    bash-autoload) out=$(BASH_COMPLETION_USER_DIR="$dir/bc" bash -c '
        source /usr/share/bash-completion/bash_completion
        complete -p killall-ts >/dev/null 2>&1 && echo "defined before loading"
        _comp_load killall-ts 2>/dev/null || __load_completion killall-ts 2>/dev/null || _completion_loader killall-ts
        complete -p killall-ts') ;;
    fish) out=$(fish --no-config -c "source $dir/killall-ts.fish; complete --do-complete '$line'" | cut -f1) ;;
    fish-autoload) out=$(PATH="$dir/bin:$PATH" XDG_CONFIG_HOME="$dir/cfg" fish -c "complete --do-complete '$line'" | cut -f1) ;;
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
zpty -w z 'compadd () { local -a __h; builtin compadd -O __h "$@"; (( $#__h )) && print -rl -- "<"M">"$^__h; builtin compadd "$@" }'
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
      ],
      {
        encoding: 'utf8',
        // Generous: dozens of shells start one after another, on a machine that may be busy.
        timeout: 900_000,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: '', HOME: dir },
      },
    );
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, queries.length + 1, `inner script failed: ${r.stderr}`);
    return new Map(queries.map(([s, l], i) => [`${s} ${l}`, lines[i]!.split('\t').filter((x) => x !== '')]));
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
    );
  const queries: Query[] = [
    ...perShell,
    ['bash', 'killall-ts --signal=US'],
    ['bash', 'killall-ts --signal='],
    ['bash', 'killall-ts :471'],
    ['bash', 'killall-ts -- -'],
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

  it('bash: --signal=NAME and :PORT keep the part bash split off at = and :', () => {
    assert.deepEqual(q('bash', 'killall-ts --signal=US'), ['USR1', 'USR2']);
    assert.deepEqual(q('bash', 'killall-ts --signal='), SIGNAL_NAMES.map((n) => `=${n}`).sort());
    assert.deepEqual(q('bash', 'killall-ts :471'), [String(TCP), String(UDP)]);
    assert.deepEqual(q('bash', 'killall-ts -- -'), []);
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
