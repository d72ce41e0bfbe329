/*
 * Bundles the local runtime and every handler module with esbuild into
 * .build/, mirroring the repo layout, so `npm start` and `npm run bench` run
 * the same per-handler bundles the Lambdas get (each with its own copy of
 * shared/). Plain JS so that it needs nothing but Node.
 */
const { buildSync } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

/** Every handler module: the route and worker tables point only into functions/. */
const handlerEntries = () =>
  fs
    .readdirSync(path.join(root, 'functions'), { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(root, 'functions', f));

/** Builds `entries` (repo-relative .ts paths) plus every handler; returns the output root. */
const buildLocal = (entries) => {
  const outdir = path.join(root, '.build');
  buildSync({
    entryPoints: [...entries.map((e) => path.join(root, e)), ...handlerEntries()],
    outdir,
    outbase: root,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    sourcemap: true,
    keepNames: true,
    packages: 'external',
    logLevel: 'warning',
  });
  return outdir;
};

/**
 * Builds `entries` and runs the first one's bundle in this process. Node 20 is
 * the local runtime and the lock file pins the SDK: its notice about Node 22
 * is noise here.
 */
const buildAndRun = (entries) => {
  const outdir = buildLocal(entries);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  require(path.join(outdir, entries[0].replace(/\.ts$/, '.js')));
};

module.exports = { buildLocal, buildAndRun, root };
