/*
 * Builds the console (console/src, Preact) with Vite into static files.
 * `node console/build.js [outDir]` builds; `npm start` and the CDK app call
 * ensureConsole(), which rebuilds only when a source is newer than the build.
 * Plain JS so that it needs nothing but Node; Vite 7 is ESM only, hence import().
 */
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const DIST = path.join(here, 'dist');

/** Builds into `outDir` (default console/dist), writing aside and renaming, so a server never sees half a build. */
const buildConsole = async (outDir = DIST) => {
  const { build } = await import('vite');
  const tmp = `${outDir}.${process.pid}.tmp`;
  await build({
    root: here,
    // Relative URLs: the same files work at /console/ locally and at the CloudFront root.
    base: './',
    configFile: false,
    logLevel: 'warn',
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: { outDir: tmp, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  });
  fs.rmSync(outDir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, outDir);
  } catch (error) {
    // Another build (npm start, cdk synth) renamed its own in between: same sources, keep that one.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(outDir, 'index.html'))) throw error;
  }
  return outDir;
};

const newestSource = () =>
  Math.max(
    fs.statSync(path.join(here, 'index.html')).mtimeMs,
    fs.statSync(__filename).mtimeMs,
    ...fs.readdirSync(path.join(here, 'src'), { recursive: true }).map((f) => fs.statSync(path.join(here, 'src', String(f))).mtimeMs),
  );

/** Builds console/dist when it is missing or older than a source; answers its path. */
/** `{ dir, built }`: the build's folder, and whether this call had to build it. */
const ensureConsole = async () => {
  const index = path.join(DIST, 'index.html');
  const stale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < newestSource();
  if (stale) await buildConsole();
  return { dir: DIST, built: stale };
};

module.exports = { buildConsole, ensureConsole, DIST };

if (require.main === module) {
  buildConsole(process.argv[2] ? path.resolve(process.argv[2]) : undefined).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
