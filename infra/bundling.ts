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
export const lambdaEsbuildOptions = (sourceMaps = false): BuildOptions => ({
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

/** Bundles one handler module (repo-relative, no extension) into `outdir`, with `.map` files only if asked; returns esbuild's metafile. */
export const bundleLambda = (repoRoot: string, module: string, outdir: string, sourceMaps = false): Metafile =>
  buildSync({ ...lambdaEsbuildOptions(sourceMaps), entryPoints: [path.join(repoRoot, `${module}.ts`)], outdir, absWorkingDir: repoRoot, metafile: true })
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
