import { spawn } from 'node:child_process';
import { type CliResult, describeCli, properties, tableRows } from '../../support/karbor-cli';
import { type FakeKeystone, startFakeKeystone } from '../../support/fake-keystone';
import { startTestServer, type TestServer } from '../../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROJECT_ID = '6f1c0f5a2b8e4b6f9d3e0a1b2c3d4e5f';

/**
 * The real client with ordinary Keystone credentials against keystone mode:
 * it authenticates with Keystone, finds the API in the catalog as
 * `data-protect`, and its token is validated by the API's authorizer.
 */
describeCli('karbor CLI with Keystone credentials (keystone mode)', () => {
  let keystone: FakeKeystone;
  let server: TestServer;

  const karbor = (user: string, password: string, args: string[]): Promise<CliResult> =>
    new Promise((resolve) => {
      const child = spawn('karbor', args, {
        env: {
          ...process.env,
          OS_CLOUD: '',
          OS_AUTH_TOKEN: '',
          KARBOR_URL: '',
          OS_NO_CLIENT_AUTH: '',
          OS_AUTH_URL: `${keystone.url}/v3`,
          OS_USERNAME: user,
          OS_PASSWORD: password,
          OS_PROJECT_NAME: 'demo',
          OS_USER_DOMAIN_NAME: 'Default',
          OS_PROJECT_DOMAIN_NAME: 'Default',
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    });

  beforeAll(async () => {
    keystone = await startFakeKeystone();
    keystone.accounts.set('alice', { userId: 'alice-id', password: 'secret', projectName: 'demo', projectId: PROJECT_ID, roles: ['member'] });
    server = await startTestServer({ keystoneUrl: keystone.url });
    keystone.catalogUrl = (projectId) => `${server.url}/v1/${projectId}`;
  });

  afterAll(async () => {
    await server.stop();
    await keystone.stop();
  });

  it("creates and lists plans as the Keystone user in the token's project", async () => {
    // Act
    const created = await karbor('alice', 'secret', ['plan-create', 'from keystone', NOOP, `${PROJECT_ID}=OS::Keystone::Project=demo`]);
    const listed = await karbor('alice', 'secret', ['plan-list']);
    // Assess
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const id = properties(created.stdout).id;
    expect(listed.status).toBe(0);
    expect(
      tableRows(listed.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([id]);
    // Each call's token was validated with Keystone by the API.
    expect(keystone.asked.length).toBeGreaterThanOrEqual(1);
  });

  it("is refused an admin-only action as a member, with Karbor's message", async () => {
    // Act
    const out = await karbor('alice', 'secret', ['service-list']);
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/Policy doesn't allow service:get_all to be performed/);
  });

  it('does not get a token with a wrong password', async () => {
    // Act
    const out = await karbor('alice', 'wrong', ['plan-list']);
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stdout).toBe('');
  });
});
