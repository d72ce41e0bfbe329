import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { planKey } from '../../shared/features/plans/transact';
import { createSourceTable, testClients } from '../support/dynamo';
import { startTestServer, type TestServer } from '../support/local-server';

const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const AWS = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const UNKNOWN = '9b1d0f4e-7a3c-4d2e-9f55-000000000001';
const P = 'plansproj';
const VM = { id: '11111111-2222-3333-4444-555555555555', type: 'OS::Nova::Server', name: 'vm1' };
const VOL = { id: '66666666-7777-8888-9999-000000000000', type: 'OS::Cinder::Volume', name: 'vol1', extra_info: { availability_zone: 'az1' } };

const planBody = (over: Record<string, unknown> = {}) => ({
  plan: { name: 'plan A', description: 'first plan', provider_id: NOOP, resources: [VM, VOL], parameters: {}, ...over },
});

describe('plans API over HTTP', () => {
  let server: TestServer;
  let table: string;
  const created = async (project = P, over: Record<string, unknown> = {}, token?: string) => {
    const res = await server.call('POST', `/v1/${project}/plans`, { body: planBody(over), ...(token ? { token } : {}) });
    expect(res.status).toBe(200);
    return res.body.plan as { id: string; [k: string]: unknown };
  };

  beforeAll(async () => {
    server = await startTestServer();
    table = await createSourceTable('plans-src');
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('POST /plans', () => {
    it('creates a suspended plan and answers Karbor’s view with key order and extra_info objects', async () => {
      // Act
      const res = await server.call('POST', `/v1/${P}/plans`, { body: planBody() });
      // Assess
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      // Karbor's keys in its order, then the compliance extension (docs/decisions.md §20).
      expect(Object.keys(res.body.plan)).toEqual([
        'id',
        'name',
        'description',
        'resources',
        'provider_id',
        'status',
        'parameters',
        'compliance',
        'destinations',
      ]);
      expect(res.body.plan).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'plan A',
        description: 'first plan',
        resources: [
          { id: VM.id, name: 'vm1', type: 'OS::Nova::Server' },
          { id: VOL.id, name: 'vol1', type: 'OS::Cinder::Volume', extra_info: { availability_zone: 'az1' } },
        ],
        provider_id: NOOP,
        status: 'suspended',
        parameters: {},
        compliance: { status: 'unprotected', last_good_checkpoint_at: null, expected_interval_seconds: null, late_since: null, last_verified_at: null },
        destinations: [],
      });
      expect(Object.keys(res.body.plan.resources[1])).toEqual(['id', 'name', 'type', 'extra_info']);
    });

    it('keeps an empty extra_info as {} and drops unknown resource keys', async () => {
      const res = await server.call('POST', `/v1/${P}/plans`, {
        body: planBody({ description: null, resources: [{ id: 'x', type: 'OS::Nova::Server', name: 'n', extra_info: {}, foo: 1 }] }),
      });
      expect(res.status).toBe(200);
      expect(res.body.plan.description).toBeNull();
      expect(res.body.plan.resources).toEqual([{ id: 'x', name: 'n', type: 'OS::Nova::Server', extra_info: {} }]);
    });

    it('coerces parameter values to strings for a provider whose schema allows them', async () => {
      const res = await server.call('POST', `/v1/${P}/plans`, {
        body: planBody({
          provider_id: AWS,
          resources: [{ id: table, type: 'AWS::DynamoDB::Table', name: table }],
          parameters: { 'AWS::EC2::Instance': { no_reboot: false, image_name: 'img' }, [`AWS::EC2::Instance#${VM.id}`]: { image_name: 5 } },
        }),
      });
      expect(res.status).toBe(200);
      expect(res.body.plan.parameters).toEqual({
        'AWS::EC2::Instance': { no_reboot: 'False', image_name: 'img' },
        [`AWS::EC2::Instance#${VM.id}`]: { image_name: '5' },
      });
    });

    it.each([
      ['empty resources', { resources: [] }, 'Invalid input received: list resources must be provided when creating a plan.'],
      ['missing resources', { resources: undefined }, 'Invalid input received: list resources must be provided when creating a plan.'],
      [
        'a resource without name',
        { resources: [{ id: 'a', type: 'b' }] },
        'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.',
      ],
      ['an unknown provider', { provider_id: UNKNOWN }, 'The provider could not be found.'],
      ['a provider id that is not a uuid', { provider_id: 'abc' }, "Invalid input for field/attribute provider_id. Value: abc. 'abc' is not a 'uuid'"],
      ['an empty name', { name: '' }, "An invalid 'name' value was provided. The 'name' can not be None."],
      ['a missing name', { name: undefined }, "An invalid 'name' value was provided. The 'name' can not be None."],
      ['a blank name', { name: '   ' }, "An invalid 'name' value was provided. The 'name' can not be empty."],
      ['a parameters key that is not a type', { parameters: { 'OS::Foo::Bar': {} } }, 'The key of plan parameters is invalid.'],
      ['a parameters key with a bad resource id', { parameters: { 'OS::Nova::Server#abc': {} } }, 'The resource_id must be a uuid.'],
      ['a parameters key with two #', { parameters: { [`OS::Nova::Server#${VM.id}#x`]: {} } }, 'The key of plan parameters is invalid.'],
      ['a property the No-Op schema does not allow', { parameters: { 'OS::Nova::Server': { x: 1 } } }, 'The protect property of plan parameters is invalid.'],
      [
        'a property the AWS schema does not allow',
        { provider_id: AWS, parameters: { 'AWS::EC2::Volume': { nope: 'x' } } },
        'The protect property of plan parameters is invalid.',
      ],
    ])('answers 400 for %s', async (_case, over, message) => {
      // Act
      const res = await server.call('POST', `/v1/${P}/plans`, { body: planBody(over) });
      // Assess
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    });

    it('refuses what the provider has no plugin for and what the project cannot see, naming it (Tenant scoping)', async () => {
      // Act
      const unknownType = await server.call('POST', `/v1/${P}/plans`, { body: planBody({ resources: [{ id: 'x', type: 't', name: 'n' }] }) });
      const wrongProvider = await server.call('POST', `/v1/${P}/plans`, { body: planBody({ provider_id: AWS }) });
      const own = await server.call('POST', `/v1/${P}/plans`, {
        body: planBody({ provider_id: AWS, resources: [{ id: server.tableName, type: 'AWS::DynamoDB::Table', name: 'karbor' }] }),
      });
      const noEc2Here = await server.call('POST', `/v1/${P}/plans`, {
        body: planBody({ provider_id: AWS, resources: [{ id: 'i-1', type: 'AWS::EC2::Instance', name: 'web' }] }),
      });
      const otherProject = await server.call('POST', `/v1/${P}/plans`, {
        body: planBody({ resources: [{ id: 'elsewhere', type: 'OS::Keystone::Project', name: 'e' }] }),
      });
      // Assess
      expect(unknownType.body.badRequest.message).toBe('Invalid input received: The provider No-Op Provider has no protection plugin for resource type t.');
      expect(wrongProvider.body.badRequest.message).toBe(
        'Invalid input received: The provider AWS Provider has no protection plugin for resource type OS::Nova::Server.',
      );
      expect(own.body.badRequest.message).toBe(
        `Invalid input received: The resource ${server.tableName} of type AWS::DynamoDB::Table could not be found in project ${P}: no such table.`,
      );
      expect(noEc2Here.body.badRequest.message).toMatch(
        /The resource i-1 of type AWS::EC2::Instance could not be found in project plansproj: no AWS::EC2::Instance inventory/,
      );
      expect(otherProject.status).toBe(400);
      expect(otherProject.body.badRequest.message).toContain('The resource elsewhere of type OS::Keystone::Project');
    });

    it('accepts an empty parameters object for a No-Op type (Karbor crashes on it)', async () => {
      const res = await server.call('POST', `/v1/${P}/plans`, { body: planBody({ parameters: { 'OS::Nova::Server': {}, 'OS::Cinder::Volume': null } }) });
      expect(res.status).toBe(200);
      expect(res.body.plan.parameters).toEqual({ 'OS::Nova::Server': {}, 'OS::Cinder::Volume': null });
    });

    it.each([
      [
        'an unknown key in the plan',
        { plan: { ...planBody().plan, foo: 1 } },
        /^Invalid input for field\/attribute plan\. Value: \{'name': 'plan A', .*\}\. Additional properties are not allowed \('foo' was unexpected\)$/,
      ],
      ['a top-level type key', { ...planBody(), type: 'x' }, /^Additional properties are not allowed \('type' was unexpected\)$/],
      ['no envelope', { name: 'p' }, /^'plan' is a required property$/],
      ['missing parameters', { plan: { name: 'p', provider_id: NOOP, resources: [VM] } }, /'parameters' is a required property$/],
      ['a tab in the description', planBody({ description: 'a\tb' }), /^Invalid input for field\/attribute description\./],
      ['a name over 255 characters', planBody({ name: 'n'.repeat(256) }), /^Invalid input for field\/attribute name\. .* is too long$/],
      ['a bad parameters key', planBody({ parameters: { 'bad/key': {} } }), /^Invalid input for field\/attribute parameters\..*Additional properties/],
      ['a nested parameter value', planBody({ parameters: { 'OS::Nova::Server': { a: { b: 1 } } } }), /^Invalid input for field\/attribute a\./],
      ['resources that are not objects', planBody({ resources: ['x'] }), /^Invalid input for field\/attribute 0\. Value: x\./],
    ])('answers 400 for %s (schema)', async (_case, body, message) => {
      const res = await server.call('POST', `/v1/${P}/plans`, { body });
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toMatch(message);
    });

    it('answers 400 for a missing body and for malformed JSON, never 500', async () => {
      const none = await server.call('POST', `/v1/${P}/plans`);
      const bad = await server.call('POST', `/v1/${P}/plans`, { rawBody: '{"plan": {', headers: { 'Content-Type': 'application/json' } });
      expect(none.status).toBe(400);
      expect(none.body).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } });
    });

    it('answers 413 when the plan would not fit in one DynamoDB item, and stores nothing', async () => {
      // Prepare
      const project = 'bigproj';
      const resources = Array.from({ length: 400 }, (_, i) => ({
        id: `r${i}`,
        type: 'OS::Nova::Server',
        name: 'x'.repeat(200),
        extra_info: { blob: 'y'.repeat(1000) },
      }));
      // Act
      const res = await server.call('POST', `/v1/${project}/plans`, { body: planBody({ resources }) });
      const list = await server.call('GET', `/v1/${project}/plans`);
      // Assess
      expect(res.status).toBe(413);
      expect(res.body.overLimit.message).toMatch(/^The plan is too large to store/);
      expect(list.body.plans).toEqual([]);
    });

    it('answers 413 overLimit when the project’s plan quota is used up', async () => {
      // Prepare: the project's own limit (the runtime's settings are fixed once it has started).
      const project = 'quotaproj';
      expect((await server.call('PUT', `/v1/${project}/quotas/${project}`, { body: { quota: { plans: 2 } } })).status).toBe(200);
      await created(project);
      const second = await created(project);
      // Act
      const over = await server.call('POST', `/v1/${project}/plans`, { body: planBody() });
      await server.call('DELETE', `/v1/${project}/plans/${second.id}`);
      const again = await server.call('POST', `/v1/${project}/plans`, { body: planBody() });
      // Assess
      expect(over.status).toBe(413);
      expect(over.headers.get('retry-after')).toBe('0');
      expect(over.body).toEqual({ overLimit: { code: 413, message: 'Maximum number of plans allowed (2) exceeded', retryAfter: '0' } });
      expect(again.status).toBe(200);
    });
  });

  describe('GET /plans/{id}', () => {
    it('shows a plan as it was created', async () => {
      const plan = await created();
      const res = await server.call('GET', `/v1/${P}/plans/${plan.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ plan });
    });

    it('answers 400 for an id that is not uuid-like and 404 for an unknown one', async () => {
      const bad = await server.call('GET', `/v1/${P}/plans/not-a-uuid`);
      const unknown = await server.call('GET', `/v1/${P}/plans/${UNKNOWN}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ badRequest: { code: 400, message: 'Invalid plan id provided.' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ itemNotFound: { code: 404, message: `Plan ${UNKNOWN} could not be found.` } });
    });

    it('hides another project’s plan from a member (404) but not from an admin', async () => {
      // Prepare
      const plan = await created('otherproj');
      // Act
      const member = await server.call('GET', `/v1/${P}/plans/${plan.id}`, { token: `alice:${P}` });
      const admin = await server.call('GET', `/v1/${P}/plans/${plan.id}`, { token: `admin:${P}` });
      // Assess
      expect(member.status).toBe(404);
      expect(member.body.itemNotFound.message).toBe(`Plan ${plan.id} could not be found.`);
      expect(admin.status).toBe(200);
    });

    it('answers 400 Malformed request url, naming both projects, for another project in the URL', async () => {
      const res = await server.call('GET', `/v1/otherproj/plans/${UNKNOWN}`, { token: `alice:${P}` });
      expect(res.status).toBe(400);
      expect(res.body.badRequest.message).toBe(`Malformed request url: the token is for project '${P}', not the URL's project 'otherproj'.`);
    });
  });

  describe('PUT /plans/{id}', () => {
    it('renames, re-describes and replaces the resources of a suspended plan', async () => {
      // Prepare
      const plan = await created();
      // Act
      const res = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, {
        body: { plan: { name: 'plan A2', description: 'second', resources: [{ id: 'z', type: 'OS::Glance::Image', name: 'img', extra_info: { k: 'v' } }] } },
      });
      const shown = await server.call('GET', `/v1/${P}/plans/${plan.id}`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.body.plan).toEqual({
        ...plan,
        name: 'plan A2',
        description: 'second',
        resources: [{ id: 'z', name: 'img', type: 'OS::Glance::Image', extra_info: { k: 'v' } }],
      });
      expect(shown.body).toEqual(res.body);
    });

    it('clears the resources with an empty list', async () => {
      const plan = await created();
      const res = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { resources: [] } } });
      expect(res.status).toBe(200);
      expect(res.body.plan.resources).toEqual([]);
    });

    it('starts a plan, then refuses anything but a status change until it is suspended again', async () => {
      // Prepare
      const plan = await created();
      // Act
      const started = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { name: 'plan A2', status: 'started' } } });
      const rename = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { name: 'again' } } });
      const suspended = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { status: 'suspended' } } });
      const renamed = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { name: 'again' } } });
      // Assess
      expect(started.status).toBe(200);
      expect(started.body.plan).toMatchObject({ name: 'plan A2', status: 'started' });
      expect(rename.status).toBe(400);
      expect(rename.body).toEqual({ badRequest: { code: 400, message: 'Invalid plan: The plan can be only updated in suspended status.' } });
      expect(suspended.status).toBe(200);
      expect(suspended.body.plan.status).toBe('suspended');
      expect(renamed.body.plan.name).toBe('again');
    });

    it.each([
      ['nothing to update', { plan: {} }, 'Missing updated parameters in request body.'],
      [
        'provider_id',
        { plan: { provider_id: NOOP } },
        `Invalid input for field/attribute plan. Value: {'provider_id': '${NOOP}'}. Additional properties are not allowed ('provider_id' was unexpected)`,
      ],
      [
        'an unknown status',
        { plan: { status: 'running' } },
        "Invalid input for field/attribute status. Value: running. 'running' is not one of ['suspended', 'started']",
      ],
      ['a null name', { plan: { name: null } }, "An invalid 'name' value was provided. The 'name' can not be None."],
      [
        'a malformed resource',
        { plan: { resources: [{ id: 'a' }] } },
        'Invalid input received: Resource in list must be a dict when creating a plan.The keys of resource are id,type and name.',
      ],
    ])('answers 400 for %s', async (_case, body, message) => {
      const plan = await created();
      const res = await server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    });

    it('answers 400 for a bad id, 404 for an unknown id and for a member of another project', async () => {
      const other = await created('otherproj');
      const bad = await server.call('PUT', `/v1/${P}/plans/nope`, { body: { plan: { name: 'x' } } });
      const unknown = await server.call('PUT', `/v1/${P}/plans/${UNKNOWN}`, { body: { plan: { name: 'x' } } });
      const foreign = await server.call('PUT', `/v1/${P}/plans/${other.id}`, { body: { plan: { name: 'x' } }, token: `bob:${P}` });
      expect(bad.status).toBe(400);
      expect(bad.body.badRequest.message).toBe('Invalid plan id provided.');
      expect(unknown.status).toBe(404);
      expect(unknown.body.itemNotFound.message).toBe(`Plan ${UNKNOWN} could not be found.`);
      expect(foreign.status).toBe(404);
    });

    it('applies two concurrent updates of different fields without losing either', async () => {
      // Prepare
      const plan = await created();
      // Act
      const [a, b] = await Promise.all([
        server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { name: 'renamed' } } }),
        server.call('PUT', `/v1/${P}/plans/${plan.id}`, { body: { plan: { description: 'redescribed' } } }),
      ]);
      const shown = await server.call('GET', `/v1/${P}/plans/${plan.id}`);
      // Assess
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(shown.body.plan).toMatchObject({ name: 'renamed', description: 'redescribed' });
    });
  });

  describe('DELETE /plans/{id}', () => {
    it('deletes with an empty 200 body, then the plan is gone from show, list and a second delete', async () => {
      // Prepare
      const project = 'delproj';
      const plan = await created(project);
      // Act
      const res = await server.call('DELETE', `/v1/${project}/plans/${plan.id}`);
      const show = await server.call('GET', `/v1/${project}/plans/${plan.id}`);
      const list = await server.call('GET', `/v1/${project}/plans`);
      const again = await server.call('DELETE', `/v1/${project}/plans/${plan.id}`);
      // Assess
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(show.status).toBe(404);
      expect(list.body.plans).toEqual([]);
      expect(again.status).toBe(404);
      expect(again.body.itemNotFound.message).toBe(`Plan ${plan.id} could not be found.`);
    });

    it('answers 400 for a bad id and 404 for a member of another project', async () => {
      const other = await created('otherproj');
      const bad = await server.call('DELETE', `/v1/${P}/plans/nope`);
      const foreign = await server.call('DELETE', `/v1/${P}/plans/${other.id}`, { token: `bob:${P}` });
      expect(bad.status).toBe(400);
      expect(bad.body.badRequest.message).toBe('Invalid plan id provided.');
      expect(foreign.status).toBe(404);
    });

    it('answers 409 while a scheduled operation uses the plan', async () => {
      // Prepare
      const plan = await created();
      const { doc } = testClients();
      await doc.send(
        new UpdateCommand({
          TableName: server.tableName,
          Key: planKey(plan.id),
          UpdateExpression: 'ADD scheduledOperationIds :op',
          ExpressionAttributeValues: { ':op': new Set(['op-1']) },
        }),
      );
      // Act
      const res = await server.call('DELETE', `/v1/${P}/plans/${plan.id}`);
      const show = await server.call('GET', `/v1/${P}/plans/${plan.id}`);
      // Assess
      expect(res.status).toBe(409);
      expect(res.body.conflictingRequest.code).toBe(409);
      expect(res.body.conflictingRequest.message).toContain('op-1');
      expect(show.status).toBe(200);
    });

    it('refuses to delete a plan a real scheduled operation uses (409 naming it), then deletes it once the operation is gone', async () => {
      // Prepare
      const plan = await created();
      const trigger = await server.call('POST', `/v1/${P}/triggers`, {
        body: {
          trigger_info: { name: 'daily', type: 'time', properties: { format: 'calendar', pattern: 'BEGIN:VEVENT\nRRULE:FREQ=DAILY;INTERVAL=1;\nEND:VEVENT' } },
        },
      });
      const op = await server.call('POST', `/v1/${P}/scheduled_operations`, {
        body: {
          scheduled_operation: {
            name: 'protect daily',
            operation_type: 'protect',
            trigger_id: trigger.body.trigger_info.id,
            operation_definition: { provider_id: NOOP, plan_id: plan.id },
          },
        },
      });
      expect(op.status).toBe(200);
      const opId = op.body.scheduled_operation.id as string;
      // Act
      const refused = await server.call('DELETE', `/v1/${P}/plans/${plan.id}`);
      const opDeleted = await server.call('DELETE', `/v1/${P}/scheduled_operations/${opId}`);
      const deleted = await server.call('DELETE', `/v1/${P}/plans/${plan.id}`);
      // Assess
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({
        conflictingRequest: { code: 409, message: `Plan ${plan.id} is used by scheduled operation(s) ${opId}; delete them first.` },
      });
      expect(opDeleted.status).toBe(200);
      expect(deleted.status).toBe(200);
    });
  });

  describe('GET /plans', () => {
    const project = 'listproj';
    const ids: string[] = [];
    beforeAll(async () => {
      for (const name of ['b', 'a', 'c']) ids.push((await created(project, { name })).id);
      await server.call('PUT', `/v1/${project}/plans/${ids[1]}`, { body: { plan: { status: 'started' } } });
    });

    it('lists newest first by default, with full views', async () => {
      const res = await server.call('GET', `/v1/${project}/plans`);
      expect(res.status).toBe(200);
      expect(res.body.plans.map((p: { id: string }) => p.id)).toEqual([...ids].reverse());
      expect(res.body.plans_links).toBeUndefined();
      expect(res.body.plans[0].resources).toHaveLength(2);
    });

    it('pages with limit and marker, linking on from a full page', async () => {
      // Act
      const first = await server.call('GET', `/v1/${project}/plans?limit=2`);
      const next = new URL(first.body.plans_links[0].href);
      const second = await server.call('GET', `${next.pathname}${next.search}`);
      // Assess
      expect(first.body.plans.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
      expect(first.body.plans_links).toEqual([{ rel: 'next', href: `${server.url}/v1/${project}/plans?limit=2&marker=${ids[1]}` }]);
      expect(second.body.plans.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
      expect(second.body.plans_links).toBeUndefined();
    });

    it('sorts by name and filters by status and name regex', async () => {
      const byName = await server.call('GET', `/v1/${project}/plans?sort=name:asc`);
      const legacy = await server.call('GET', `/v1/${project}/plans?sort_key=name&sort_dir=desc`);
      const started = await server.call('GET', `/v1/${project}/plans?status=started`);
      const regex = await server.call('GET', `/v1/${project}/plans?name=^[ab]$&sort=name:asc`);
      expect(byName.body.plans.map((p: { name: string }) => p.name)).toEqual(['a', 'b', 'c']);
      expect(legacy.body.plans.map((p: { name: string }) => p.name)).toEqual(['c', 'b', 'a']);
      expect(started.body.plans.map((p: { id: string }) => p.id)).toEqual([ids[1]]);
      expect(regex.body.plans.map((p: { name: string }) => p.name)).toEqual(['a', 'b']);
    });

    it('applies offset after the marker', async () => {
      const res = await server.call('GET', `/v1/${project}/plans?sort=name:asc&marker=${ids[1]}&offset=1`);
      expect(res.body.plans.map((p: { name: string }) => p.name)).toEqual(['c']);
    });

    it('lists every project for an admin with all_tenants, and only its own project for a member', async () => {
      // Prepare
      const other = await created('listother', { name: 'zz' });
      // Act
      const all = await server.call('GET', `/v1/${project}/plans?all_tenants=1&limit=1000`);
      const one = await server.call('GET', `/v1/${project}/plans?all_tenants=true&project_id=listother`);
      const member = await server.call('GET', `/v1/${project}/plans?all_tenants=1`, { token: `alice:${project}` });
      // Assess
      const allIds = all.body.plans.map((p: { id: string }) => p.id);
      expect(allIds).toEqual(expect.arrayContaining([...ids, other.id]));
      expect(one.body.plans.map((p: { id: string }) => p.id)).toEqual([other.id]);
      expect(member.body.plans.map((p: { id: string }) => p.id)).toEqual([...ids].reverse());
    });

    it.each([
      ['limit=abc', 'limit param must be an integer'],
      ['limit=0', 'limit param must be positive'],
      ['offset=-1', 'offset must be >= 0'],
      ['sort=name:asc&sort_key=name', "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter."],
      ['sort=name:up', "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'."],
      ['sort=nosuchkey:asc', "Invalid input received: Unknown sort key 'nosuchkey'."],
      ['all_tenants=maybe', 'Value maybe for all_tenants is not a boolean.'],
    ])('answers 400 for %s', async (query, message) => {
      const res = await server.call('GET', `/v1/${project}/plans?${query}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ badRequest: { code: 400, message } });
    });

    it('answers 404 for an unknown marker', async () => {
      const res = await server.call('GET', `/v1/${project}/plans?marker=${UNKNOWN}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ itemNotFound: { code: 404, message: `Plan ${UNKNOWN} could not be found.` } });
    });
  });
});
