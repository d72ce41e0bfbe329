/*
 * `npm start`: bundles the local runtime and every route's handler with
 * esbuild (as the CDK stack does for Lambda), then runs it. Plain JS so that
 * it needs nothing but Node.
 */
const { buildSync } = require('esbuild');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const outdir = path.join(root, '.build');
const fs = require('node:fs');

// Every handler module (the route table points only into functions/) plus the runtime itself.
const handlers = fs
  .readdirSync(path.join(root, 'functions'), { recursive: true })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join(root, 'functions', f));

buildSync({
  entryPoints: [path.join(root, 'infra', 'local', 'main.ts'), ...handlers],
  outdir,
  outbase: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  keepNames: true,
  packages: 'external',
  logLevel: 'warning',
});
// Node 20 is the local runtime and the lock file pins the SDK: its notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require(path.join(outdir, 'infra', 'local', 'main.js'));
