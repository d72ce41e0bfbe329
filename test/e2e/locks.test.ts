import { startTestServer, type TestServer } from '../support/local-server';
import { allowOneMinuteTriggers } from '../support/triggers';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'lockproj';
const base = `/v1/${P}/providers/${NOOP}/checkpoints`;
const MEMBER = `alice:${P}`;
const DAY = 86400_000;

allowOneMinuteTriggers();
jest.setTimeout(120000);

/** Checkpoint locks and legal holds over HTTP (docs/decisions.md §19). */
describe('checkpoint locks and legal holds', () => {
  let server: TestServer;
  let planId: string;
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const lock = (id: string, body: unknown, token = MEMBER) => server.call('PUT', `${base}/${id}/lock`, { body, token });
  const remove = (id: string, token = MEMBER) => server.call('DELETE', `${base}/${id}`, { token });
  const show = (id: string) => server.call('GET', `${base}/${id}`);
  const newPlan = async (): Promise<string> => {
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'locked plan', provider_id: NOOP, resources: [{ id: P, type: 'OS::Keystone::Project', name: P }], parameters: {} } },
    });
    return plan.body.plan.id;
  };
  const availableCheckpoint = async (plan = planId): Promise<string> => {
    const created = await server.call('POST', base, { body: { checkpoint: { plan_id: plan } } });
    expect(created.status).toBe(200);
    const id = created.body.checkpoint.id as string;
    await waitFor(
      () => show(id),
      (r) => r.body.checkpoint.status === 'available',
    );
    return id;
  };

  beforeAll(async () => {
    server = await startTestServer();
    planId = await newPlan();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('shows a new checkpoint unlocked and not held', async () => {
    // Prepare
    const id = await availableCheckpoint();
    // Act
    const shown = await show(id);
    // Assess
    expect(shown.body.checkpoint).toMatchObject({ lock: null, legal_hold: false });
  });

  it('a member locks a checkpoint, and its DELETE is then a 409 naming the lock and its end', async () => {
    // Prepare
    const id = await availableCheckpoint();
    const until = at(10);
    // Act
    const locked = await lock(id, { lock: { mode: 'governance', until } });
    const refused = await remove(id);
    // Assess
    expect(locked.status).toBe(200);
    expect(locked.body.checkpoint).toMatchObject({ id, status: 'available', lock: { mode: 'governance', until }, legal_hold: false });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ conflictingRequest: { code: 409, message: `Checkpoint ${id} is locked (governance) until ${until}.` } });
    expect((await show(id)).body.checkpoint.status).toBe('available');
  });

  it('a member may extend a governance lock but not shorten or lift it; an admin may, and the delete then goes through', async () => {
    // Prepare
    const id = await availableCheckpoint();
    await lock(id, { lock: { mode: 'governance', until: at(10) } });
    // Act
    const extended = await lock(id, { lock: { mode: 'governance', until: at(20) } });
    const shortened = await lock(id, { lock: { mode: 'governance', until: at(5) } });
    const lifted = await lock(id, { lock: null });
    const adminLifted = await lock(id, { lock: null }, `admin:${P}`);
    const deleted = await remove(id);
    // Assess
    expect(extended.status).toBe(200);
    const refusal = { forbidden: { code: 403, message: "Policy doesn't allow provider:checkpoint_unlock to be performed." } };
    expect([shortened.status, shortened.body]).toEqual([403, refusal]);
    expect([lifted.status, lifted.body]).toEqual([403, refusal]);
    expect(adminLifted.status).toBe(200);
    expect(adminLifted.body.checkpoint.lock).toBeNull();
    expect(deleted.status).toBe(200);
  });

  it('nobody, not even an admin, shortens, lifts or weakens a compliance lock; it can be extended', async () => {
    // Prepare
    const id = await availableCheckpoint();
    const until = at(10);
    await lock(id, { lock: { mode: 'compliance', until } });
    const admin = `admin:${P}`;
    // Act
    const lifted = await lock(id, { lock: null }, admin);
    const shortened = await lock(id, { lock: { mode: 'compliance', until: at(5) } }, admin);
    const weakened = await lock(id, { lock: { mode: 'governance', until: at(30) } }, admin);
    const later = at(30);
    const extended = await lock(id, { lock: { mode: 'compliance', until: later } });
    const refused = await remove(id, admin);
    // Assess
    const message = `Checkpoint ${id} is locked in compliance mode until ${until}; the lock can only be extended.`;
    for (const res of [lifted, shortened, weakened]) expect([res.status, res.body]).toEqual([409, { conflictingRequest: { code: 409, message } }]);
    expect(extended.body.checkpoint.lock).toEqual({ mode: 'compliance', until: later });
    expect(refused.status).toBe(409);
    expect(refused.body.conflictingRequest.message).toBe(`Checkpoint ${id} is locked (compliance) until ${later}.`);
  });

  it('a member puts a checkpoint on legal hold, which refuses DELETE until an admin releases it', async () => {
    // Prepare
    const id = await availableCheckpoint();
    // Act
    const held = await lock(id, { legal_hold: true });
    const refused = await remove(id);
    const memberRelease = await lock(id, { legal_hold: false });
    const adminRelease = await lock(id, { legal_hold: false }, `admin:${P}`);
    const deleted = await remove(id);
    // Assess
    expect(held.body.checkpoint).toMatchObject({ legal_hold: true, lock: null });
    expect([refused.status, refused.body]).toEqual([409, { conflictingRequest: { code: 409, message: `Checkpoint ${id} is on legal hold.` } }]);
    expect(memberRelease.status).toBe(403);
    expect(adminRelease.body.checkpoint.legal_hold).toBe(false);
    expect(deleted.status).toBe(200);
  });

  it.each([
    ['an empty body', {}, 'lock or legal_hold is required'],
    ['a past date', { lock: { mode: 'governance', until: '2020-01-01T00:00:00Z' } }, 'lock.until must be a time after now'],
    ['a date too far ahead', { lock: { mode: 'governance', until: '2999-01-01T00:00:00Z' } }, 'at most 100 years ahead'],
    ['a date that is none', { lock: { mode: 'governance', until: 'soon' } }, 'lock.until must be a time after now'],
  ])('refuses %s with a 400', async (_name, body, message) => {
    // Prepare
    const id = await availableCheckpoint();
    // Act
    const res = await lock(id, body);
    // Assess
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toContain(message);
  });

  it('refuses to lock a checkpoint that is not available', async () => {
    // Prepare
    const id = await availableCheckpoint();
    await server.call('PUT', `${base}/${id}`, { body: { 'os-resetState': { state: 'error' } } });
    // Act
    const res = await lock(id, { legal_hold: true });
    // Assess
    expect([res.status, res.body]).toEqual([400, { badRequest: { code: 400, message: `The checkpoint ${id} can not be locked.` } }]);
  });

  it('retention keeps a locked checkpoint beyond max_backups and says so in its run log', async () => {
    // Prepare: a plan of its own with two checkpoints, the older locked; a retention run keeping one
    const retained = await newPlan();
    const older = await availableCheckpoint(retained);
    await availableCheckpoint(retained);
    await lock(older, { lock: { mode: 'governance', until: at(3) } });
    const trigger = await server.call('POST', `/v1/${P}/triggers`, {
      body: { trigger_info: { name: 'every minute', type: 'time', properties: { format: 'crontab', pattern: '* * * * *', window: 50 } } },
    });
    const op = await server.call('POST', `/v1/${P}/scheduled_operations`, {
      body: {
        scheduled_operation: {
          name: 'keep one',
          operation_type: 'retention_protect',
          trigger_id: trigger.body.trigger_info.id,
          operation_definition: { provider_id: NOOP, plan_id: retained, max_backups: 1 },
        },
      },
    });
    const opId = op.body.scheduled_operation.id as string;
    // Act
    await server.runtime.scheduler!.fireMinute(new Date(Math.ceil(Date.now() / 60000) * 60000));
    const run = await waitFor(
      async () =>
        ((await server.call('GET', `/v1/${P}/operation_logs`)).body.operation_logs as Array<Record<string, unknown>>).find(
          (l) => l.scheduled_operation_id === opId && l.extra_info !== null && l.status !== 'running',
        ),
      (l) => l !== undefined,
    );
    // Assess
    expect(run!.status).toBe('success');
    expect(JSON.parse(String(run!.extra_info)).retention.kept_locked).toEqual([older]);
    expect((await show(older)).body.checkpoint.status).toBe('available');
  });
});
