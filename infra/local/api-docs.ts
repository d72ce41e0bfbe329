import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadRoutes, openApiDocument } from '../openapi/document';

/**
 * The local server's API documentation, without a token: `GET /openapi.json`
 * (built from the handlers it serves, with its own URL as the server) and
 * `GET /docs/`, Swagger UI served from node_modules/swagger-ui-dist (no CDN).
 * On AWS the document is the build's docs/openapi.json (npm run openapi).
 */
const SWAGGER_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'index.css': 'text/css',
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

/** Replaces the package's initializer (which loads the petstore example). */
const INITIALIZER = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const swaggerDir = (): string => path.dirname(require.resolve('swagger-ui-dist/package.json'));

type Page = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string> };

export type DocsResponder = (rawPath: string, origin: string) => Page | undefined;

/** Answers the documentation paths (undefined for any other); the document is built on first use. */
export const apiDocs = (moduleRoot: string): DocsResponder => {
  let document: ReturnType<typeof openApiDocument> | undefined;
  return (rawPath, origin) => {
    if (rawPath === '/openapi.json') {
      document ??= openApiDocument(loadRoutes(moduleRoot));
      return { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...document, servers: [{ url: origin }] }) };
    }
    if (rawPath === '/docs') return { statusCode: 301, headers: { Location: '/docs/' } as Record<string, string>, body: '' };
    if (!rawPath.startsWith('/docs/')) return undefined;
    const file = rawPath.slice('/docs/'.length) || 'index.html';
    if (file === 'swagger-initializer.js') return { statusCode: 200, headers: { 'Content-Type': 'application/javascript' }, body: INITIALIZER };
    const type = SWAGGER_FILES[file];
    if (!type) return undefined;
    const content = readFileSync(path.join(swaggerDir(), file));
    return { statusCode: 200, headers: { 'Content-Type': type }, body: content.toString('base64'), isBase64Encoded: true };
  };
};
