import { startTestServer, type TestServer } from '../support/local-server';

describe('local runtime: the operation engine reports while it runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('shows karbor-operationengine up before any trigger has fired', async () => {
    // Act
    const res = await server.call('GET', '/v1/admin/os-services');
    // Assess
    expect(res.status).toBe(200);
    const engine = res.body.services.find((s: { binary: string }) => s.binary === 'karbor-operationengine');
    expect(engine).toMatchObject({ id: 2, status: 'enabled', state: 'up' });
    expect(engine.updated_at).not.toBeNull();
  });
});
