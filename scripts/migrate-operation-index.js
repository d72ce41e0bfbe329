#!/usr/bin/env node
/* Bundles and runs scripts/migrate-operation-index.ts (what it does is written there). */
require('../infra/local/build.js').buildAndRun(['scripts/migrate-operation-index.ts']);
