import { routes } from '../../shared/http/routes';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'idem';
const base = `/v1/${P}`;
const DAILY = 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;BYHOUR=3;BYMINUTE=0\nEND:VEVENT';

/**
 * `Idempotency-Key` on every creating POST, through the real local server and
 * DynamoDB Local: a retry with the same key and body answers the first answer
 * and creates nothing; another body under the same key is a 409.
 */
describe('Idempotency-Key on creating POSTs', () => {
  let server: TestServer;
  let planId: string;
  let triggerId: string;
  let checkpointId: string;
  /** A plan of its own with one available checkpoint, for the copy route. */
  let copyPlanId: string;

  const post = (path: string, body: unknown, key?: string, token?: string) =>
    server.call('POST', path, { body, headers: key === undefined ? {} : { 'Idempotency-Key': key }, ...(token ? { token } : {}) });

  /** A valid request per creating route, and how to list what it made. */
  /** `once`: a second request with another key makes nothing either (a copy is made once per source and destination). */
  const requests = (): Record<string, { path: string; body: () => unknown; list: string; item: (b: any) => string; once?: true }> => ({
    'plans.create': {
      path: `${base}/plans`,
      body: () => ({ plan: { name: 'idem plan', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } }),
      list: `${base}/plans`,
      item: (b) => b.plan.id,
    },
    'triggers.create': {
      path: `${base}/triggers`,
      body: () => ({ trigger_info: { name: 'idem trigger', type: 'time', properties: { format: 'calendar', pattern: DAILY } } }),
      list: `${base}/triggers`,
      item: (b) => b.trigger_info.id,
    },
    'scheduledOperations.create': {
      path: `${base}/scheduled_operations`,
      body: () => ({
        scheduled_operation: {
          name: 'idem op',
          operation_type: 'protect',
          trigger_id: triggerId,
          operation_definition: { provider_id: NOOP, plan_id: planId },
        },
      }),
      list: `${base}/scheduled_operations`,
      item: (b) => b.scheduled_operation.id,
    },
    'checkpoints.create': {
      path: `${base}/providers/${NOOP}/checkpoints`,
      body: () => ({ checkpoint: { plan_id: planId } }),
      list: `${base}/providers/${NOOP}/checkpoints`,
      item: (b) => b.checkpoint.id,
    },
    'checkpoints.copy': {
      path: `${base}/providers/${NOOP}/checkpoints/action`,
      body: () => ({ copy: { plan_id: copyPlanId } }),
      list: `${base}/providers/${NOOP}/checkpoints`,
      item: (b) => b.copy.checkpoint_id[0]?.checkpoint_copy_id,
      once: true,
    },
    'restores.create': {
      path: `${base}/restores`,
      body: () => ({ restore: { provider_id: NOOP, checkpoint_id: checkpointId, restore_target: null, parameters: {} } }),
      list: `${base}/restores`,
      item: (b) => b.restore.id,
    },
    'verifications.create': {
      path: `${base}/verifications`,
      body: () => ({ verification: { provider_id: NOOP, checkpoint_id: checkpointId } }),
      list: `${base}/verifications`,
      item: (b) => b.verification.id,
    },
  });

  const listedIds = async (path: string): Promise<string[]> => {
    const res = await server.call('GET', path);
    const [items] = Object.values(res.body).filter(Array.isArray) as Array<Array<{ id: string }>>;
    return items.map((i) => i.id);
  };

  beforeAll(async () => {
    server = await startTestServer();
    planId = (await post(`${base}/plans`, requests()['plans.create'].body())).body.plan.id;
    triggerId = (await post(`${base}/triggers`, requests()['triggers.create'].body())).body.trigger_info.id;
    checkpointId = (await post(`${base}/providers/${NOOP}/checkpoints`, { checkpoint: { plan_id: planId } })).body.checkpoint.id;
    await waitFor(
      () => server.call('GET', `${base}/providers/${NOOP}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status === 'available',
    );
    copyPlanId = (await post(`${base}/plans`, requests()['plans.create'].body())).body.plan.id;
    const source = (await post(`${base}/providers/${NOOP}/checkpoints`, { checkpoint: { plan_id: copyPlanId } })).body.checkpoint.id;
    await waitFor(
      () => server.call('GET', `${base}/providers/${NOOP}/checkpoints/${source}`),
      (r) => r.body.checkpoint.status === 'available',
    );
  });

  afterAll(async () => {
    await server.stop();
  });

  it('covers exactly the creating routes the route table marks', () => {
    // Assess
    expect(
      routes
        .filter((r) => r.idempotent)
        .map((r) => r.id)
        .sort(),
    ).toEqual(Object.keys(requests()).sort());
  });

  it.each(routes.filter((r) => r.idempotent).map((r) => r.id))(
    '%s: a retry with the same key and body answers the first answer and creates nothing',
    async (id) => {
      // Prepare
      const r = requests()[id];
      const key = `retry-${id}`;
      const before = await listedIds(r.list);
      // Act
      const first = await post(r.path, r.body(), key);
      const again = await post(r.path, r.body(), key);
      const other = await post(r.path, r.body(), `${key}-other`);
      const after = await listedIds(r.list);
      // Assess
      expect(first.status).toBe(200);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(r.item(first.body)).toEqual(expect.any(String));
      expect(r.item(other.body)).toEqual(r.once ? undefined : expect.any(String));
      expect(r.item(other.body)).not.toBe(r.item(first.body));
      const made = r.once ? [r.item(first.body)] : [r.item(first.body), r.item(other.body)];
      expect(after.filter((x) => !before.includes(x)).sort()).toEqual(made.sort());
    },
  );

  it('answers 409 to the same key with another body, and creates nothing', async () => {
    // Prepare
    const r = requests()['plans.create'];
    await post(r.path, r.body(), 'conflict');
    const before = await listedIds(r.list);
    // Act
    const res = await post(r.path, { plan: { ...(r.body() as any).plan, name: 'another name' } }, 'conflict');
    // Assess
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ conflictingRequest: { code: 409, message: 'This Idempotency-Key was used with another request body.' } });
    expect(await listedIds(r.list)).toEqual(before);
  });

  it("never replays another caller's answer: the key is scoped by the caller", async () => {
    // Prepare
    const body = { plan: { name: 'mine', provider_id: NOOP, resources: [{ id: 'other', type: 'OS::Keystone::Project', name: 'other' }], parameters: {} } };
    const mine = await post(
      `${base}/plans`,
      { plan: { ...body.plan, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }] } },
      'shared-key',
      `alice:${P}`,
    );
    // Act
    const theirs = await post('/v1/other/plans', body, 'shared-key', 'bob:other');
    const wrongUrl = await post(`${base}/plans`, body, 'shared-key', 'bob:other');
    // Assess
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.plan.id).not.toBe(mine.body.plan.id);
    expect(wrongUrl.status).toBe(400);
  });

  it('creates once when the same request arrives twice at the same time: the other is replayed or told to retry', async () => {
    // Prepare
    const r = requests()['plans.create'];
    const before = await listedIds(r.list);
    // Act
    const both = await Promise.all([post(r.path, r.body(), 'racing'), post(r.path, r.body(), 'racing')]);
    // Assess
    const created = (await listedIds(r.list)).filter((x) => !before.includes(x));
    expect(created).toHaveLength(1);
    for (const res of both) {
      if (res.status === 200) expect(r.item(res.body)).toBe(created[0]);
      else expect([res.status, res.body.conflictingRequest?.message]).toEqual([409, 'A request with this Idempotency-Key is still in progress; retry later.']);
    }
  });

  it('does not keep a fault: a retry after a 400 runs again', async () => {
    // Act
    const bad = await post(`${base}/plans`, { plan: { name: 'x' } }, 'after-fault');
    const again = await post(`${base}/plans`, { plan: { name: 'x' } }, 'after-fault');
    // Assess
    expect(bad.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it.each([['x'.repeat(256)], ['with space'], ['tab\there']])('refuses the key %j with a 400', async (key) => {
    // Act
    const res = await post(`${base}/plans`, requests()['plans.create'].body(), key);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toBe('Idempotency-Key must be 1 to 255 printable ASCII characters.');
  });
});
