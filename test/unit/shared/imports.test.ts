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

/**
 * A feature's public face (CONVENTIONS R4, issue 20): what another feature
 * may import of it. `model` (types, the ports it owns, its errors and the
 * pure rules others apply), `deps` (factories of its ports) and `transact`
 * (the DynamoDB transaction entries other features' writes include).
 */
const FEATURE_FACE = /^shared\/features\/([^/]+)\/(model|deps|transact)$/;

/**
 * Pairs of features that import each other, each with the reason it stays.
 * A new pair fails the test: give its dependency one direction, or name it here.
 */
const MUTUAL: Record<string, string> = {
  'jobs overview': "one write, one read: a job's final write counts it (overview/transact), the overview counts the running jobs (jobs/deps)",
  'plans scheduled-operations':
    "one write each way: an operation's create checks the live plan (plans/transact), a plan's delete releases its binding (scheduled-operations/transact)",
  'scheduled-operations triggers':
    "one write each way: an operation's create checks the trigger (triggers/transact), a trigger's delete releases its binding (scheduled-operations/transact)",
};

const featureOf = (file: string): string | undefined => /^shared\/features\/([^/]+)\//.exec(file)?.[1];

/** What `file` (with its resolved imports) does against the feature rules: one line per problem. */
const featureImportProblems = (file: string, imported: readonly string[]): string[] => {
  const own = featureOf(file);
  if (own === undefined) return [];
  const problems: string[] = [];
  for (const target of imported) {
    const other = featureOf(`${target}/`);
    if (other === undefined || other === own) continue;
    if (!FEATURE_FACE.test(target)) problems.push(`${file} reaches into ${target} (only model, deps and transact are public)`);
    if (/\/store$/.test(target) && /\/store\.ts$/.test(file)) problems.push(`${file} imports another feature's store ${target}`);
  }
  // A store or an adapter is driven by the use cases, never the other way round.
  if (/\/(store\.ts|adapters\/)/.test(file) && imported.includes(`shared/features/${own}/use-cases`)) {
    problems.push(`${file} (an adapter) imports its own feature's use cases`);
  }
  return problems;
};

/** Every pair of features that import each other (`a b`, sorted), over the given files. */
const mutualPairs = (files: readonly string[], importsOf: (file: string) => readonly string[]): string[] => {
  const edges = new Set<string>();
  for (const file of files) {
    const own = featureOf(file);
    if (own === undefined) continue;
    for (const target of importsOf(file)) {
      const other = featureOf(`${target}/`);
      if (other !== undefined && other !== own) edges.add(`${own} ${other}`);
    }
  }
  return [...edges]
    .map((e) => e.split(' '))
    .filter(([a, b]) => a < b && edges.has(`${b} ${a}`))
    .map(([a, b]) => `${a} ${b}`)
    .sort();
};

// shared/events/ is the event bus adapter every job feature publishes through; a feature's transact.ts holds
// the DynamoDB entries (and protection's the job half of a store) other features' stores include.
const SDK_ALLOWED = [
  /^shared\/dynamo\//,
  /^shared\/events\//,
  /^shared\/features\/[^/]+\/(store|deps|migrate|transact)\.ts$/,
  /^shared\/features\/[^/]+\/adapters\//,
];
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

  it.each(SHARED)('%s imports another feature only through its public face', (file) => {
    expect(featureImportProblems(file, resolved(file))).toEqual([]);
  });

  it('names every pair of features that import each other, with its reason', () => {
    expect(mutualPairs(SHARED, resolved)).toEqual(Object.keys(MUTUAL).sort());
  });

  it('fails on planted violations of the feature rules', () => {
    const plantedStore = 'shared/features/restores/store.ts';
    expect(featureImportProblems(plantedStore, ['shared/features/checkpoints/store', 'shared/features/restores/use-cases'])).toEqual([
      'shared/features/restores/store.ts reaches into shared/features/checkpoints/store (only model, deps and transact are public)',
      "shared/features/restores/store.ts imports another feature's store shared/features/checkpoints/store",
      "shared/features/restores/store.ts (an adapter) imports its own feature's use cases",
    ]);
    expect(featureImportProblems('shared/features/plans/use-cases.ts', ['shared/features/protectables/resource-types'])).toHaveLength(1);
    expect(featureImportProblems('shared/features/plans/use-cases.ts', ['shared/features/protectables/model', 'shared/kernel/errors'])).toEqual([]);
    const planted: Record<string, string[]> = {
      'shared/features/plans/deps.ts': ['shared/features/quotas/deps'],
      'shared/features/quotas/deps.ts': ['shared/features/plans/model'],
    };
    expect(mutualPairs(Object.keys(planted), (f) => planted[f])).toEqual(['plans quotas']);
  });

  // The time a feature reads comes from its Clock port (kernel/ports.ts systemClock), so a test can fix it.
  it.each([...SHARED, ...FUNCTIONS].filter((f) => /^(shared\/features|functions)\//.test(f)))('%s reads the time only through a Clock', (file) => {
    const code = readFileSync(path.join(ROOT, file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
    expect(code.match(/new Date\(\)|Date\.now\(\)/g) ?? []).toEqual([]);
  });

  // One log port (kernel/ports.ts Log): its implementation is the only writer to the console.
  it.each([...SHARED, ...FUNCTIONS].filter((f) => !f.startsWith('shared/observability/')))('%s logs only through the log port', (file) => {
    expect(readFileSync(path.join(ROOT, file), 'utf8').match(/console\.(log|error|warn|info|debug)/g) ?? []).toEqual([]);
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
