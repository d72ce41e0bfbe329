import { karbor, describeCli, tableRows } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';
import { waitFor } from '../../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const PROJECT = 'cliverify';

/** The value column of a `karbor *-show` property table. */
const property = (stdout: string, name: string): string | undefined => tableRows(stdout).find((r) => r[0] === name)?.[1];

// Each case runs the real client several times; a loaded CI machine needs more than the default 30 s.
jest.setTimeout(120000);

describeCli('karbor CLI: verifications (No-Op provider)', () => {
  let server: TestServer;
  let checkpointId: string;
  const cli = (args: string[]) => karbor(server.url, PROJECT, args);

  beforeAll(async () => {
    server = await startTestServer();
    const plan = await server.call('POST', `/v1/${PROJECT}/plans`, {
      body: { plan: { name: 'cli plan', provider_id: NOOP, parameters: {}, resources: [{ id: PROJECT, type: 'OS::Keystone::Project', name: 'proj' }] } },
    });
    const created = await server.call('POST', `/v1/${PROJECT}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan.body.plan.id } } });
    checkpointId = created.body.checkpoint.id;
    await waitFor(
      () => server.call('GET', `/v1/${PROJECT}/providers/${NOOP}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status === 'available',
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  it('verification-create starts a verification that verification-show then shows succeeded, per resource', async () => {
    // Act
    const out = await cli(['verification-create', NOOP, checkpointId]);
    const id = property(out.stdout, 'id')!;
    const shown = await waitFor(
      () => cli(['verification-show', id]),
      (r) => property(r.stdout, 'status') !== 'in_progress',
    );
    const listed = await cli(['verification-list']);
    // Assess
    expect(out.status).toBe(0);
    expect(property(out.stdout, 'status')).toBe('in_progress');
    expect(property(shown.stdout, 'status')).toBe('success');
    expect(property(shown.stdout, 'resources_status')).toContain(`'OS::Keystone::Project#${PROJECT}': 'success'`);
    expect(listed.stdout).toContain(id);
  });

  it("verification-create with parameters the No-Op provider's verify_schema lacks answers fail", async () => {
    // Act
    const out = await cli(['verification-create', NOOP, checkpointId, '--parameters', 'resource_type=OS::Keystone::Project,depth=full']);
    // Assess
    expect(out.status).toBe(0);
    expect(property(out.stdout, 'status')).toBe('fail');
  });
});
