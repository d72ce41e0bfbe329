import { startTestServer, type TestServer } from '../support/local-server';

const P = 'trigproj';
const DAILY = 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;INTERVAL=1;\nEND:VEVENT';
const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-000000000001';

const body = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  trigger_info: { name: 'daily', type: 'time', properties, ...extra },
});

describe('triggers API over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('creates a calendar trigger with the default start_time and a string window', async () => {
    // Act
    const res = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'calendar', pattern: DAILY, window: 1200 }) });
    // Assess
    expect(res.status).toBe(200);
    const t = res.body.trigger_info;
    expect(Object.keys(t)).toEqual(['id', 'name', 'type', 'properties', 'next_runs']);
    expect(t.properties).toEqual({
      format: 'calendar',
      pattern: DAILY,
      window: '1200',
      start_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    expect(server.runtime.scheduler?.rules().find((r) => r.triggerId === t.id)?.expression).toMatch(/^cron\(/);
  });

  it('shows and lists the next five runs, after now and before end_time', async () => {
    // Prepare
    const now = Date.now();
    const created = await server.call('POST', `/v1/${P}/triggers`, {
      body: body({ format: 'crontab', pattern: '0 3 * * *', end_time: new Date(now + 3 * 86400_000).toISOString().slice(0, 19) }),
    });
    const id = created.body.trigger_info.id;
    // Act
    const shown = await server.call('GET', `/v1/${P}/triggers/${id}`);
    const listed = await server.call('GET', `/v1/${P}/triggers?limit=1000`);
    // Assess
    const runs: string[] = shown.body.trigger_info.next_runs;
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(3);
    for (const run of runs) {
      expect(run).toMatch(/^\d{4}-\d{2}-\d{2} 03:00:00$/);
      const at = Date.parse(`${run.replace(' ', 'T')}Z`);
      expect(at).toBeGreaterThan(now);
      expect(at).toBeLessThan(now + 3 * 86400_000);
    }
    expect(listed.body.triggers.find((t: { id: string }) => t.id === id).next_runs).toEqual(runs);
  });

  it.each([
    [{ format: 'calendar', pattern: DAILY, window: 100 }, 'The trigger windows 100 must be between 900 and 1800'],
    [{ format: 'calendar', pattern: DAILY, window: 'abc' }, 'The trigger windows(abc) is not integer'],
    [{ format: 'calendar', pattern: DAILY, start_time: '2026/01/01' }, 'The format of trigger start_time is not correct'],
    [
      { format: 'calendar', pattern: 'BEGIN:VEVENT\nRRULE:FREQ=MINUTELY;INTERVAL=5;\nEND:VEVENT' },
      'The interval of two adjacent time points is less than 3600',
    ],
    [{ format: 'crontab', pattern: '*/5 * * * *' }, 'The interval of two adjacent time points is less than 3600'],
    [{ format: 'crontab', pattern: 'not a cron' }, 'The trigger pattern(not a cron) is invalid'],
    [{ format: 'weekly', pattern: DAILY }, 'Invalid trigger time format type'],
    [{ format: 'calendar', pattern: 'RRULE:FREQ=DAILY' }, 'The trigger pattern(RRULE:FREQ=DAILY) must include less than one VEVENT component'],
    [
      { format: 'calendar', pattern: DAILY, start_time: '2026-01-02 00:00:00', end_time: '2026-01-01 00:00:00' },
      "The trigger's start time(2026-01-02 00:00:00) is bigger than end time(2026-01-01 00:00:00)",
    ],
    [
      { format: 'calendar', pattern: DAILY, start_time: '2020-01-01 00:00:00', end_time: '2020-02-01 00:00:00' },
      'The new trigger property is invalid, Can not find the first run time',
    ],
    [
      { pattern: DAILY },
      "Invalid input for field/attribute properties. Value: {'pattern': 'BEGIN:VEVENT\\nRRULE:FREQ=DAILY;INTERVAL=1;\\nEND:VEVENT'}. 'format' is a required property",
    ],
  ])('refuses invalid properties %j with 400', async (properties, message) => {
    // Act
    const res = await server.call('POST', `/v1/${P}/triggers`, { body: body(properties) });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ badRequest: { code: 400, message } });
  });

  it('refuses a type other than time, a long name and a missing body', async () => {
    const bad = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'calendar', pattern: DAILY }, { type: 'event' }) });
    expect(bad.body).toEqual({ badRequest: { code: 400, message: 'Invalid trigger type:event' } });
    const long = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'calendar', pattern: DAILY }, { name: 'n'.repeat(256) }) });
    expect(long.status).toBe(400);
    const none = await server.call('POST', `/v1/${P}/triggers`);
    expect(none.status).toBe(400);
  });

  it('accepts ISO start times and numeric string windows (docs/decisions.md §4)', async () => {
    const res = await server.call('POST', `/v1/${P}/triggers`, {
      body: body({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01T00:00:00Z', window: '900' }),
    });
    expect(res.status).toBe(200);
    expect(res.body.trigger_info.properties).toEqual({ format: 'crontab', pattern: '0 3 * * *', start_time: '2026-01-01T00:00:00Z', window: '900' });
  });

  it('shows, updates and deletes a trigger; ids are 400 then 404', async () => {
    // Prepare
    const created = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'calendar', pattern: DAILY }) });
    const id = created.body.trigger_info.id;
    // Act + Assess
    expect((await server.call('GET', `/v1/${P}/triggers/${id}`)).body).toEqual(created.body);
    expect((await server.call('GET', `/v1/${P}/triggers/not-a-uuid`)).body).toEqual({ badRequest: { code: 400, message: 'Invalid trigger id provided.' } });
    expect((await server.call('GET', `/v1/${P}/triggers/${UNKNOWN}`)).body).toEqual({
      itemNotFound: { code: 404, message: `Trigger ${UNKNOWN} could not be found.` },
    });
    const noStart = await server.call('PUT', `/v1/${P}/triggers/${id}`, { body: { trigger_info: { properties: { format: 'calendar', pattern: DAILY } } } });
    expect(noStart.body).toEqual({ badRequest: { code: 400, message: 'start_time should be supplied' } });
    const renamed = await server.call('PUT', `/v1/${P}/triggers/${id}`, { body: { trigger_info: { name: 'renamed', properties: {} } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.trigger_info.name).toBe('renamed');
    expect(renamed.body.trigger_info.properties).toEqual(created.body.trigger_info.properties);
    const weekly = 'BEGIN:VEVENT\nRRULE:FREQ=WEEKLY;INTERVAL=1;\nEND:VEVENT';
    const replaced = await server.call('PUT', `/v1/${P}/triggers/${id}`, {
      body: { trigger_info: { properties: { format: 'calendar', pattern: weekly, start_time: '2026-01-01 00:00:00', window: 900 } } },
    });
    expect(replaced.body.trigger_info.properties).toEqual({ format: 'calendar', pattern: weekly, start_time: '2026-01-01 00:00:00', window: '900' });
    // 2026-01-01 is a Thursday: EventBridge day 5.
    expect(server.runtime.scheduler?.rules().find((r) => r.triggerId === id)?.expression).toBe('cron(0 0 ? * 5 *)');
    const deleted = await server.call('DELETE', `/v1/${P}/triggers/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('');
    expect(server.runtime.scheduler?.rules().find((r) => r.triggerId === id)).toBeUndefined();
    expect((await server.call('GET', `/v1/${P}/triggers/${id}`)).status).toBe(404);
  });

  it("hides another project's trigger from a member (403) but not from an admin", async () => {
    const created = await server.call('POST', `/v1/other/triggers`, { body: body({ format: 'calendar', pattern: DAILY }) });
    const id = created.body.trigger_info.id;
    const member = await server.call('GET', `/v1/${P}/triggers/${id}`, { token: `alice:${P}` });
    expect(member.body).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow trigger:get to be performed." } });
    const admin = await server.call('GET', `/v1/${P}/triggers/${id}`);
    expect(admin.status).toBe(200);
  });

  it('lists triggers newest first with limit, marker, filters and next links', async () => {
    // Prepare
    const project = 'listproj';
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const res = await server.call('POST', `/v1/${project}/triggers`, {
        body: { trigger_info: { name, type: 'time', properties: { format: 'calendar', pattern: DAILY } } },
      });
      ids.push(res.body.trigger_info.id);
    }
    // Act
    const all = await server.call('GET', `/v1/${project}/triggers`);
    const page = await server.call('GET', `/v1/${project}/triggers?limit=2`);
    const next = await server.call('GET', `/v1/${project}/triggers?limit=2&marker=${ids[1]}`);
    const byName = await server.call('GET', `/v1/${project}/triggers?name=^b$`);
    const badMarker = await server.call('GET', `/v1/${project}/triggers?marker=${UNKNOWN}`);
    const badSort = await server.call('GET', `/v1/${project}/triggers?sort=created_at:up`);
    const byNameAsc = await server.call('GET', `/v1/${project}/triggers?sort=name:asc&limit=2`);
    const byNameNext = await server.call('GET', `/v1/${project}/triggers?sort=name:asc&limit=2&marker=${ids[1]}`);
    const allTenants = await server.call('GET', `/v1/${project}/triggers?all_tenants=1&limit=1000`);
    const memberAll = await server.call('GET', `/v1/${project}/triggers?all_tenants=1`, { token: `bob:${project}` });
    // Assess
    expect(all.body.triggers.map((t: { id: string }) => t.id)).toEqual([...ids].reverse());
    expect(all.body.triggers_links).toBeUndefined();
    expect(page.body.triggers.map((t: { id: string }) => t.id)).toEqual([ids[2], ids[1]]);
    expect(page.body.triggers_links[0].href).toMatch(new RegExp(`/v1/${project}/triggers\\?limit=2&marker=${ids[1]}$`));
    expect(next.body.triggers.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    expect(byName.body.triggers.map((t: { name: string }) => t.name)).toEqual(['b']);
    expect(badMarker.status).toBe(404);
    expect(badSort.status).toBe(400);
    expect(byNameAsc.body.triggers.map((t: { name: string }) => t.name)).toEqual(['a', 'b']);
    expect(byNameNext.body.triggers.map((t: { name: string }) => t.name)).toEqual(['c']);
    expect(allTenants.body.triggers.length).toBeGreaterThan(3);
    expect(allTenants.body.triggers.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(ids));
    expect(memberAll.body.triggers.map((t: { id: string }) => t.id)).toEqual([...ids].reverse());
  });
});

describe('triggers API: oversize input', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 400 to an oversize pattern or type, never a store failure', async () => {
    const pattern = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'crontab', pattern: 'x'.repeat(70000) }) });
    const type = await server.call('POST', `/v1/${P}/triggers`, { body: body({ format: 'crontab', pattern: '0 3 * * *' }, { type: 't'.repeat(300) }) });
    expect(pattern.status).toBe(400);
    expect(type.status).toBe(400);
  });

  it('answers 404 to a list marker too long to be a key, never a store failure', async () => {
    // Act
    const marker = 'x'.repeat(3000);
    const res = await Promise.all(['triggers', 'scheduled_operations', 'operation_logs'].map((c) => server.call('GET', `/v1/${P}/${c}?marker=${marker}`)));
    // Assess
    expect(res.map((r) => r.status)).toEqual([404, 404, 404]);
  });
});
