/*
 * `npm start`: bundle and run the local runtime (infra/local/build.js). It
 * checks its settings and port first, then builds the console when a source
 * changed (console/build.js) and starts the rest, printing each stage.
 */
require('./build.js').buildAndRun(['infra/local/main.ts']);
