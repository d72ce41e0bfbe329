import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

/**
 * Copy destinations (docs/decisions.md §25) over the real local server: the
 * admin-only list without external ids, a plan's `destinations` field
 * (checked against the configuration), and copies of a No-Op plan to each
 * of its destinations, once per destination.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'destproj';
const base = `/v1/${P}`;
const DESTINATIONS = {
  dr: { region: 'eu-west-1', default: true },
  vault: { region: 'us-west-2', role_arn: 'arn:aws:iam::222222222222:role/KarborCopies', external_id: 'very-secret-id', kms_key_id: 'alias/karbor' },
};
const fault = (code: number, name: string, message: string) => ({ [name]: { code, message } });

describe('copy destinations over HTTP', () => {
  let server: TestServer;

  const planBody = (extra: Record<string, unknown> = {}) => ({
    plan: {
      name: 'dest plan',
      provider_id: NOOP,
      parameters: {},
      resources: [{ id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' }],
      ...extra,
    },
  });
  const show = (id: string) => server.call('GET', `${base}/providers/${NOOP}/checkpoints/${id}`);
  const settled = (id: string) =>
    waitFor(
      () => show(id),
      (r) => !['protecting', 'wait_copying', 'copying'].includes(r.body.checkpoint.status),
      { tries: 600, intervalMs: 100 },
    );

  beforeAll(async () => {
    server = await startTestServer({ settings: { KARBOR_DESTINATIONS: JSON.stringify(DESTINATIONS) } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lists the destinations to an admin without their external ids, and refuses a member (403)', async () => {
    // Act
    const listed = await server.call('GET', `${base}/destinations`);
    const member = await server.call('GET', `${base}/destinations`, { token: `alice:${P}` });
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.destinations).toEqual([
      { name: 'dr', region: 'eu-west-1', account_id: null, role_arn: null, bank: null, kms_key_id: null, default: true },
      {
        name: 'vault',
        region: 'us-west-2',
        account_id: '222222222222',
        role_arn: 'arn:aws:iam::222222222222:role/KarborCopies',
        bank: null,
        kms_key_id: 'alias/karbor',
        default: false,
      },
    ]);
    expect(listed.text).not.toContain('very-secret-id');
    expect(member.status).toBe(403);
    expect(member.body).toEqual(fault(403, 'forbidden', "Policy doesn't allow destination:get_all to be performed."));
  });

  it('keeps the destinations a plan names, refuses unknown ones (400) and changes them on update', async () => {
    // Act
    const created = await server.call('POST', `${base}/plans`, { body: planBody({ destinations: ['dr'] }) });
    const unknown = await server.call('POST', `${base}/plans`, { body: planBody({ destinations: ['moon'] }) });
    const updated = await server.call('PUT', `${base}/plans/${created.body.plan.id}`, { body: { plan: { destinations: ['vault', 'dr'] } } });
    const shown = await server.call('GET', `${base}/plans/${created.body.plan.id}`);
    const plain = await server.call('POST', `${base}/plans`, { body: planBody() });
    // Assess
    expect(created.status).toBe(200);
    expect(created.body.plan.destinations).toEqual(['dr']);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(fault(400, 'badRequest', 'Invalid input received: The destination moon is not configured.'));
    expect(updated.status).toBe(200);
    expect(shown.body.plan.destinations).toEqual(['vault', 'dr']);
    expect(plain.body.plan.destinations).toEqual([]);
  });

  it('copies each checkpoint of a plan to each of its destinations, once per destination', async () => {
    // Prepare
    const plan = await server.call('POST', `${base}/plans`, { body: planBody({ destinations: ['dr', 'vault'] }) });
    const planId = plan.body.plan.id as string;
    const made = await server.call('POST', `${base}/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: planId } } });
    expect((await settled(made.body.checkpoint.id)).body.checkpoint.status).toBe('available');
    // Act
    const first = await server.call('POST', `${base}/providers/${NOOP}/checkpoints/action`, { body: { copy: { plan_id: planId } } });
    const again = await server.call('POST', `${base}/providers/${NOOP}/checkpoints/action`, { body: { copy: { plan_id: planId } } });
    // Assess
    expect(first.status).toBe(200);
    const pairs = first.body.copy.checkpoint_id as Array<{ checkpoint_protect_id: string; checkpoint_copy_id: string }>;
    expect(pairs.map((p) => p.checkpoint_protect_id)).toEqual([made.body.checkpoint.id, made.body.checkpoint.id]);
    // Shown under the plan's provider: a copy is its provider's checkpoint wherever it went.
    const copies = await Promise.all(pairs.map((p) => settled(p.checkpoint_copy_id)));
    expect(copies.map((c) => c.body.checkpoint.status)).toEqual(['available', 'available']);
    expect(copies.map((c) => JSON.parse(c.body.checkpoint.extra_info).destination)).toEqual(['dr', 'vault']);
    expect(again.body.copy.checkpoint_id).toEqual([]);
  });
});
