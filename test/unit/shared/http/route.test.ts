import * as z from 'zod';
import { InvalidInputError, NotFoundError } from '../../../../shared/kernel/errors';
import { route } from '../../../../shared/http/route';
import { karborCheck } from '../../../../shared/http/validation';
import { context, httpEvent } from '../../../support/events';

/** A route table entry that exists (providers.show) used with test schemas and actions. */
const body = z.strictObject({
  plan: z.strictObject({
    name: z.string().max(255),
    provider_id: z.string().refine(...karborCheck((v: string) => v.startsWith('b'), 'Invalid provider id provided.')),
  }),
});

const echo = route('providers.show', { body }, async ({ body: b, identity }) => ({ got: b, user: identity.userId }));
const boom = route('providers.show', {}, async () => {
  throw new Error('secret detail');
});
const missing = route('providers.show', {}, async () => {
  throw new NotFoundError('Plan x could not be found.');
});

const call = async (handler: typeof echo, ...args: Parameters<typeof httpEvent>) => {
  const res = await handler(httpEvent(...args), context());
  return { ...res, json: res.body ? JSON.parse(res.body) : undefined };
};

describe('route() handler factory', () => {
  const url = '/v1/p1/providers/b766f37c-d011-4026-8228-28730d734a3f';

  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('returns the action’s result as JSON with a request id', async () => {
    // Act
    const res = await call(echo, 'GET', url, { token: 'alice:p1', body: '{"plan":{"name":"n","provider_id":"b1"}}' });
    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.headers['X-Openstack-Request-Id']).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(res.json).toEqual({ got: { plan: { name: 'n', provider_id: 'b1' } }, user: 'alice' });
  });

  it('answers a request without a token with Karbor’s 204 login reply', async () => {
    const res = await call(echo, 'GET', url, { token: null, headers: { 'x-auth-user': 'bob', 'x-auth-project-id': 'p9' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['X-Auth-Token']).toBe('bob:p9');
    expect(res.headers['X-Server-Management-Url']).toBe(`http://127.0.0.1:8799${url}/p9`);
    expect(res.headers['X-Openstack-Request-Id']).toMatch(/^req-/);
  });

  it('refuses a URL project other than the token’s, admins included, saying whose project each is (400)', async () => {
    const res = await call(echo, 'GET', url, { token: 'admin:p2', body: '{}' });
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({
      badRequest: { code: 400, message: "Malformed request url: the token is for project 'p2', not the URL's project 'p1'." },
    });
  });

  describe('the order of the faults (contract §1.2: body JSON, project, then the policy before the body schema)', () => {
    const servicesUrl = '/v1/p1/os-services/3f1c5c6e-0c1f-4a55-9a64-5b7d0c8b1c2e';
    const adminOnly = route('services.update', { body: z.strictObject({ status: z.string() }) }, async () => ({ updated: true }));
    const mismatch = "Malformed request url: the token is for project 'p2', not the URL's project 'p1'.";

    it.each([
      ['a member with a foreign token: the project first', 'bob:p2', '{"status": "enabled"}', 400, mismatch],
      ['a member with a foreign token and a bad body schema', 'bob:p2', '{"x": 1}', 400, mismatch],
      ['a member with a foreign token and unparseable JSON: the body first', 'bob:p2', '{"status"', 400, 'Malformed request body'],
      ['a member of the project: the policy', 'bob:p1', '{"status": "enabled"}', 403, "Policy doesn't allow service:update to be performed."],
      ['a member of the project with a bad body schema: the policy first', 'bob:p1', '{"x": 1}', 403, "Policy doesn't allow service:update to be performed."],
      ['an admin with a foreign token', 'admin:p2', '{"status": "enabled"}', 400, mismatch],
      ['an admin of the project with a bad body schema', 'admin:p1', '{"x": 1}', 400, "'status' is a required property"],
    ])('%s (%s, body %s)', async (_case, token, raw, status, message) => {
      const res = await call(adminOnly, 'PUT', servicesUrl, { token, body: raw });
      expect(res.json).toEqual({ [status === 400 ? 'badRequest' : 'forbidden']: { code: status, message } });
    });

    it('runs the action for an admin of the project', async () => {
      const res = await call(adminOnly, 'PUT', servicesUrl, { token: 'admin:p1', body: '{"status": "enabled"}' });
      expect([res.statusCode, res.json]).toEqual([200, { updated: true }]);
    });

    it('answers a project id longer than any project id as the plain URL fault, even when the token names it', async () => {
      const long = 'p'.repeat(256);
      const res = await call(echo, 'GET', url.replace('/p1/', `/${long}/`), { token: `admin:${long}`, body: '{}' });
      expect(res.json).toEqual({ badRequest: { code: 400, message: 'Malformed request url' } });
    });
  });

  it.each([
    ['{"plan": {', 'application/json', 'Malformed request body'],
    ['{"plan": {}}', 'text/plain', 'Unsupported Content-Type'],
  ])('answers body %s as %s with 400 %s', async (raw, type, message) => {
    const res = await call(echo, 'POST', url, { body: raw, headers: { 'content-type': type } });
    expect(res.statusCode).toBe(400);
    expect(res.json.badRequest.message).toBe(message);
  });

  it('answers a missing body on an action that needs one with 400', async () => {
    const res = await call(echo, 'POST', url);
    expect(res.json).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } });
  });

  it.each([
    ['{}', "'plan' is a required property"],
    ['{"plan": {"name": "n", "provider_id": "b"}, "type": "x"}', "Additional properties are not allowed ('type' was unexpected)"],
    ['{"plan": {"provider_id": "b"}}', "Invalid input for field/attribute plan. Value: {'provider_id': 'b'}. 'name' is a required property"],
    ['{"plan": {"name": 5, "provider_id": "b"}}', "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'"],
    [
      `{"plan": {"name": "${'x'.repeat(256)}", "provider_id": "b"}}`,
      `Invalid input for field/attribute name. Value: ${'x'.repeat(256)}. '${'x'.repeat(256)}' is too long`,
    ],
    ['{"plan": {"name": "n", "provider_id": "zzz"}}', 'Invalid provider id provided.'],
  ])('answers body %s with 400 "%s"', async (raw, message) => {
    const res = await call(echo, 'POST', url, { body: raw });
    expect(res.statusCode).toBe(400);
    expect(res.json).toEqual({ badRequest: { code: 400, message } });
  });

  it('maps a domain error to its Karbor fault', async () => {
    const res = await call(missing, 'GET', url);
    expect(res.statusCode).toBe(404);
    expect(res.json).toEqual({ itemNotFound: { code: 404, message: 'Plan x could not be found.' } });
  });

  it('hides an unexpected error behind a fixed 500 and logs it', async () => {
    // Prepare
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    // Act
    const res = await call(boom, 'GET', url);
    // Assess
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({
      computeFault: { code: 500, message: 'The server has either erred or is incapable of performing the requested operation.' },
    });
    expect(res.body).not.toContain('secret detail');
    expect(String(log.mock.calls[0][0])).toContain('secret detail');
  });

  it('keeps an InvalidInputError thrown by the action a 400', async () => {
    const bad = route('providers.show', {}, async () => {
      throw new InvalidInputError('Invalid plan id provided.');
    });
    const res = await call(bad, 'GET', url);
    expect(res.json).toEqual({ badRequest: { code: 400, message: 'Invalid plan id provided.' } });
  });
});
