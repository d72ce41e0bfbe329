import { routes } from '../../shared/http/routes';
import { startTestServer, type TestServer } from '../support/local-server';

describe('API documentation on the local server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('GET /openapi.json answers the OpenAPI 3.1 document without a token, naming this server', async () => {
    // Act
    const res = await server.call('GET', '/openapi.json', { token: null });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers).toEqual([{ url: server.url }]);
    const operations = Object.values(res.body.paths as Record<string, object>).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(routes.length);
  });

  it('GET /docs/ serves Swagger UI from the installed package, pointed at /openapi.json', async () => {
    // Act
    const page = await server.call('GET', '/docs/', { token: null });
    const init = await server.call('GET', '/docs/swagger-initializer.js', { token: null });
    const bundle = await fetch(`${server.url}/docs/swagger-ui-bundle.js`);
    const redirect = await fetch(`${server.url}/docs`, { redirect: 'manual' });
    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(init.text).toContain("url: '/openapi.json'");
    expect(init.text).not.toContain('petstore');
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/docs/']);
  });

  it('only the Swagger UI files are served: other paths under /docs/ are the API fallback 404', async () => {
    const res = await server.call('GET', '/docs/package.json');
    expect(res.status).toBe(404);
    expect(res.body).toHaveProperty('itemNotFound');
  });
});
