import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The Markdown pages whose links must resolve: the README and every page under docs/. */
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code spans, line by line (links and headings in code are not links). */
const prose = (markdown: string): string[] => {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, ' ');
  });
};

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2, ... */
const anchorsOf = (markdown: string): Set<string> => {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
};

/** Relative link targets (`[text](target)`, images included) of a page; web and mail links are left out. */
const linksOf = (markdown: string): string[] =>
  prose(markdown)
    .flatMap((line) => [...line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]))
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));

/** Why a link from `page` to `target` does not resolve, or undefined when it does. */
const brokenBecause = (page: string, target: string, read: (file: string) => string | undefined): string | undefined => {
  const [file, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), decodeURIComponent(file)));
  const text = read(resolved);
  if (text === undefined) return `${resolved} does not exist`;
  if (anchor === undefined || !resolved.endsWith('.md')) return undefined;
  return anchorsOf(text).has(decodeURIComponent(anchor)) ? undefined : `${resolved} has no heading #${anchor}`;
};

const readRepo = (file: string): string | undefined => {
  const full = path.join(ROOT, file);
  if (!existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
};

describe('Markdown links', () => {
  it('finds the pages, with links in them', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', 'docs/user-guide.md', 'docs/operations.md', 'docs/architecture.md', 'docs/CONTRIBUTING.md']));
    expect(PAGES.flatMap((p) => linksOf(readRepo(p)!)).length).toBeGreaterThan(50);
  });

  it('catches a missing file, a missing heading and a same-page anchor, and ignores links in code', () => {
    // Prepare
    const pages: Record<string, string> = {
      'docs/a.md': '# A page\n\n## Its `second` part: here\n\n```sh\n# not a heading\n```\n',
      'docs/b.md':
        '[ok](a.md#its-second-part-here) [gone](missing.md) [bad](a.md#not-a-heading) [self](#b) `[code](nowhere.md)` [web](https://example.com)\n\n# B\n',
    };
    const read = (file: string) => pages[file];
    // Act
    const links = linksOf(pages['docs/b.md']);
    const broken = links.map((l) => brokenBecause('docs/b.md', l, read)).filter(Boolean);
    // Assess
    expect(links).toEqual(['a.md#its-second-part-here', 'missing.md', 'a.md#not-a-heading', '#b']);
    expect(broken).toEqual(['docs/missing.md does not exist', 'docs/a.md has no heading #not-a-heading']);
  });

  it.each(PAGES)('%s: every relative link and #anchor resolves', (page) => {
    // Prepare
    const links = linksOf(readRepo(page)!);
    // Act
    const broken = links.map((target) => [target, brokenBecause(page, target, readRepo)]).filter(([, why]) => why !== undefined);
    // Assess
    expect(broken).toEqual([]);
  });
});
