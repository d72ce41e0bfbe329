import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Metafile } from 'esbuild';
import { buildSync } from 'esbuild';
import { bundleLambda, filesAtInit, lambdaEsbuildOptions } from '../../infra/bundling';
import { configFromContext } from '../../infra/config';
import { ApiFunction } from '../../infra/constructs/api-function';

type Import = Metafile['outputs'][string]['imports'][number];

const output = (imports: Import[], entryPoint?: string): Metafile['outputs'][string] => ({ bytes: 1, inputs: {}, imports, exports: [], entryPoint });

describe('filesAtInit', () => {
  it('follows static imports from index.mjs only: not import() targets, whatever they import, nor externals', () => {
    // Prepare: index -> shared (static); index ~> ec2 (dynamic, an entry point of its own) -> ec2-client (static)
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs': output(
          [
            { path: 'out/chunks/shared.mjs', kind: 'import-statement' },
            { path: 'out/chunks/ec2.mjs', kind: 'dynamic-import' },
            { path: 'node:module', kind: 'import-statement', external: true },
          ],
          'functions/x.ts',
        ),
        'out/chunks/shared.mjs': output([]),
        'out/chunks/ec2.mjs': output([{ path: 'out/chunks/ec2-client.mjs', kind: 'import-statement' }], 'shared/ec2.ts'),
        'out/chunks/ec2-client.mjs': output([{ path: 'out/chunks/shared.mjs', kind: 'import-statement' }]),
      },
    };
    // Act / Assert
    expect(filesAtInit(metafile).sort()).toEqual(['out/chunks/shared.mjs', 'out/index.mjs']);
  });
});

describe('names in a minified bundle', () => {
  const ERROR_MODULES = [
    'shared/kernel/errors',
    'shared/features/plans/model',
    'shared/features/jobs/model',
    'shared/features/protection/tags',
    'shared/features/triggers/calendar-walk',
    'shared/auth/keystone',
    'shared/http/login-required',
    'shared/config',
  ];

  it('keeps every error class its own name (logs and job reasons show it), though the bundle keeps no names', () => {
    // Prepare: the error modules bundled with the Lambda options (minified), as one CommonJS module to evaluate.
    const root = path.resolve(__dirname, '..', '..');
    const { outputFiles } = buildSync({
      ...lambdaEsbuildOptions(),
      format: 'cjs',
      splitting: false,
      banner: {},
      write: false,
      stdin: { contents: ERROR_MODULES.map((m) => `export * from './${m}';`).join('\n'), resolveDir: root, loader: 'ts' },
    });
    const mod = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', 'require', outputFiles[0].text)(mod, mod.exports, require);
    const classes = Object.entries(mod.exports).filter(
      (e): e is [string, new (...a: unknown[]) => Error] => typeof e[1] === 'function' && (e[1] as { prototype?: unknown }).prototype instanceof Error,
    );
    // Act
    const args: Record<string, unknown[]> = { LeftBehindError: [['vol-1'], 'gone'] };
    const named = classes.map(([exported, Class]) => [exported, new Class(...(args[exported] ?? ['x', 'y'])).name]);
    // Assess: the minifier renamed the classes, their instances still say who they are.
    expect(classes.length).toBeGreaterThanOrEqual(19);
    expect(classes.some(([exported, Class]) => Class.name !== exported)).toBe(true);
    expect(named.filter(([exported, name]) => exported !== name)).toEqual([]);
  });
});

describe('source maps (karbor:sourceMaps)', () => {
  let repo: string;
  let outdir: string;
  beforeAll(() => {
    // A stand-in handler with an import() chunk: bundled for real, in milliseconds.
    repo = mkdtempSync(path.join(tmpdir(), 'karbor-maps-src-'));
    writeFileSync(path.join(repo, 'handler.ts'), "export const handler = async () => (await import('./late')).value;\n");
    writeFileSync(path.join(repo, 'late.ts'), 'export const value: number = 1;\n');
  });
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'karbor-maps-out-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  /** Every file of a folder, relative to it. */
  const filesOf = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));

  /** The function assets a stack of two functions stages, one with maps if asked: file names per asset, and each's environment. */
  const synthFunctions = (sourceMaps: boolean) => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Maps');
    const common = { repoRoot: repo, module: 'handler', timeout: 3, logRetention: RetentionDays.ONE_DAY };
    const plain = new ApiFunction(stack, 'Plain', common);
    const mapped = new ApiFunction(stack, 'Mapped', { ...common, sourceMaps });
    const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
    const env = (fn: ApiFunction) =>
      (stack.resolve((fn.node.defaultChild as CfnFunction).environment) as { variables?: Record<string, string> })?.variables ?? {};
    return { assets: assets.map((a) => filesOf(path.join(outdir, a))), plain: env(plain), mapped: env(mapped) };
  };

  it('builds no .map files and no sourceMappingURL by default', () => {
    // Act
    const meta = bundleLambda(repo, 'handler', outdir);
    // Assert
    expect(lambdaEsbuildOptions().sourcemap).toBe(false);
    expect(Object.keys(meta.outputs).filter((f) => f.endsWith('.map'))).toEqual([]);
    const files = filesOf(outdir);
    expect(files.some((f) => f.startsWith('chunks/late-'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const f of files) expect(readFileSync(path.join(outdir, f), 'utf8')).not.toContain('sourceMappingURL');
  });

  it('gives the default functions neither maps in their asset nor --enable-source-maps', () => {
    // Act
    const { assets, plain, mapped } = synthFunctions(false);
    // Assert: one asset, both functions share it.
    expect(assets).toHaveLength(1);
    expect(assets[0]).toContain('index.mjs');
    expect(assets[0].filter((f) => f.endsWith('.map'))).toEqual([]);
    expect([plain.NODE_OPTIONS, mapped.NODE_OPTIONS]).toEqual([undefined, undefined]);
  });

  it('with karbor:sourceMaps, maps in the asset and --enable-source-maps, apart from a function without', () => {
    // Act
    const { assets, plain, mapped } = synthFunctions(true);
    // Assert: two assets (CDK's asset cache keeps them apart), one with a map per output file.
    expect(assets).toHaveLength(2);
    const [withMaps, without] = assets.sort((a, b) => b.length - a.length);
    expect(withMaps.filter((f) => f.endsWith('.map')).sort()).toEqual(
      withMaps
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => `${f}.map`)
        .sort(),
    );
    expect(without.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(mapped.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(plain.NODE_OPTIONS).toBeUndefined();
  });
});

describe('AWS call tracing (karbor:traceAwsCalls)', () => {
  const root = path.resolve(__dirname, '..', '..');
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'karbor-trace-out-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  /** The packages a real route handler's bundle reads, from esbuild's own account of its inputs. */
  const packagesOf = (meta: Metafile): Set<string> =>
    new Set(Object.keys(meta.inputs).flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? []));

  it('leaves the Tracer and aws-xray-sdk-core out of a handler by default', () => {
    // Act
    const packages = packagesOf(bundleLambda(root, 'functions/plans/show', outdir));
    // Assert: the handler still has its DynamoDB client, only the tracer is gone.
    expect(packages).toContain('@aws-sdk/client-dynamodb');
    expect(packages).not.toContain('@aws-lambda-powertools/tracer');
    expect(packages).not.toContain('aws-xray-sdk-core');
  });

  it('is off unless the karbor:traceAwsCalls context turns it on', () => {
    const read = (context: Record<string, string>) => configFromContext(new App({ context }).node).traceAwsCalls;
    expect([read({}), read({ 'karbor:traceAwsCalls': 'true' }), read({ 'karbor:traceAwsCalls': 'false' })]).toEqual([false, true, false]);
    expect(() => read({ 'karbor:traceAwsCalls': 'sometimes' })).toThrow(/karbor:traceAwsCalls/);
  });

  it('bundles them, at init, when asked for', () => {
    // Act
    const meta = bundleLambda(root, 'functions/plans/show', outdir, { traceAwsCalls: true });
    // Assert: in the files a cold start reads, not in a chunk loaded later.
    const atInit = filesAtInit(meta).flatMap((file) => Object.keys(meta.outputs[file].inputs));
    expect(packagesOf(meta)).toContain('aws-xray-sdk-core');
    expect(atInit.some((input) => input.includes('node_modules/@aws-lambda-powertools/tracer/'))).toBe(true);
  });
});
