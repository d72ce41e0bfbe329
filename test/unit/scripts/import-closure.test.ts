import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'import-closure.js');
const closureScript = require(SCRIPT) as {
  ENTRIES: string[];
  DOC: string;
  BEGIN: string;
  END: string;
  closure: (entry: string, root?: string) => string[];
};

describe('scripts/import-closure.js', () => {
  it('counts static imports, type-only imports and export-from, but not import() or packages', () => {
    // Prepare
    const dir = mkdtempSync(path.join(tmpdir(), 'closure-'));
    const files: Record<string, string> = {
      'entry.ts': [
        "import { a } from './a';",
        "import type { T } from './types';",
        "import './side-effect';",
        "import * as z from 'zod';",
        "export { b } from './lib/b';",
        "const lazy = () => import('./lazy');",
        "// import { c } from './commented';",
        'export const x = [a, z, lazy] as unknown as T;',
      ].join('\n'),
      'a.ts': "import data from './data.json';\nexport const a = data;",
      'data.json': '{}',
      'types.ts': 'export type T = string;',
      'side-effect.ts': 'export {};',
      'lib/b.ts': "export { a as b } from '../a';",
      'lazy.ts': "import { never } from './never';\nexport const l = never;",
      'never.ts': 'export const never = 1;',
      'commented.ts': 'export const c = 1;',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    // Act
    const reached = closureScript.closure('entry.ts', dir);
    rmSync(dir, { recursive: true, force: true });
    // Assess
    expect(reached).toEqual(['a.ts', 'data.json', 'entry.ts', 'lib/b.ts', 'side-effect.ts', 'types.ts']);
  });

  it('prints one row per handler entry, each a real closure', () => {
    // Act
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    // Assess
    const rows = [...out.matchAll(/^\| `([^`]+)` \| (\d+) \|$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(rows.map(([entry]) => entry)).toEqual(closureScript.ENTRIES);
    for (const [entry, count] of rows) {
      expect([entry, count]).toEqual([entry, closureScript.closure(entry).length]);
      expect(count).toBeGreaterThan(20);
    }
  });

  it('agrees with the figures in docs/architecture.md (npm run closure -- --write updates them)', () => {
    // Prepare
    const doc = readFileSync(path.join(ROOT, closureScript.DOC), 'utf8');
    const start = doc.indexOf(closureScript.BEGIN);
    const end = doc.indexOf(closureScript.END);
    // Act
    const out = execFileSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
    // Assess
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    expect(doc.slice(start + closureScript.BEGIN.length, end).trim()).toBe(out.trim());
  });
});
