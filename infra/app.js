/*
 * The CDK app entry (cdk.json `app`): bundles infra/app.ts with esbuild, as
 * infra/local/start.js does for `npm start`, so synth needs nothing but Node.
 */
const { buildSync } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outfile = path.join(root, '.build', 'cdk-app', 'app.js');

const { outputFiles } = buildSync({
  entryPoints: [path.join(root, 'infra', 'app.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  write: false,
});
// Several synths (and test runs) may share one checkout: write aside, then rename atomically.
fs.mkdirSync(path.dirname(outfile), { recursive: true });
for (const file of [...outputFiles].sort((a, b) => b.path.length - a.path.length)) {
  const tmp = `${file.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, file.contents);
  fs.renameSync(tmp, file.path);
}
// The stack deploys the console's built files (infra/constructs/console.ts): build them when a source changed.
require('../console/build.js')
  .ensureConsole()
  .then(() => require(outfile))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
