/* `npm start`: bundle and run the local runtime (infra/local/build.js). */
require('./build.js').buildAndRun(['infra/local/main.ts']);
