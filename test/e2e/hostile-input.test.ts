import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../support/local-server';
import { waitFor } from '../support/wait';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const P = 'hostile';

/** Inputs that once answered 500 (or stored what no read could serve) get a Karbor fault and a 4xx. */
describe('hostile input over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  const planBody = (extra: unknown) => ({
    plan: { name: 'p', provider_id: NOOP, parameters: {}, resources: [{ id: P, type: 'OS::Keystone::Project', name: P, extra_info: extra }] },
  });

  it('refuses a 10,000-level body on every body route, a member on an admin route too (the body is read first, as in Karbor)', async () => {
    // Prepare
    const deep = `{"plan": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    // Act
    const plan = await server.call('POST', `/v1/${P}/plans`, { rawBody: deep, headers: { 'Content-Type': 'application/json' } });
    const member = await server.call('PUT', `/v1/${P}/os-services/2`, { token: `alice:${P}`, rawBody: deep, headers: { 'Content-Type': 'application/json' } });
    const memberSchema = await server.call('PUT', `/v1/${P}/os-services/2`, { token: `alice:${P}`, body: { plan: [] } });
    // Assess
    const tooDeep = [400, { badRequest: { code: 400, message: 'Request body is nested deeper than 32 levels.' } }];
    expect([plan.status, plan.body]).toEqual(tooDeep);
    expect([member.status, member.body]).toEqual(tooDeep);
    // The policy still comes before the body schema.
    expect([memberSchema.status, memberSchema.body]).toEqual([
      403,
      { forbidden: { code: 403, message: "Policy doesn't allow service:update to be performed." } },
    ]);
  });

  it('stores no plan whose extra_info nests too deep, and the project list still answers', async () => {
    // Prepare: written out, as no JSON.stringify reaches that depth
    const nested = `${'{"a": '.repeat(4_110)}"x"${'}'.repeat(4_110)}`;
    const raw = JSON.stringify(planBody('NESTED')).replace('"NESTED"', nested);
    // Act
    const create = await server.call('POST', `/v1/${P}/plans`, { rawBody: raw, headers: { 'Content-Type': 'application/json' } });
    const list = await server.call('GET', `/v1/${P}/plans`);
    // Assess
    expect(create.status).toBe(400);
    expect(list.status).toBe(200);
    expect(list.body.plans).toEqual([]);
  });

  it('refuses an integer beyond 2^53 instead of rounding it', async () => {
    const res = await server.call('POST', `/v1/${P}/plans`, {
      rawBody: JSON.stringify(planBody({ n: 1 })).replace('"n":1', '"n":12345678901234567890'),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toMatch(/integer beyond 2\^53/);
  });

  it('refuses a __proto__ key in stored parameters with 400 (it once reached DynamoDB and answered 500)', async () => {
    // Prepare: found by the fuzzer (test/fuzz); an unknown checkpoint still stores a failed restore with its parameters
    const raw = JSON.stringify({
      restore: { provider_id: NOOP, checkpoint_id: '9b1d0f4e-7a3c-4d2e-9f55-000000000009', parameters: { 'OS::Nova::Server': { x: 1, PROTO: false } } },
    });
    // Act
    const res = await server.call('POST', `/v1/${P}/restores`, { rawBody: raw.replace('PROTO', '__proto__'), headers: { 'Content-Type': 'application/json' } });
    // Assess
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ badRequest: { code: 400, message: "Request body holds the key '__proto__', which cannot be stored." } });
  });

  it('answers a 3,000-character plan marker as an unknown one (404), not with a DynamoDB key-size 500', async () => {
    // Found by the fuzzer (test/fuzz).
    const marker = 'x'.repeat(3_000);
    const res = await server.call('GET', `/v1/${P}/plans?marker=${marker}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ itemNotFound: { code: 404, message: `Plan ${marker} could not be found.` } });
  });

  it('refuses a body over 1 MB with 413 without echoing it', async () => {
    const res = await server.call('POST', `/v1/${P}/plans`, { rawBody: `[${'[],'.repeat(400_000)}[]]`, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.text.length).toBeLessThan(200);
  });

  it('refuses a project id longer than any project id with 400', async () => {
    const long = 'p'.repeat(2_100);
    const res = await server.call('GET', `/v1/${long}/plans`, { token: `admin:${long}` });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } });
  });

  it('answers the largest offset on restores and verifications without a 500', async () => {
    for (const path of ['restores', 'verifications']) {
      const res = await server.call('GET', `/v1/${P}/${path}?offset=2147483647`);
      expect(res.status).toBe(200);
      expect(res.body[path]).toEqual([]);
    }
  });

  it('refuses a 450 KB disabled_reason with 400', async () => {
    const res = await server.call('PUT', `/v1/${P}/os-services/2`, { body: { status: 'disabled', disabled_reason: 'r'.repeat(450_000) } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toBe('disabled_reason must be at most 255 characters.');
  });

  describe('regex filters that would backtrack for seconds', () => {
    const R = 'hostile-re';
    const evil = `${'a'.repeat(28)}!`;
    const slow = ['(a|a)*$', '(a|aa)+$', 'a*a*a*a*a*a*a*$'];
    beforeAll(async () => {
      const plan = await server.call('POST', `/v1/${R}/plans`, {
        body: { plan: { name: evil, provider_id: NOOP, parameters: {}, resources: [{ id: R, type: 'OS::Keystone::Project', name: R }] } },
      });
      const trigger = await server.call('POST', `/v1/${R}/triggers`, {
        body: { trigger_info: { name: evil, type: 'time', properties: { format: 'calendar', pattern: 'BEGIN:VEVENT\nRRULE:FREQ=DAILY\nEND:VEVENT' } } },
      });
      const op = await server.call('POST', `/v1/${R}/scheduled_operations`, {
        body: {
          scheduled_operation: {
            name: evil,
            operation_type: 'protect',
            trigger_id: trigger.body.trigger_info.id,
            operation_definition: { provider_id: NOOP, plan_id: plan.body.plan.id },
          },
        },
      });
      expect([plan.status, trigger.status, op.status]).toEqual([200, 200, 200]);
    });

    it.each(['plans', 'triggers', 'scheduled_operations'])('answers each on %s, while a plain request is answered too', async (path) => {
      // Act: the three patterns at once, next to a request without a filter
      const [plain, ...filtered] = await Promise.all([
        server.call('GET', `/v1/${R}/${path}`),
        ...slow.map((p) => server.call('GET', `/v1/${R}/${path}?name=${encodeURIComponent(p)}`)),
      ]);
      // Assess: `(a|a)*$` and `a*...$` match the empty end of any name; `(a|aa)+$` needs an `a` last
      const key = path === 'scheduled_operations' ? 'operations' : path;
      expect(plain.status).toBe(200);
      expect(filtered.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(filtered.map((r) => r.body[key].length)).toEqual([1, 0, 1]);
    });

    it('refuses a backreference or lookaround with a 400 that names RE2', async () => {
      const back = await server.call('GET', `/v1/${R}/plans?name=${encodeURIComponent('(a)\\1')}`);
      const ahead = await server.call('GET', `/v1/${R}/triggers?name=${encodeURIComponent('a(?=!)')}`);
      const behind = await server.call('GET', `/v1/${R}/scheduled_operations?operation_definition=${encodeURIComponent('(?<=a)b')}`);
      for (const res of [back, ahead, behind]) {
        expect(res.status).toBe(400);
        expect(res.body.badRequest.message).toMatch(/is not a valid RE2 regular expression/);
      }
    });
  });

  it.each([
    ['FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=29', 'less than 3600', undefined],
    ['FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=3', 'less than 3600', undefined],
    ['FREQ=SECONDLY;BYYEARDAY=366', 'less than 3600', undefined],
    // From an even hour, every second hour is never 3 o'clock (from an odd one it is daily, and valid).
    ['FREQ=HOURLY;INTERVAL=2;BYHOUR=3', 'Can not find the first run time', '2026-01-01 00:00:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=31;BYSETPOS=2', 'Can not find the first run time', undefined],
    ['FREQ=SECONDLY;INTERVAL=7;BYSECOND=0;BYMINUTE=0', 'too much work', undefined],
  ])('refuses the calendar rule %s with a 400 saying why', async (rule, message, startTime) => {
    const properties = { format: 'calendar', pattern: `BEGIN:VEVENT\nRRULE:${rule}\nEND:VEVENT`, ...(startTime ? { start_time: startTime } : {}) };
    const res = await server.call('POST', `/v1/${P}/triggers`, { body: { trigger_info: { name: 't', type: 'time', properties } } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toContain(message);
  });

  it('accepts an hourly rule written SECONDLY with a start_time years ago', async () => {
    const res = await server.call('POST', `/v1/${P}/triggers`, {
      body: {
        trigger_info: {
          name: 'hourly',
          type: 'time',
          properties: { format: 'calendar', pattern: 'BEGIN:VEVENT\nRRULE:FREQ=SECONDLY;BYMINUTE=0;BYSECOND=0\nEND:VEVENT', start_time: '2000-01-01 00:00:00' },
        },
      },
    });
    expect(res.status).toBe(200);
    await server.call('DELETE', `/v1/${P}/triggers/${res.body.trigger_info.id}`);
  });

  it("answers another project's checkpoint id as a marker exactly as an unknown one (404)", async () => {
    // Prepare: a checkpoint of project A
    const plan = await server.call('POST', '/v1/hostile-a/plans', {
      body: { plan: { name: 'a', provider_id: NOOP, parameters: {}, resources: [{ id: 'hostile-a', type: 'OS::Keystone::Project', name: 'hostile-a' }] } },
    });
    const cp = await server.call('POST', `/v1/hostile-a/providers/${NOOP}/checkpoints`, { body: { checkpoint: { plan_id: plan.body.plan.id } } });
    // Act: a member of project B pages after it, and after an unknown id
    const foreign = await server.call('GET', `/v1/hostile-b/providers/${NOOP}/checkpoints?marker=${cp.body.checkpoint.id}`, { token: 'bob:hostile-b' });
    const unknown = await server.call('GET', `/v1/hostile-b/providers/${NOOP}/checkpoints?marker=9b1d0f4e-7a3c-4d2e-9f55-000000000009`, {
      token: 'bob:hostile-b',
    });
    // No job may outlive the test's server.
    await waitFor(
      async () => (await server.call('GET', `/v1/hostile-a/providers/${NOOP}/checkpoints/${cp.body.checkpoint.id}`)).body.checkpoint.status,
      (s) => s !== 'protecting',
    );
    // Assess
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body.itemNotFound.message).toBe(`Checkpoint ${cp.body.checkpoint.id} could not be found.`);
  });
});

/** Sends raw bytes to the local server and returns what comes back. */
const rawRequest = (url: string, request: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => socket.end(request));
    let out = '';
    socket.on('data', (d) => {
      out += d.toString();
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });

describe('malformed HTTP on the local server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([
    ['17 KB of headers', `GET /v1/p/plans HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:p\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431],
    ['a bad Transfer-Encoding', 'POST /v1/p/plans HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['a request target that is no URL', 'GET http://[/v1 HTTP/1.1\r\nHost: x\r\nX-Auth-Token: admin:p\r\n\r\n', 400],
  ])('answers %s with a Karbor fault and a 4xx, and goes on answering', async (_what, request, status) => {
    // Act
    const reply = await rawRequest(server.url, request);
    const after = await server.call('GET', '/v1/p/providers');
    // Assess
    expect(reply).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    const body = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
    expect(Object.values(body)[0]).toMatchObject({ code: status, message: expect.any(String) });
    expect(after.status).toBe(200);
  });
});
