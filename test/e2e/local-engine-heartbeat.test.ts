import { startTestServer, type TestServer } from '../support/local-server';

describe('local runtime: the operation engine and the protection worker report while they run', () => {
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

  it('shows karbor-protection up on a fresh start, before any job, and keeps it up each minute', async () => {
    // Act
    const before = (await server.call('GET', '/v1/admin/os-services?binary=karbor-protection')).body.services[0];
    await server.runtime.scheduler!.fireMinute(new Date());
    const after = (await server.call('GET', '/v1/admin/os-services?binary=karbor-protection')).body.services[0];
    // Assess
    expect(before).toMatchObject({ id: 1, state: 'up' });
    expect(before.updated_at).not.toBeNull();
    expect(after.state).toBe('up');
    expect(after.updated_at >= before.updated_at).toBe(true);
  });
});
