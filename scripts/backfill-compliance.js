#!/usr/bin/env node
/* Bundles and runs scripts/backfill-compliance.ts (what it does is written there). */
require('../infra/local/build.js').buildAndRun(['scripts/backfill-compliance.ts']);
