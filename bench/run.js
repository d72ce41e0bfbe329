/* `npm run bench`: bundle and run the benchmarks with the handlers (infra/local/build.js). */
require('../infra/local/build.js').buildAndRun(['bench/main.ts', 'bench/load.ts', 'infra/local/main.ts']);
