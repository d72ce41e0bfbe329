/* `npm start`: bundle (infra/local/build.js), then run the local runtime. */
const path = require('node:path');
const { buildLocal } = require('./build.js');

const outdir = buildLocal(['infra/local/main.ts']);
// Node 20 is the local runtime and the lock file pins the SDK: its notice about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require(path.join(outdir, 'infra', 'local', 'main.js'));
