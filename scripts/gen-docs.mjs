// Generates, from the option table (through the compiled dist/src/cli modules), the files the package ships:
// the man page man/killall-ts.1 and the completion scripts in completions/, under dist/ (run by `npm run build`
// after tsc) or under the folder given as `--out DIR` (tests/cli/docs.test.ts generates them into a temporary
// folder and compares them with the committed golden copies in tests/cli/golden/ and with what dist/ holds).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const url = (p) => new URL(p, import.meta.url);
const at = process.argv.indexOf('--out');
const out = at > 0 ? pathToFileURL(`${process.argv[at + 1]}/`) : url('../dist/');
const { renderCompletion, completionFileName, SHELLS } = await import(url('../dist/src/cli/completion.js'));
const { renderManPage, manPageDate } = await import(url('../dist/src/cli/manpage.js'));
const { version } = JSON.parse(readFileSync(url('../package.json'), 'utf8'));

mkdirSync(new URL('man/', out), { recursive: true });
writeFileSync(
  new URL('man/killall-ts.1', out),
  renderManPage({
    version,
    date: manPageDate(process.env.SOURCE_DATE_EPOCH),
    compatMarkdown: readFileSync(url('../docs/compat.md'), 'utf8'),
  }),
);
mkdirSync(new URL('completions/', out), { recursive: true });
for (const shell of SHELLS)
  writeFileSync(new URL(`completions/${completionFileName(shell)}`, out), renderCompletion(shell));
