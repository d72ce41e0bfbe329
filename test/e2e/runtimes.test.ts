import { type TestServer, startTestServer } from '../support/local-server';
import { NOOP_PROVIDER } from '../support/triggers';

/**
 * Two local runtimes in one process, as several e2e files start: each runs
 * its handlers with the settings it built as it started (shared/runtime-host.ts),
 * its own table, bus and scheduler, and neither writes the process environment.
 */
describe('two local runtimes in one process', () => {
  let strict: TestServer;
  let roomy: TestServer;
  const envBefore = { ...process.env };

  beforeAll(async () => {
    strict = await startTestServer({ settings: { KARBOR_QUOTA_PLANS: '1' } });
    roomy = await startTestServer();
  });
  afterAll(async () => {
    await strict?.stop();
    await roomy?.stop();
  });

  const VM = { id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' };
  const plan = (name: string) => ({ plan: { name, provider_id: NOOP_PROVIDER, resources: [VM], parameters: {} } });

  it('each answers with its own settings and its own table, started in either order', async () => {
    // Act: the second runtime started last; the first must still have its limit of one plan.
    const first = await strict.call('POST', '/v1/p1/plans', { body: plan('a') });
    const refused = await strict.call('POST', '/v1/p1/plans', { body: plan('b') });
    const elsewhere = [await roomy.call('POST', '/v1/p1/plans', { body: plan('c') }), await roomy.call('POST', '/v1/p1/plans', { body: plan('d') })];
    const listed = [await strict.call('GET', '/v1/p1/plans'), await roomy.call('GET', '/v1/p1/plans')];
    // Assess
    expect(first.status).toBe(200);
    expect(refused.status).toBe(413);
    expect(elsewhere.map((r) => r.status)).toEqual([200, 200]);
    expect(listed.map((r) => r.body.plans.map((p: { name: string }) => p.name).sort())).toEqual([['a'], ['c', 'd']]);
    expect([strict.runtime.host.settings.KARBOR_QUOTA_PLANS, roomy.runtime.host.settings.KARBOR_QUOTA_PLANS]).toEqual(['1', process.env.KARBOR_QUOTA_PLANS]);
  });

  it("keeps each runtime's triggers in its own scheduler", async () => {
    // Prepare
    const trigger = {
      trigger_info: { name: 't', type: 'time', properties: { format: 'calendar', pattern: 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;INTERVAL=1;\nEND:VEVENT' } },
    };
    // Act
    const made = await strict.call('POST', '/v1/p1/triggers', { body: trigger });
    // Assess
    expect(made.status).toBe(200);
    expect(strict.runtime.scheduler!.rules().map((r) => r.triggerId)).toEqual([made.body.trigger_info.id]);
    expect(roomy.runtime.scheduler!.rules()).toEqual([]);
  });

  it('leaves the process environment as it found it', () => {
    expect(process.env).toEqual(envBefore);
  });
});
