// Records the picker screen shown in README.md and docs/pick.md (after `npm run build`): a tmux server as PID 1 of
// a private PID namespace (tests/pick/tmux.ts), an nginx-like tree (a master and two workers, ext-victim) and a
// redis-like victim, `killall-ts` with no arguments, then `ngx`, ^T, Enter (the frame is printed), `y` (the
// results are printed). Every process it signals is one it started, in its own namespace.

import { compiledHelper, victimBinary } from '../dist/tests/helpers/ns.js';
import { TmuxNs } from '../dist/tests/pick/tmux.js';

const root = new URL('../', import.meta.url).pathname;
const t = new TmuxNs();
try {
  await t.start(80, 24);
  const as = (argv0, bin, args) => `exec bash -c "exec -a \\"${argv0}\\" ${bin} ${args}"`;
  t.window(
    'ng',
    `ln -s ${compiledHelper('ext-victim')} ${t.dir}/nginx && ${as('nginx: master process', `${t.dir}/nginx`, `${t.dir}/ng.rec --children 2 nginx-worker`)}`,
  );
  t.window(
    'rd',
    `cp ${victimBinary()} ${t.dir}/redis-server && ${as('redis-server *:6379', `${t.dir}/redis-server`, `${t.dir}/rd.rec`)}`,
  );
  await t.until(
    'the victims ready',
    () =>
      t.record(`${t.dir}/ng.rec`).some((l) => l.split(' ')[1] === '1' && l.includes(' ready ')) &&
      t.record(`${t.dir}/rd.rec`)[0] === 'ready',
  );
  t.window('pick', `NO_COLOR=1 ${root}bin/killall-ts; echo "EXIT=$?"; sleep 86400`);
  await t.screen('pick', 'the list with CPU %', (s) => s.includes('redis-server') && / 0\.0 /.test(s));
  t.type('pick', 'ngx');
  await t.screen(
    'pick',
    'the narrowed list',
    (s) => s.startsWith('killall-ts pick> ngx ') && /\d\/\d+\s*$/.test(s.split('\n')[0]),
  );
  t.keys('pick', 'C-t');
  await t.screen('pick', 'tree on', (s) => /tree:on/.test(s));
  t.keys('pick', 'Enter');
  const frame = await t.screen('pick', 'the confirmation', (s) => s.includes('[y/N]'));
  t.type('pick', 'y');
  const end = await t.screen('pick', 'the results', (s) => /EXIT=\d/.test(s));
  // Blank list rows collapsed to one line, as in README.md.
  process.stdout.write(
    `${frame.replace(/\n{2,}/g, '\n\n').replace(/\n+$/, '')}\n${end.replace(/\n+$/, '')}\n`,
  );
} finally {
  await t.stop();
}
