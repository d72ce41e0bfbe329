import { createSourceTable } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'proj1';

describe('local server over HTTP: pipeline, providers, protectables', () => {
  let server: TestServer;
  let table: string;
  beforeAll(async () => {
    server = await startTestServer();
    table = await createSourceTable('spine-src');
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('pipeline', () => {
    it('puts a request id and JSON content type on every response', async () => {
      for (const [method, path] of [
        ['GET', `/v1/${P}/providers`],
        ['GET', `/v1/${P}/nothing`],
        ['POST', `/v1/${P}/providers`],
      ]) {
        const res = await server.call(method, path);
        expect(res.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
        expect(res.headers.get('content-type')).toBe('application/json');
      }
    });

    it('answers GET / with 300 and the versions document', async () => {
      const res = await server.call('GET', '/', { token: null });
      expect(res.status).toBe(300);
      expect(res.body).toEqual({ versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${server.url}/v1/` }] }] });
    });

    it('answers GET /v1/ with the versions document', async () => {
      const res = await server.call('GET', '/v1/', { token: null });
      expect(res.status).toBe(200);
      expect(res.body.versions[0].id).toBe('v1.0');
    });

    it('answers a request without a token with the 204 login reply', async () => {
      // noauth's login reply is the pipeline's, not the operation's: docs/openapi.json documents the authenticated answers.
      const res = await server.call('GET', `/v1/${P}/plans`, { token: null, unchecked: true });
      expect(res.status).toBe(204);
      expect(res.headers.get('x-auth-token')).toBe('admin:admin');
      expect(res.headers.get('x-server-management-url')).toBe(`${server.url}/v1/${P}/plans/admin`);
      expect(res.text).toBe('');
    });

    it('answers an unknown path with a JSON 404 and a known path with another method with 405', async () => {
      const miss = await server.call('GET', `/v1/${P}/nosuchthing`);
      expect(miss.status).toBe(404);
      expect(miss.body).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
      const wrong = await server.call('DELETE', `/v1/${P}/providers/${NOOP}`);
      expect(wrong.status).toBe(405);
      expect(wrong.body).toEqual({ badMethod: { code: 405, message: 'The method DELETE is not allowed for this resource.' } });
    });

    it('refuses a URL project other than the token’s', async () => {
      const res = await server.call('GET', '/v1/other-project/providers', { token: `admin:${P}` });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        badRequest: { code: 400, message: `Malformed request url: the token is for project '${P}', not the URL's project 'other-project'.` },
      });
    });

    it('refuses a body over 10 MB with 413', async () => {
      const res = await server.call('POST', `/v1/${P}/providers`, {
        rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(413);
      expect(res.body.overLimit.code).toBe(413);
    });

    it('survives a path segment that cannot be decoded', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/%E0%A4%A`);
      expect(res.status).toBe(404);
    });
  });

  describe('providers', () => {
    it('lists the No-Op and AWS providers in id order', async () => {
      const res = await server.call('GET', `/v1/${P}/providers`);
      expect(res.status).toBe(200);
      expect(res.body.providers.map((p: { id: string }) => p.id)).toEqual([AWS, NOOP]);
      expect(res.body.providers_links).toBeUndefined();
    });

    it('adds a next link when the page is full, and the marker continues', async () => {
      const first = await server.call('GET', `/v1/${P}/providers?limit=1`);
      expect(first.body.providers_links).toEqual([{ rel: 'next', href: `${server.url}/v1/${P}/providers?limit=1&marker=${AWS}` }]);
      const second = await server.call('GET', `/v1/${P}/providers?limit=1&marker=${AWS}`);
      expect(second.body.providers.map((p: { id: string }) => p.id)).toEqual([NOOP]);
    });

    it('shows the No-Op provider as Karbor does', async () => {
      const res = await server.call('GET', `/v1/${P}/providers/${NOOP}`);
      expect(res.body.provider).toMatchObject({
        id: NOOP,
        name: 'No-Op Provider',
        description: 'This provider does nothing for each protect and restore operation. Used for testing',
      });
      // Karbor's three schema maps, and our verify_schema (docs/decisions.md, Verification).
      expect(Object.keys(res.body.provider.extended_info_schema)).toEqual(['options_schema', 'restore_schema', 'saved_info_schema', 'verify_schema']);
    });

    it.each([
      ['not-a-uuid', 400, { badRequest: { code: 400, message: 'Invalid provider id provided.' } }],
      [
        '9b1d0f4e-7a3c-4d2e-9f55-000000000001',
        404,
        { itemNotFound: { code: 404, message: 'Provider 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.' } },
      ],
    ])('answers provider %s with %i', async (id, status, body) => {
      const res = await server.call('GET', `/v1/${P}/providers/${id}`);
      expect(res.status).toBe(status);
      expect(res.body).toEqual(body);
    });

    it.each([
      ['limit=abc', 'limit param must be an integer'],
      ['sort=name:asc&sort_key=name', "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter."],
    ])('refuses ?%s with 400', async (query, message) => {
      const res = await server.call('GET', `/v1/${P}/providers?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toBe(message);
    });
  });

  describe('protectables', () => {
    it('lists the protectable types under Karbor’s singular key', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables`);
      expect(res.body.protectable_type.slice(0, 8)).toEqual([
        'OS::Trove::Instance',
        'OS::Glance::Image',
        'OS::Neutron::Network',
        'OS::Kubernetes::Pod',
        'OS::Keystone::Project',
        'OS::Nova::Server',
        'OS::Manila::Share',
        'OS::Cinder::Volume',
      ]);
    });

    it('shows a type with its dependent types, and refuses an unknown one', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/OS::Nova::Server`);
      expect(res.body).toEqual({ protectable_type: { name: 'OS::Nova::Server', dependent_types: ['OS::Glance::Image', 'OS::Cinder::Volume'] } });
      const bad = await server.call('GET', `/v1/${P}/protectables/OS::Foo::Bar`);
      expect(bad.status).toBe(400);
      expect(bad.body.badRequest.message).toBe('Invalid input received: Invalid protectable type provided.');
    });

    it('lists the project instance with the local tables but Karbor’s own as its dependents', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/OS::Keystone::Project/instances`);
      expect(res.body.instances).toHaveLength(1);
      expect(res.body.instances[0]).toMatchObject({ id: P, type: 'OS::Keystone::Project', name: null, extra_info: null });
      expect(res.body.instances[0].dependent_resources).toContainEqual({ id: table, type: 'AWS::DynamoDB::Table', name: table, extra_info: null });
      expect(res.body.instances[0].dependent_resources.map((r: { id: string }) => r.id)).not.toContain(server.tableName);
    });

    it('links the next page of instances on the real collection path', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/OS::Keystone::Project/instances?limit=1`);
      expect(res.body.instances_links).toEqual([
        { rel: 'next', href: `${server.url}/v1/${P}/protectables/OS::Keystone::Project/instances?limit=1&marker=${P}` },
      ]);
    });

    it('shows a DynamoDB table instance and 404s an unknown one and Karbor’s own alike', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/AWS::DynamoDB::Table/instances/${table}`);
      expect(res.status).toBe(200);
      expect(res.body.instance).toMatchObject({ id: table, type: 'AWS::DynamoDB::Table', dependent_resources: [] });
      const missing = await server.call('GET', `/v1/${P}/protectables/AWS::DynamoDB::Table/instances/nope-nope`);
      expect(missing.status).toBe(404);
      expect(missing.body.itemNotFound.message).toBe('The resource nope-nope of type AWS::DynamoDB::Table could not be found: no such table');
      const own = await server.call('GET', `/v1/${P}/protectables/AWS::DynamoDB::Table/instances/${server.tableName}`);
      expect(own.status).toBe(404);
      expect(own.body.itemNotFound.message).toBe(`The resource ${server.tableName} of type AWS::DynamoDB::Table could not be found: no such table`);
    });

    it('answers an OS instance with no inventory with 404, never 500', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/OS::Nova::Server/instances/9b1d0f4e-7a3c-4d2e-9f55-000000000001`);
      expect(res.status).toBe(404);
    });

    it('refuses parameters that are not a dict', async () => {
      const res = await server.call('GET', `/v1/${P}/protectables/OS::Keystone::Project/instances?parameters=abc`);
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toBe('Invalid input received: The parameters must be a dict.');
    });
  });
});
