/* `npm run bench`: bundle the benchmarks and handlers (infra/local/build.js), then run them. */
const path = require('node:path');
const { buildLocal } = require('../infra/local/build.js');

const outdir = buildLocal(['bench/main.ts', 'bench/load.ts']);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require(path.join(outdir, 'bench', 'main.js'));
