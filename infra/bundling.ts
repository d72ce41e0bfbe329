import path from 'node:path';
import { type BuildOptions, buildSync, type Metafile } from 'esbuild';

/**
 * The one esbuild configuration of every Lambda bundle (R11), used by the
 * CDK construct (infra/constructs/api-function.ts) and `npm run bench`.
 *
 * ESM with code splitting (issue #15, cold start): a module reached only
 * through `import()` (a plugin's SDK client, EC2 discovery) lands in its own
 * chunk, which Node neither reads nor compiles until a request needs it; a
 * handler's init is dominated by compiling the bytes it loads. Lambda runs the
 * entry as `index.mjs` (handler `index.handler`). The AWS SDK is bundled too:
 * the version is the one the lock file pins and the tests ran, not whatever
 * the runtime ships.
 */
/** What a deployment may change in a bundle: each is a `karbor:` context key (infra/config.ts). */
export interface BundleOptions {
  /** `karbor:sourceMaps`: `.map` files beside every output file. */
  sourceMaps?: boolean;
  /**
   * `karbor:traceAwsCalls`: an X-Ray subsegment per AWS SDK call (Powertools
   * Tracer, shared/observability/tracing.ts). A build-time constant, so without
   * it esbuild drops the Tracer and aws-xray-sdk-core (about 100 KB at init)
   * from every bundle (docs/decisions.md §30).
   */
  traceAwsCalls?: boolean;
}

export const lambdaEsbuildOptions = ({ sourceMaps = false, traceAwsCalls = false }: BundleOptions = {}): BuildOptions => ({
  bundle: true,
  platform: 'node',
  format: 'esm',
  splitting: true,
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // Bundled CommonJS packages still call require() for Node built-ins, which ESM lacks.
  banner: { js: "import { createRequire as __karborRequire } from 'node:module'; const require = __karborRequire(import.meta.url);" },
  minify: true,
  // Only with `karbor:sourceMaps`: the maps hold the sources, three to six times the code's bytes in every asset.
  sourcemap: sourceMaps,
  // A constant, not read at run time: the branch that loads the Tracer is dead code unless asked for, and esbuild drops it.
  define: { KARBOR_TRACE_AWS_CALLS: String(traceAwsCalls) },
  // No keepNames: its wrappers cost every bundle 6 to 40 KB at init. Nothing reads a minified class's or
  // function's own name; each error class names itself (test/infra/bundling.test.ts proves it minified).
  keepNames: false,
  target: 'node24',
  // The SDK's ESM builds: esbuild can drop what a handler does not import.
  mainFields: ['module', 'main'],
  logLevel: 'error',
});

/** The file Lambda loads: `<outdir>/index.mjs`. */
export const LAMBDA_ENTRY_FILE = 'index.mjs';

/** Bundles one handler module (repo-relative, no extension) into `outdir` with a deployment's options; returns esbuild's metafile. */
export const bundleLambda = (repoRoot: string, module: string, outdir: string, options: BundleOptions = {}): Metafile =>
  buildSync({ ...lambdaEsbuildOptions(options), entryPoints: [path.join(repoRoot, `${module}.ts`)], outdir, absWorkingDir: repoRoot, metafile: true })
    .metafile as Metafile;

/** The output files a cold start reads and compiles: the entry and every chunk it imports statically (not `import()`). */
export const filesAtInit = (metafile: Metafile): string[] => {
  // Chunks of `import()` targets have an entryPoint too; the handler's is the one named index.mjs.
  const entry = Object.keys(metafile.outputs).find((file) => path.basename(file) === LAMBDA_ENTRY_FILE);
  if (!entry) throw new Error(`bundle without ${LAMBDA_ENTRY_FILE}`);
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || !metafile.outputs[file]) return;
    seen.add(file);
    for (const imp of metafile.outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(entry);
  return [...seen];
};
