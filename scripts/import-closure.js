#!/usr/bin/env node
/*
 * How many repository files four handler entries reach through their static
 * imports: the files a reader follows, and the code a cold start loads before
 * the first request (issue 20 tracks these figures as features get one public
 * face each).
 *
 * Counted: the entry itself and every repo file (.ts, .js, .json) reached
 * through `import ... from '<relative>'`, `import '<relative>'` and
 * `export ... from '<relative>'`, type-only ones included (`import type`
 * names a file the reader must open as well). Not counted: packages
 * (node_modules), and dynamic `import()`, which is lazy loading: the chunk
 * it names is read only when a request needs it (bundling splits it off).
 *
 *   node scripts/import-closure.js           the table (markdown)
 *   node scripts/import-closure.js --list    every file of each closure
 *   node scripts/import-closure.js --write   puts the table into docs/architecture.md
 *
 * Plain Node: it parses with the TypeScript compiler the repo already has.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const ENTRIES = ['functions/plans/show.ts', 'functions/checkpoints/create.ts', 'functions/protection/worker.ts', 'functions/scheduler/fire-trigger.ts'];
const DOC = 'docs/architecture.md';
const BEGIN = '<!-- import-closure -->';
const END = '<!-- /import-closure -->';

/** A relative specifier as TypeScript resolves it here (no path aliases, no `.js` rewriting in this repo). */
const resolve = (from, spec) => {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.js`, `${base}.json`, path.join(base, 'index.ts'), path.join(base, 'index.js')];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (!found) throw new Error(`${from}: cannot resolve '${spec}'`);
  return found;
};

/** The relative specifiers of a file's top-level import and export-from declarations. */
const staticImports = (file) => {
  if (!/\.[cm]?[jt]s$/.test(file)) return [];
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  return source.statements
    .filter((s) => (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier))
    .map((s) => s.moduleSpecifier.text)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(file, spec));
};

/** Every file `entry` reaches, itself included, relative to `root` (the repo by default) and sorted. */
const closure = (entry, root = ROOT) => {
  const seen = new Set();
  const todo = [path.join(root, entry)];
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...staticImports(file));
  }
  return [...seen].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
};

const table = () =>
  ['| handler entry | repo files in its static import closure |', '|---|---|', ...ENTRIES.map((e) => `| \`${e}\` | ${closure(e).length} |`)].join('\n');

/** `text` with the block between the markers replaced by `body`. */
const withBlock = (text, body) => {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${BEGIN} ... ${END} block`);
  return `${text.slice(0, start + BEGIN.length)}\n${body}\n${text.slice(end)}`;
};

if (require.main === module) {
  const arg = process.argv[2];
  if (arg === '--list') {
    for (const e of ENTRIES) console.log(`${e} (${closure(e).length})\n  ${closure(e).join('\n  ')}`);
  } else if (arg === '--write') {
    const file = path.join(ROOT, DOC);
    fs.writeFileSync(file, withBlock(fs.readFileSync(file, 'utf8'), table()));
    console.log(`${DOC}: import closures written`);
  } else if (arg === undefined) {
    console.log(table());
  } else {
    console.error('usage: node scripts/import-closure.js [--list | --write]');
    process.exit(2);
  }
}

module.exports = { ENTRIES, DOC, BEGIN, END, closure, table };
