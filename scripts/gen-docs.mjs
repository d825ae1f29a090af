// Generates, from the option table (through the compiled dist/src/cli modules), the files the package ships:
// the man page dist/man/killall-ts.1 and the completion scripts in dist/completions/. Run by `npm run build`
// after tsc. tests/cli/docs.test.ts checks that these files, the help and the table agree.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const url = (p) => new URL(p, import.meta.url);
const { renderCompletion, completionFileName, SHELLS } = await import(url('../dist/src/cli/completion.js'));
const { renderManPage, manPageDate } = await import(url('../dist/src/cli/manpage.js'));
const { version } = JSON.parse(readFileSync(url('../package.json'), 'utf8'));

mkdirSync(url('../dist/man/'), { recursive: true });
writeFileSync(
  url('../dist/man/killall-ts.1'),
  renderManPage({
    version,
    date: manPageDate(process.env.SOURCE_DATE_EPOCH),
    compatMarkdown: readFileSync(url('../docs/compat.md'), 'utf8'),
  }),
);
mkdirSync(url('../dist/completions/'), { recursive: true });
for (const shell of SHELLS)
  writeFileSync(url(`../dist/completions/${completionFileName(shell)}`), renderCompletion(shell));
