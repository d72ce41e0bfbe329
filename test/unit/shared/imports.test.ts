import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The import rules (CONVENTIONS R4) as an allow-list: the AWS SDK only where
 * adapters are built (and in stores and their migrations), process.env only in shared/config.ts, handlers only
 * through a feature's public files, and a kernel that knows no feature.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');

const sources = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f).split(path.sep).join('/'));

const SHARED = sources('shared');
const FUNCTIONS = sources('functions');

const imports = (file: string): string[] =>
  [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/(?:from\s+|import\(\s*|require\(\s*)'([^']+)'/g)].map((m) => m[1]);

/** An import of `file` resolved to a repo path (without extension); packages stay as they are. */
const resolved = (file: string): string[] => imports(file).map((spec) => (spec.startsWith('.') ? path.posix.join(path.posix.dirname(file), spec) : spec));

const SDK_ALLOWED = [/^shared\/dynamo\//, /^shared\/features\/[^/]+\/(store|deps|migrate)\.ts$/, /^shared\/features\/[^/]+\/adapters\//];
const PUBLIC_FEATURE_FILE = /^shared\/features\/[^/]+\/(use-cases|views|schemas|deps|model)$/;

describe('import rules', () => {
  it('has sources to check', () => {
    expect(SHARED.length).toBeGreaterThan(50);
    expect(FUNCTIONS.length).toBeGreaterThan(40);
  });

  it.each([...SHARED, ...FUNCTIONS])('%s imports the AWS SDK only if it is a store, deps or adapter file', (file) => {
    const sdk = imports(file).filter((i) => i.startsWith('@aws-sdk/'));
    if (SDK_ALLOWED.some((re) => re.test(file))) return;
    expect(sdk).toEqual([]);
  });

  it.each([...SHARED, ...FUNCTIONS].filter((f) => f !== 'shared/config.ts'))('%s does not read process.env (shared/config.ts does)', (file) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8')).not.toMatch(/process\.env/);
  });

  it.each(FUNCTIONS)('%s imports a feature only through its public files', (file) => {
    const private_ = resolved(file).filter((i) => i.startsWith('shared/features/') && !PUBLIC_FEATURE_FILE.test(i));
    expect(private_).toEqual([]);
  });

  // The OpenAPI generator reads the handlers' schemas from outside (infra/openapi/): no Lambda bundle carries it.
  it.each([...SHARED, ...FUNCTIONS])('%s imports neither zod-openapi nor infra/', (file) => {
    expect(resolved(file).filter((i) => i === 'zod-openapi' || i.startsWith('infra/'))).toEqual([]);
  });

  it.each(SHARED.filter((f) => f.startsWith('shared/kernel/')))('%s imports no feature and no adapter layer', (file) => {
    const outside = resolved(file).filter((i) => i.startsWith('shared/') && !i.startsWith('shared/kernel/'));
    expect(outside).toEqual([]);
    expect(imports(file).filter((i) => /^(@aws-sdk\/|@middy\/|aws-lambda$|aws-cdk-lib)/.test(i))).toEqual([]);
  });

  // RE2 (~150 KB) sits behind regex-filter.ts, which only regex-compiler.ts imports (lazily), which only list handlers import.
  const REGEX_LAYERS: [string, RegExp][] = [
    ['re2js', /^shared\/kernel\/regex-filter\.ts$/],
    ['shared/kernel/regex-filter', /^shared\/kernel\/regex-compiler\.ts$/],
    ['shared/kernel/regex-compiler', /^functions\/[^/]+\/list\.ts$/],
  ];
  it.each([...SHARED, ...FUNCTIONS])('%s reaches the regex engine (~150 KB of bundle) only if it is a list handler', (file) => {
    const reached = resolved(file).filter((i) => REGEX_LAYERS.some(([layer, allowed]) => i === layer && !allowed.test(file)));
    expect(reached).toEqual([]);
  });
});
