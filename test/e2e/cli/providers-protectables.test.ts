import { karbor, describeCli, tableRows } from '../../support/karbor-cli';
import { createSourceTable } from '../../support/dynamo';
import { startTestServer, type TestServer } from '../../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROJECT = 'cliproj';

describeCli('karbor CLI: providers and protectables', () => {
  let server: TestServer;
  let table: string;
  beforeAll(async () => {
    server = await startTestServer();
    table = await createSourceTable('cli-src');
  });
  afterAll(async () => {
    await server.stop();
  });

  it('provider-list prints the No-Op and AWS providers', async () => {
    // Act
    const out = await karbor(server.url, PROJECT, ['provider-list']);
    // Assess
    expect(out.status).toBe(0);
    const rows = tableRows(out.stdout);
    expect(rows[0]).toEqual(['Id', 'Name', 'Description']);
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(['No-Op Provider', 'AWS Provider']));
  });

  it('provider-show prints the extended info schema', async () => {
    const out = await karbor(server.url, PROJECT, ['provider-show', NOOP]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('No-Op Provider');
    expect(out.stdout).toContain('extended_info_schema');
    expect(out.stdout).toContain('OS::Keystone::Project');
  });

  it('provider-show of an unknown provider prints the 404 message', async () => {
    const out = await karbor(server.url, PROJECT, ['provider-show', '9b1d0f4e-7a3c-4d2e-9f55-000000000001']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('Provider 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.');
  });

  it('protectable-list prints every protectable type', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-list']);
    expect(out.status).toBe(0);
    const names = tableRows(out.stdout)
      .slice(1)
      .map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining(['OS::Keystone::Project', 'OS::Nova::Server', 'AWS::DynamoDB::Table', 'AWS::EC2::Volume']));
  });

  it('protectable-show prints the dependent types', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-show', 'OS::Nova::Server']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('OS::Glance::Image');
    expect(out.stdout).toContain('OS::Cinder::Volume');
  });

  it('protectable-list-instances prints the caller project as the one project instance', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-list-instances', 'OS::Keystone::Project']);
    expect(out.status).toBe(0);
    const rows = tableRows(out.stdout);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .filter(Boolean),
    ).toEqual([PROJECT]);
  });

  it('protectable-list-instances lists the local DynamoDB tables but Karbor’s own', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-list-instances', 'AWS::DynamoDB::Table']);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(table);
    expect(out.stdout).not.toContain(server.tableName);
  });

  it('protectable-show-instance prints the instance and its dependents', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-show-instance', 'OS::Keystone::Project', PROJECT]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(PROJECT);
    expect(out.stdout).toContain('dependent_resources');
  });

  it('protectable-show-instance of an unknown server prints the 404 message', async () => {
    const out = await karbor(server.url, PROJECT, ['protectable-show-instance', 'OS::Nova::Server', 'nope']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('The resource nope of type OS::Nova::Server could not be found');
  });
});
