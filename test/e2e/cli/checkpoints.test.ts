import { karbor, describeCli, tableRows } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROJECT = 'clickp';

/** The value column of a `karbor *-show` property table. */
const property = (stdout: string, name: string): string | undefined => tableRows(stdout).find((r) => r[0] === name)?.[1];

// Each case runs the real client several times; a loaded CI machine needs more than the default 30 s.
jest.setTimeout(120000);

describeCli('karbor CLI: checkpoints and restores (No-Op provider)', () => {
  let server: TestServer;
  let planId: string;
  const cli = (args: string[], user = 'admin') => karbor(server.url, PROJECT, args, user);
  const waitForStatus = async (args: string[], want: string): Promise<string | undefined> => {
    let status: string | undefined;
    for (let i = 0; i < 100; i += 1) {
      status = property((await cli(args)).stdout, 'status');
      if (status === want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return status;
  };
  const createCheckpoint = async (): Promise<string> => {
    const out = await cli(['checkpoint-create', NOOP, planId]);
    expect(out.status).toBe(0);
    return property(out.stdout, 'id')!;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const res = await server.call('POST', `/v1/${PROJECT}/plans`, {
      body: { plan: { name: 'cli plan', provider_id: NOOP, parameters: {}, resources: [{ id: PROJECT, type: 'OS::Keystone::Project', name: 'proj' }] } },
    });
    planId = res.body.plan.id;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('checkpoint-create prints the new checkpoint, protecting, and checkpoint-show then shows it available', async () => {
    // Act
    const out = await cli(['checkpoint-create', NOOP, planId]);
    const id = property(out.stdout, 'id')!;
    const final = await waitForStatus(['checkpoint-show', NOOP, id], 'available');
    const shown = await cli(['checkpoint-show', NOOP, id]);
    // Assess
    expect(out.status).toBe(0);
    expect(property(out.stdout, 'status')).toBe('protecting');
    expect(final).toBe('available');
    expect(shown.stdout).toContain(planId);
    expect(shown.stdout).toContain('OS::Keystone::Project');
  });

  it('checkpoint-create --extra_info keeps the given keys', async () => {
    // Act
    const out = await cli(['checkpoint-create', NOOP, planId, '--extra_info', 'k=v']);
    // Assess
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('created_by');
    expect(out.stdout).toContain('"k": "v"');
  });

  it("checkpoint-list prints the project's checkpoints with their plan, newest first", async () => {
    // Prepare
    const first = await createCheckpoint();
    const second = await createCheckpoint();
    // Act
    // Without --sort the client re-sorts the table by id; with it, it keeps the server's order.
    const out = await cli(['checkpoint-list', NOOP, '--plan_id', planId, '--sort', 'created_at:desc']);
    // Assess
    expect(out.status).toBe(0);
    const rows = tableRows(out.stdout);
    expect(rows[0]).toEqual(['Id', 'Project id', 'Status', 'Protection plan', 'Created at']);
    const ids = rows
      .slice(1)
      .map((r) => r[0])
      .filter(Boolean);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    expect(ids.indexOf(second)).toBeGreaterThanOrEqual(0);
  });

  it('checkpoint-reset-state sets error, then --available puts it back', async () => {
    // Prepare
    const id = await createCheckpoint();
    await waitForStatus(['checkpoint-show', NOOP, id], 'available');
    // Act
    const toError = await cli(['checkpoint-reset-state', NOOP, id]);
    const afterError = property((await cli(['checkpoint-show', NOOP, id])).stdout, 'status');
    const toAvailable = await cli(['checkpoint-reset-state', '--available', NOOP, id]);
    const afterAvailable = property((await cli(['checkpoint-show', NOOP, id])).stdout, 'status');
    // Assess
    expect(toError.status).toBe(0);
    expect(afterError).toBe('error');
    expect(toAvailable.status).toBe(0);
    expect(afterAvailable).toBe('available');
  });

  it('checkpoint-delete moves the checkpoint to deleted', async () => {
    // Prepare
    const id = await createCheckpoint();
    await waitForStatus(['checkpoint-show', NOOP, id], 'available');
    // Act
    const out = await cli(['checkpoint-delete', NOOP, id]);
    const final = await waitForStatus(['checkpoint-show', NOOP, id], 'deleted');
    const list = await cli(['checkpoint-list', NOOP]);
    // Assess
    expect(out.status).toBe(0);
    expect(final).toBe('deleted');
    expect(list.stdout).not.toContain(id);
  });

  it('checkpoint-show of an unknown checkpoint prints the 404 message', async () => {
    // Act
    const out = await cli(['checkpoint-show', NOOP, '9b1d0f4e-7a3c-4d2e-9f55-000000000001']);
    // Assess
    expect(out.status).not.toBe(0);
    expect(out.stderr).toContain('Checkpoint 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.');
  });

  it('restore-create starts a restore that reaches success; restore-list and restore-show print it, never the password', async () => {
    // Prepare
    const checkpointId = await createCheckpoint();
    await waitForStatus(['checkpoint-show', NOOP, checkpointId], 'available');
    // Act
    const created = await cli([
      'restore-create',
      '--restore_target',
      'http://192.168.1.2/identity/',
      '--restore_username',
      'admin',
      '--restore_password',
      'secret',
      NOOP,
      checkpointId,
    ]);
    const restoreId = property(created.stdout, 'id')!;
    const final = await waitForStatus(['restore-show', restoreId], 'success');
    const list = await cli(['restore-list']);
    const shown = await cli(['restore-show', restoreId]);
    // Assess
    expect(created.status).toBe(0);
    expect(property(created.stdout, 'status')).toBe('in_progress');
    expect(created.stdout).not.toContain('secret');
    expect(final).toBe('success');
    expect(list.status).toBe(0);
    expect(
      tableRows(list.stdout)
        .slice(1)
        .map((r) => r[0]),
    ).toContain(restoreId);
    expect(shown.stdout).toContain(checkpointId);
    expect(shown.stdout).not.toContain('secret');
    // The extension is one more row (No-Op makes nothing new).
    expect(property(shown.stdout, 'restored_as')).toBe('{}');
  });

  it('restore-create with parameters the No-Op provider does not allow gives a failed restore', async () => {
    // Prepare
    const checkpointId = await createCheckpoint();
    await waitForStatus(['checkpoint-show', NOOP, checkpointId], 'available');
    // Act
    const out = await cli(['restore-create', '--parameters', 'resource_type=OS::Nova::Server,restore_name=x', NOOP, checkpointId]);
    // Assess
    expect(out.status).toBe(0);
    expect(property(out.stdout, 'status')).toBe('fail');
  });

  it('restore-list --status filters', async () => {
    // Act
    const out = await cli(['restore-list', '--status', 'fail']);
    // Assess
    expect(out.status).toBe(0);
    const statuses = tableRows(out.stdout)
      .slice(1)
      .map((r) => r[r.length - 1])
      .filter(Boolean);
    expect(statuses.length).toBeGreaterThan(0);
    const header = tableRows(out.stdout)[0];
    const statusColumn = header.indexOf('Status');
    expect(
      tableRows(out.stdout)
        .slice(1)
        .filter((r) => r[0])
        .every((r) => r[statusColumn] === 'fail'),
    ).toBe(true);
  });
});
