/*
 * The CDK app entry (cdk.json `app`): bundles infra/app.ts with esbuild, as
 * infra/local/start.js does for `npm start`, so synth needs nothing but Node.
 */
const { buildSync } = require('esbuild');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.build', 'cdk-app', 'app.js');

buildSync({
  entryPoints: [path.join(root, 'infra', 'app.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
});
require(outfile);
