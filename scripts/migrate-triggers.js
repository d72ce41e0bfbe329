#!/usr/bin/env node
/* Bundles and runs scripts/migrate-triggers.ts (what it does is written there). */
require('../infra/local/build.js').buildAndRun(['scripts/migrate-triggers.ts']);
