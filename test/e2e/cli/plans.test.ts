import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { planKey } from '../../../shared/features/plans/transact';
import { createSourceTable, testClients } from '../../support/dynamo';
import { describeCli, karbor, properties, tableRows } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const PROJECT = 'cliplans';

describeCli('karbor CLI: plans', () => {
  let server: TestServer;
  const cli = (args: string[], user?: string) => karbor(server.url, PROJECT, args, user);
  const createProjectPlan = async (name: string) => {
    const out = await cli(['plan-create', name, NOOP, `${PROJECT}=OS::Keystone::Project=${PROJECT}`]);
    expect(out.status).toBe(0);
    return properties(out.stdout).id;
  };

  let table: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Karbor's own table (server.tableName) is never protectable: plan another one.
    table = await createSourceTable('cli-src');
  });
  afterAll(async () => {
    await server.stop();
  });

  it("prints why a token for another project is refused: Karbor's 400, saying whose project each is", async () => {
    // Act: the URL names this project, the token another one
    const out = await karbor(server.url, PROJECT, ['plan-list'], 'alice', 'alice:elsewhere');
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain(`Malformed request url: the token is for project 'elsewhere', not the URL's project '${PROJECT}'. (HTTP 400)`);
  });

  it('plan-create plans the caller’s project and prints the suspended plan', async () => {
    // Act
    const out = await cli(['plan-create', 'cli plan', NOOP, `${PROJECT}=OS::Keystone::Project=${PROJECT}`, '--description', 'from the CLI']);
    // Assess
    expect(out.status).toBe(0);
    const plan = properties(out.stdout);
    expect(plan.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(plan).toMatchObject({ name: 'cli plan', description: 'from the CLI', provider_id: NOOP, status: 'suspended' });
    expect(plan.resources).toContain('"type": "OS::Keystone::Project"');
  });

  it('plan-create plans a local DynamoDB table with AWS parameters', async () => {
    const out = await cli([
      'plan-create',
      'table plan',
      AWS,
      `${table}=AWS::DynamoDB::Table=${table}`,
      '--parameters',
      'resource_type=AWS::DynamoDB::Table,backup_name=nightly',
    ]);
    expect(out.status).toBe(0);
    expect(properties(out.stdout).parameters).toContain('"backup_name": "nightly"');
  });

  it('plan-create prints the server’s 400 for a property the provider does not allow', async () => {
    const out = await cli(['plan-create', 'bad', AWS, `${table}=AWS::DynamoDB::Table=${table}`, '--parameters', 'resource_type=AWS::DynamoDB::Table,nope=1']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('The protect property of plan parameters is invalid.');
  });

  it('plan-create refuses an unknown provider with the server’s message', async () => {
    const out = await cli(['plan-create', 'bad', '9b1d0f4e-7a3c-4d2e-9f55-000000000001', `${PROJECT}=OS::Keystone::Project=${PROJECT}`]);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('The provider could not be found.');
  });

  it('plan-list prints the project’s plans, sorted and filtered', async () => {
    // Prepare
    const b = await createProjectPlan('list b');
    const a = await createProjectPlan('list a');
    // Act
    const all = await cli(['plan-list']);
    const sorted = await cli(['plan-list', '--sort', 'name:asc', '--name', '^list ']);
    const limited = await cli(['plan-list', '--limit', '1', '--sort', 'name:desc', '--name', '^list ']);
    // Assess
    expect(all.status).toBe(0);
    expect(tableRows(all.stdout)[0]).toEqual(['Id', 'Name', 'Description', 'Provider id', 'Status']);
    expect(tableRows(all.stdout).map((r) => r[0])).toEqual(expect.arrayContaining([a, b]));
    expect(
      tableRows(sorted.stdout)
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(['list a', 'list b']);
    expect(
      tableRows(limited.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([b]);
  });

  it('plan-list --all-tenants lists other projects for an admin only', async () => {
    // Prepare
    const other = await karbor(server.url, 'cliother', ['plan-create', 'other', NOOP, 'cliother=OS::Keystone::Project=cliother']);
    const otherId = properties(other.stdout).id;
    // Act
    const admin = await cli(['plan-list', '--all-tenants']);
    const member = await cli(['plan-list', '--all-tenants'], 'alice');
    // Assess
    expect(tableRows(admin.stdout).map((r) => r[0])).toContain(otherId);
    expect(member.status).toBe(0);
    expect(tableRows(member.stdout).map((r) => r[0])).not.toContain(otherId);
  });

  it('plan-show prints the plan and the 404 message for an unknown one', async () => {
    const id = await createProjectPlan('shown');
    const out = await cli(['plan-show', id]);
    const missing = await cli(['plan-show', '9b1d0f4e-7a3c-4d2e-9f55-000000000001']);
    expect(out.status).toBe(0);
    expect(properties(out.stdout)).toMatchObject({ id, name: 'shown', status: 'suspended' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('Plan 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.');
  });

  it('plan-update renames and starts a plan, then prints the 400 for a rename while started', async () => {
    // Prepare
    const id = await createProjectPlan('to update');
    // Act
    const started = await cli(['plan-update', id, '--name', 'updated', '--status', 'started']);
    const refused = await cli(['plan-update', id, '--name', 'again']);
    const resources = await cli(['plan-update', id, '--status', 'suspended']);
    // Assess
    expect(started.status).toBe(0);
    expect(properties(started.stdout)).toMatchObject({ name: 'updated', status: 'started' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('Invalid plan: The plan can be only updated in suspended status.');
    expect(properties(resources.stdout).status).toBe('suspended');
  });

  it('plan-update of an unknown plan says so (show 404, then the client’s name lookup)', async () => {
    const out = await cli(['plan-update', '9b1d0f4e-7a3c-4d2e-9f55-000000000001', '--name', 'x']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain("No plan with a name or ID of '9b1d0f4e-7a3c-4d2e-9f55-000000000001' exists.");
  });

  it('plan-delete deletes a plan, which is then gone', async () => {
    const id = await createProjectPlan('to delete');
    const out = await cli(['plan-delete', id]);
    const show = await cli(['plan-show', id]);
    expect(out.status).toBe(0);
    expect(show.status).not.toBe(0);
    expect(show.stderr).toContain(`Plan ${id} could not be found.`);
  });

  it('plan-delete of an unknown plan says so (show 404, then the client’s name lookup)', async () => {
    const out = await cli(['plan-delete', '9b1d0f4e-7a3c-4d2e-9f55-000000000001']);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain("No plan with a name or ID of '9b1d0f4e-7a3c-4d2e-9f55-000000000001' exists.");
  });

  it('plan-delete of a plan a scheduled operation uses prints the 409 message', async () => {
    // Prepare
    const id = await createProjectPlan('in use');
    await testClients().doc.send(
      new UpdateCommand({
        TableName: server.tableName,
        Key: planKey(id),
        UpdateExpression: 'ADD scheduledOperationIds :op',
        ExpressionAttributeValues: { ':op': new Set(['op-cli']) },
      }),
    );
    // Act
    const out = await cli(['plan-delete', id]);
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain(`Plan ${id} is used by scheduled operation(s) op-cli`);
  });
});
