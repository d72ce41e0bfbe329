import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRoutes, openApiDocument } from './document';

/*
 * `npm run openapi`: writes docs/openapi.json from the handlers' own schemas
 * (the bundles infra/local/build.js makes, as npm start runs them).
 * test/unit/infra/openapi.test.ts checks the committed file is current.
 */
const buildRoot = path.resolve(__dirname, '..', '..');
const repoRoot = path.resolve(buildRoot, '..');
const out = path.join(repoRoot, 'docs', 'openapi.json');
writeFileSync(out, `${JSON.stringify(openApiDocument(loadRoutes(buildRoot)), null, 2)}\n`);
console.log(`wrote ${path.relative(repoRoot, out)}`);
