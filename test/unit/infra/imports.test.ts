import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Bundle size depends on how modules are imported (R11): keep the habits that tree-shake. */
describe('import discipline', () => {
  const sources = ['shared', 'functions'].flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(dir, f)),
  );

  it('finds the sources', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  it('imports zod as a namespace (`{ z }` defeats tree-shaking: 459 KB instead of 89 KB)', () => {
    const offenders = sources.filter((f) => /import\s+(type\s+)?\{\s*z\s*\}\s+from\s+'zod'/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
