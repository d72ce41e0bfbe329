/*
 * `npm start`: build the console when a source changed (console/build.js),
 * then bundle and run the local runtime (infra/local/build.js). A console
 * that cannot be built leaves the API running.
 */
const { ensureConsole } = require('../../console/build.js');

ensureConsole()
  .catch((error) => console.error(`karbor: the console could not be built, /console/ will be missing: ${error.message}`))
  .then(() => require('./build.js').buildAndRun(['infra/local/main.ts']));
