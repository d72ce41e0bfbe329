import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { fallbackRoute, routes, type RouteDef } from '../../shared/http/routes';
import { createTableInput, TABLE } from '../../shared/dynamo/table';
import { workers, type WorkerDef } from '../../shared/workers';
import type { KarborStackProps } from '../../infra/stack';
import { type Synth, synthStack } from '../support/synth';

const synth = (context: Record<string, unknown> = {}, props: KarborStackProps = {}) => synthStack(context, props);

const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
  'dynamodb:*',
];

const byType = (s: Synth, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);

// A route and worker set covering every access level, grant and worker source,
// on real handler modules, so the wiring is tested before the features exist.
const handlerModule = 'functions/providers/list';
const V1 = '/v1/{project_id}';
const FIXTURE_ROUTES: RouteDef[] = [
  { id: 'things.list', method: 'GET', path: `${V1}/things`, module: handlerModule, policy: 'p', role: 'member', access: 'read' },
  {
    id: 'things.create',
    method: 'POST',
    path: `${V1}/things`,
    module: handlerModule,
    policy: 'p',
    role: 'member',
    access: 'write',
    grants: ['publish-events', 'bank-write'],
  },
  {
    id: 'things.show',
    method: 'GET',
    path: `${V1}/things/{thing_id}`,
    module: handlerModule,
    policy: 'p',
    role: 'member',
    access: 'read',
    grants: ['bank-read'],
    timeout: 20,
  },
  { id: 'things.delete', method: 'DELETE', path: `${V1}/things/{thing_id}`, module: handlerModule, policy: 'p', role: 'admin', access: 'write' },
  {
    id: 'triggers.create',
    method: 'POST',
    path: `${V1}/triggers`,
    module: handlerModule,
    policy: 'p',
    role: 'member',
    access: 'write',
    grants: ['trigger-schedules'],
  },
  { id: 'static.show', method: 'GET', path: `${V1}/static`, module: handlerModule, policy: 'p', role: 'member', access: 'none', grants: ['discovery'] },
];
const FIXTURE_WORKERS: WorkerDef[] = [
  {
    id: 'scheduler.fireTrigger',
    module: handlerModule,
    access: 'write',
    grants: ['publish-events', 'trigger-schedules'],
    source: { kind: 'trigger-schedules' },
  },
  {
    id: 'protection.worker',
    module: handlerModule,
    access: 'write',
    grants: ['publish-events', 'bank-write', 'protect-aws'],
    timeout: 900,
    source: { kind: 'bus', detailTypes: ['Checkpoint Requested', 'Restore Requested'] },
  },
];
const fixtures = { routes: FIXTURE_ROUTES, workers: FIXTURE_WORKERS };

describe('KarborStack with the real route and worker tables', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth();
  });

  it('runs the protection sweep on a 5-minute schedule rule, with the bus publish grant', () => {
    // Prepare
    const sweep = s.functionLogicalId('protection.sweep');

    // Act
    const rules = byType(s, 'AWS::Events::Rule')
      .map(([, r]) => r.Properties)
      .filter((p) => p.ScheduleExpression !== undefined && JSON.stringify(p.Targets).includes(sweep));

    // Assess
    expect(rules).toEqual([
      expect.objectContaining({ ScheduleExpression: 'rate(5 minutes)', Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [sweep, 'Arn'] } })] }),
    ]);
    expect(s.actionsOf('protection.sweep')).toContain('events:PutEvents');
  });

  it('makes exactly one function per route, plus the fallback and one per worker', () => {
    // Prepare
    // Plus, in rules mode, the clean-up run when the stack is deleted, and the heartbeat of the durable worker.
    const expected = routes.length + 1 + workers.length + 1 + 1;

    // Act
    const functions = byType(s, 'AWS::Lambda::Function');

    // Assess
    expect(functions).toHaveLength(expected);
    expect(new Set([...s.stack.routeFunctions.keys(), ...s.stack.workerFunctions.keys()])).toEqual(
      new Set([...routes.map((r) => r.id), fallbackRoute.id, ...workers.map((w) => w.id)]),
    );
  });

  it('wires each route key to its own function through its own integration', () => {
    // Prepare
    const apiRoutes = byType(s, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const seen = new Set<string>();

    for (const route of [...routes, { ...fallbackRoute, routeKey: '$default' }]) {
      // Act
      const routeKey = 'routeKey' in route ? route.routeKey : `${route.method} ${route.path}`;
      const matching = apiRoutes.filter((r) => r.RouteKey === routeKey);
      const integrationId = matching[0]?.Target['Fn::Join'][1][1].Ref;
      const integration = s.resources[integrationId];

      // Assess
      expect(matching).toHaveLength(1);
      expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(integration.Properties.IntegrationUri).toEqual({ 'Fn::GetAtt': [s.functionLogicalId(route.id), 'Arn'] });
      seen.add(s.functionLogicalId(route.id));
    }
    expect(seen.size).toBe(routes.length + 1);
    expect(apiRoutes).toHaveLength(routes.length + 1);
  });

  it('points each function at its route module and gives it the route timeout', () => {
    for (const route of routes) {
      // Act
      const fn = s.stack.routeFunctions.get(route.id)!;
      const props = s.resources[s.functionLogicalId(route.id)].Properties;

      // Assess
      expect(props.Description).toBe(`${route.method} ${route.path}`);
      expect(props.Timeout).toBe(route.timeout ?? 10);
      expect(props.Handler).toBe('index.handler');
      expect(fn.module).toBe(route.module);
    }
  });

  it('builds the table from the shared definition (keys, GSIs, TTL, on demand, PITR)', () => {
    // Prepare
    const shared = createTableInput('ignored');
    const sortByName = <T extends { AttributeName?: string; IndexName?: string }>(xs: T[]) =>
      [...xs].sort((a, b) => String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)));

    // Act
    const tables = byType(s, 'AWS::DynamoDB::Table');
    const table = tables[0][1];

    // Assess
    expect(tables).toHaveLength(1);
    expect(table.Properties.KeySchema).toEqual(shared.KeySchema);
    expect(sortByName(table.Properties.AttributeDefinitions)).toEqual(sortByName(shared.AttributeDefinitions));
    expect(sortByName(table.Properties.GlobalSecondaryIndexes)).toEqual(sortByName(shared.GlobalSecondaryIndexes));
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('protects the table from deletion by default and retains the table and bank', () => {
    // Act
    const table = byType(s, 'AWS::DynamoDB::Table')[0][1];
    const bucket = byType(s, 'AWS::S3::Bucket')[0][1];

    // Assess
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('gives read and no-access routes no write action at all, and no-access routes no table access', () => {
    for (const route of routes.filter((r) => r.access !== 'write')) {
      // Act
      const actions = s.actionsOf(route.id);
      const env = s.envOf(route.id);

      // Assess
      expect({ route: route.id, writes: actions.filter((a) => TABLE_WRITE_ACTIONS.includes(a)) }).toEqual({ route: route.id, writes: [] });
      if (route.access === 'read') {
        expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
        expect(env.TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^(Table|referencetoTestTable)/) });
      } else {
        expect(env.TABLE_NAME).toBeUndefined();
        const tableId = byType(s, 'AWS::DynamoDB::Table')[0][0];
        expect(JSON.stringify(s.statementsOf(route.id))).not.toContain(tableId);
      }
    }
  });

  it('gives write routes and workers read/write table access', () => {
    for (const def of [...routes, ...workers].filter((d) => d.access === 'write')) {
      // Act
      const actions = s.actionsOf(def.id);

      // Assess
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']));
      expect(s.envOf(def.id).TABLE_NAME).toBeDefined();
    }
  });

  it('runs every function on nodejs24.x arm64 with tracing, JSON logs, no run-time source maps and its own log group with 30 days retention', () => {
    // Prepare
    const functions = byType(s, 'AWS::Lambda::Function');

    for (const [id, fn] of functions) {
      // Act
      const logGroupId = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      const logGroup = s.resources[logGroupId];

      // Assess
      expect({ id, runtime: fn.Properties.Runtime, arch: fn.Properties.Architectures }).toEqual({ id, runtime: 'nodejs24.x', arch: ['arm64'] });
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBeUndefined();
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBe(30);
    }
    // Plus the API's access log.
    expect(byType(s, 'AWS::Logs::LogGroup')).toHaveLength(functions.length + 1);
  });

  it("tells every API function to read Cognito's claims: the default is never open", () => {
    for (const id of s.stack.routeFunctions.keys()) {
      // Act
      const env = s.envOf(id);

      // Assess
      expect(env).toMatchObject({ KARBOR_AUTH_MODE: 'jwt', KARBOR_JWT_PROJECT_CLAIM: 'custom:project_id', KARBOR_JWT_ROLES_CLAIM: 'cognito:groups' });
    }
  });

  it('creates the bank bucket encrypted, versioned, private and TLS-only', () => {
    // Act
    const [[bucketId]] = byType(s, 'AWS::S3::Bucket');

    // Assess: SSE-KMS with the bank key by default (docs/decisions.md §27; test/infra/bank-key.test.ts has the key itself).
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it('creates the event bus named after the stack and outputs the API URL', () => {
    // Assess
    s.template.resourceCountIs('AWS::Events::EventBus', 1);
    s.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'Test' });
    s.template.hasOutput('ApiUrl', {});
    s.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  });
});

describe('KarborStack context', () => {
  it('switches deletion protection off with karbor:deletionProtection=false', () => {
    // Act
    const s = synth({ 'karbor:deletionProtection': 'false' });
    const table = byType(s, 'AWS::DynamoDB::Table')[0][1];

    // Assess
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.DeletionPolicy).toBe('Delete');
    expect(byType(s, 'AWS::S3::Bucket')[0][1].DeletionPolicy).toBe('Delete');
  });

  it('keeps the first legacy plan indexes with karbor:legacyPlanIndexes while a stack migrates, and refuses more than there were', () => {
    // Act
    const s = synth({ 'karbor:legacyPlanIndexes': '2' });
    const names = byType(s, 'AWS::DynamoDB::Table')[0][1].Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName);
    const act = () => synth({ 'karbor:legacyPlanIndexes': '7' });

    // Assess
    expect(names).toEqual([...TABLE.globalIndexes.map((i) => i.indexName), 'GSI5', 'GSI6']);
    expect(act).toThrow('context karbor:legacyPlanIndexes must be a whole number from 0 to 6, got "7"');
  });

  it('sets the log retention from karbor:logRetentionDays', () => {
    // Act
    const s = synth({ 'karbor:logRetentionDays': '7' });

    // Assess
    for (const [, group] of byType(s, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(7);
  });

  it('in keystone mode puts the Keystone authorizer before every route but the version documents, and warns only in noauth mode', () => {
    // Act
    const s = synth({ 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000', 'karbor:authCacheSeconds': '120' });
    const noauth = synth({ 'karbor:authMode': 'noauth' });

    // Assess
    for (const id of s.stack.routeFunctions.keys()) expect(s.envOf(id).KARBOR_AUTH_MODE).toBe('authorizer');
    for (const id of noauth.stack.routeFunctions.keys()) expect(noauth.envOf(id).KARBOR_AUTH_MODE).toBe('noauth');
    const authorizers = byType(s, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0];
    // Invoked for every request (no identity source, no API Gateway cache): the route answers Karbor's 401.
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      IdentitySource: [],
      AuthorizerResultTtlInSeconds: 0,
    });
    const fn = s.resources[s.stack.getLogicalId(s.stack.authorizerFunction!.node.defaultChild as CfnFunction)];
    expect(fn.Properties.Environment.Variables).toMatchObject({ KEYSTONE_URL: 'https://keystone.example.com:5000', KARBOR_AUTH_CACHE_SECONDS: '120' });
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(s.stack.getLogicalId(s.stack.authorizerFunction!.node.defaultChild as CfnFunction));
    const apiRoutes = byType(s, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(apiRoutes).toHaveLength(routes.length + 1);
    for (const r of apiRoutes) {
      const def = routes.find((d) => `${d.method} ${d.path}` === r.RouteKey);
      if (def?.public) expect(r.AuthorizationType).toBe('NONE');
      else
        expect(r).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: expect.stringMatching(/^(referencetoTest)?ApiKeystoneAuthorizer\w+$/) } });
    }
    expect(apiRoutes.find((r) => r.RouteKey === '$default')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    expect(byType(noauth, 'AWS::ApiGatewayV2::Authorizer')).toHaveLength(0);
    Annotations.fromStack(s.stack).hasNoWarning('*', Match.stringLikeRegexp('noauth'));
    Annotations.fromStack(noauth.stack).hasWarning('/Test', Match.stringLikeRegexp('^THE API IS OPEN: .*development accounts only'));
  });

  it('by default creates a Cognito user pool behind the native JWT authorizer on every route but the version documents', () => {
    // Act
    const d = synth();

    // Assess
    const [[poolId, pool]] = byType(d, 'AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: [expect.objectContaining({ Name: 'project_id', AttributeDataType: 'String', Mutable: true })],
    });
    const [[clientId, client]] = byType(d, 'AWS::Cognito::UserPoolClient');
    // A user can read their project but never write it: no one moves into another tenant.
    expect(client.Properties.ReadAttributes).toContain('custom:project_id');
    expect(client.Properties.WriteAttributes).not.toContain('custom:project_id');
    expect(client.Properties.GenerateSecret).toBe(false);
    expect(byType(d, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName)).toEqual(['admin']);
    const [[authorizerId, authorizer]] = byType(d, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.X-Auth-Token'],
      JwtConfiguration: { Audience: [{ Ref: clientId }] },
    });
    expect(JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer)).toContain(poolId);
    const apiRoutes = byType(d, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(apiRoutes).toHaveLength(routes.length + 1);
    for (const r of apiRoutes) {
      const def = routes.find((x) => `${x.method} ${x.path}` === r.RouteKey);
      if (def?.public) expect(r.AuthorizationType).toBe('NONE');
      else expect(r).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: expect.stringMatching(/^(referencetoTest)?ApiCognitoAuthorizer\w+$/) } });
    }
    expect(apiRoutes.find((r) => r.RouteKey === '$default')).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    expect(d.template.findOutputs('UserPoolId')).not.toEqual({});
    expect(d.template.findOutputs('UserPoolClientId')).not.toEqual({});
    Annotations.fromStack(d.stack).hasNoWarning('*', Match.stringLikeRegexp('OPEN'));
  });

  it('in jwt mode trusts the named OIDC issuer and audiences and tells the routes which claims to read', () => {
    // Act
    const j = synth({
      'karbor:authMode': 'jwt',
      'karbor:jwtIssuer': 'https://login.example.com/realms/karbor',
      'karbor:jwtAudience': 'karbor-api, karbor-cli',
      'karbor:jwtProjectClaim': 'tenant',
      'karbor:jwtRolesClaim': 'groups',
    });

    // Assess
    expect(byType(j, 'AWS::Cognito::UserPool')).toHaveLength(0);
    const [[, authorizer]] = byType(j, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.X-Auth-Token'],
      JwtConfiguration: { Issuer: 'https://login.example.com/realms/karbor', Audience: ['karbor-api', 'karbor-cli'] },
    });
    for (const id of j.stack.routeFunctions.keys()) {
      expect(j.envOf(id)).toMatchObject({ KARBOR_AUTH_MODE: 'jwt', KARBOR_JWT_PROJECT_CLAIM: 'tenant', KARBOR_JWT_ROLES_CLAIM: 'groups' });
    }
  });

  it.each([
    [{}, /karbor:jwtIssuer must be the token issuer's https URL/],
    [{ 'karbor:jwtIssuer': 'http://login.example.com' }, /karbor:jwtIssuer must be the token issuer's https URL/],
    [{ 'karbor:jwtIssuer': 'https://login.example.com' }, /karbor:jwtAudience must name one or more audiences/],
    [{ 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': ' , ' }, /karbor:jwtAudience must name one or more audiences/],
  ])('in jwt mode refuses %j', (context, message) => {
    // Act
    const act = () => synth({ 'karbor:authMode': 'jwt', ...context });
    // Assess
    expect(act).toThrow(message);
  });

  it.each([
    ['karbor:logRetentionDays', '12', /karbor:logRetentionDays must be a CloudWatch Logs retention/],
    ['karbor:deletionProtection', 'maybe', /karbor:deletionProtection must be true or false/],
    ['karbor:authMode', 'ldap', /karbor:authMode must be one of cognito, jwt, keystone, noauth/],
    ['karbor:authCacheSeconds', '-1', /karbor:authCacheSeconds must be a whole number of seconds from 0 to 3600/],
    ['karbor:scheduler', 'cron', /karbor:scheduler must be one of scheduler, rules, migrating/],
    ['karbor:projectTagKey', 'aws:project', /karbor:projectTagKey must be an AWS tag key not starting with aws:/],
  ])('refuses %s=%s with a message naming it', (key, value, message) => {
    // Act
    const act = () => synth({ [key]: value });

    // Assess
    expect(act).toThrow(message);
  });
});

describe('KarborStack keystone mode without a Keystone URL', () => {
  it.each([[undefined], ['keystone.example.com'], ['']])('refuses karbor:keystoneUrl=%s', (url) => {
    // Act
    const act = () => synth({ 'karbor:authMode': 'keystone', ...(url === undefined ? {} : { 'karbor:keystoneUrl': url }) });
    // Assess
    expect(act).toThrow(/karbor:keystoneUrl must be Keystone's http\(s\) URL when karbor:authMode is keystone/);
  });
});

describe('KarborStack grants and workers (fixture routes)', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth({}, fixtures);
  });

  it('gives the route timeout and the worker timeout (default 60 s) to the functions', () => {
    // Assess
    expect(s.resources[s.functionLogicalId('things.show')].Properties.Timeout).toBe(20);
    expect(s.resources[s.functionLogicalId('things.list')].Properties.Timeout).toBe(10);
    expect(s.resources[s.functionLogicalId('scheduler.fireTrigger')].Properties.Timeout).toBe(60);
    expect(s.resources[s.functionLogicalId('protection.worker')].Properties.Timeout).toBe(900);
  });

  it('gives write routes and workers read/write table access and TABLE_NAME', () => {
    for (const id of ['things.create', 'things.delete', 'triggers.create', 'scheduler.fireTrigger', 'protection.worker']) {
      // Act
      const actions = s.actionsOf(id);

      // Assess
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']));
      expect(s.envOf(id).TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^(Table|referencetoTestTable)/) });
    }
  });

  it('gives read routes read access only, even with bank-read', () => {
    // Act
    const actions = s.actionsOf('things.show');

    // Assess
    expect(actions.filter((a) => TABLE_WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(actions.filter((a) => /^s3:(Put|Delete|Abort)/.test(a))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*']));
    expect(s.envOf('things.show').BANK_BUCKET).toEqual({ Ref: expect.stringMatching(/^(Bank|referencetoTestBank)/) });
    expect(s.envOf('things.show').EVENT_BUS_NAME).toBeUndefined();
  });

  it('gives publish-events PutEvents on the karbor bus and EVENT_BUS_NAME', () => {
    // Prepare
    const busId = byType(s, 'AWS::Events::EventBus')[0][0];

    // Act
    const put = s.statementsOf('things.create').find((st) => st.Action === 'events:PutEvents');

    // Assess
    // The routes are in nested stacks: the bus reaches them as parameters named after it.
    expect(busId).toMatch(/^Bus/);
    expect(put?.Resource).toEqual({ Ref: expect.stringMatching(/^referencetoTestBus\w+Arn$/) });
    expect(s.envOf('things.create').EVENT_BUS_NAME).toEqual({ Ref: expect.stringMatching(/^referencetoTestBus\w+Ref$/) });
    expect(s.actionsOf('things.create')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']));
    // The versioned bank's history cannot be purged.
    expect(s.actionsOf('things.create').filter((a) => a.startsWith('s3:DeleteObject') && a !== 's3:DeleteObject')).toEqual([]);
    expect(s.actionsOf('things.list')).not.toContain('events:PutEvents');
  });

  it('gives discovery only the describe/list calls, without table writes', () => {
    // Act
    const actions = s.actionsOf('static.show');

    // Assess: besides tracing and writing its own log group
    expect(actions.filter((a) => !a.startsWith('xray:') && !a.startsWith('logs:')).sort()).toEqual([
      'dynamodb:DescribeTable',
      'dynamodb:ListTables',
      'dynamodb:ListTagsOfResource',
      'ec2:DescribeInstances',
      'ec2:DescribeVolumes',
    ]);
    expect(s.envOf('static.show').TABLE_NAME).toBeUndefined();
  });

  describe('in rules mode', () => {
    let r: Synth;
    beforeAll(() => {
      r = synth({ 'karbor:scheduler': 'rules' }, fixtures);
    });

    it("lets only trigger-schedules routes manage the stack's <stack>-trigger-* rules and tells them fire-trigger's ARN", () => {
      // Prepare
      const fireTrigger = r.functionLogicalId('scheduler.fireTrigger');

      // Act
      const rules = r.statementsOf('triggers.create').find((st) => ([] as string[]).concat(st.Action).includes('events:PutRule'));
      const env = r.envOf('triggers.create');

      // Assess
      expect(rules?.Action).toEqual(expect.arrayContaining(['events:PutRule', 'events:RemoveTargets', 'events:DeleteRule', 'events:DescribeRule']));
      expect(JSON.stringify(rules?.Resource)).toContain(':rule/Test-trigger-*');
      // Targets only towards fire-trigger.
      const targets = r.statementsOf('triggers.create').find((st) => st.Action === 'events:PutTargets');
      expect(JSON.stringify(targets?.Resource)).toContain(':rule/Test-trigger-*');
      expect(JSON.stringify(targets?.Condition)).toMatch(
        /"ForAllValues:ArnLike":\{"events:TargetArn":\[\{"Ref":"referencetoTestSchedulerFireTriggerFunction\w+Arn"\}/,
      );
      expect(fireTrigger).toMatch(/^SchedulerFireTrigger/);
      expect(env.FIRE_TRIGGER_ARN).toEqual({ Ref: expect.stringMatching(/^referencetoTestSchedulerFireTriggerFunction\w+Arn$/) });
      expect(env.TRIGGER_NAME_PREFIX).toBe('Test-trigger-');
      expect(env.TRIGGER_DLQ_ARN).toEqual({ Ref: expect.stringMatching(/^referencetoTestSchedulerFireTriggerDeadLetters\w+Arn$/) });
      expect(env.KARBOR_SCHEDULER).toBe('rules');
      expect(env.SCHEDULER_ROLE_ARN).toBeUndefined();
      for (const other of FIXTURE_ROUTES.filter((r) => !r.grants?.includes('trigger-schedules'))) {
        expect(r.actionsOf(other.id).filter((a) => a.startsWith('events:') && a !== 'events:PutEvents')).toEqual([]);
        expect(r.envOf(other.id).FIRE_TRIGGER_ARN).toBeUndefined();
      }
    });

    it('lets fire-trigger retire rules too, targeting its own invoked ARN (no self-reference in its environment)', () => {
      // Act
      const rules = r.statementsOf('scheduler.fireTrigger').find((st) => ([] as string[]).concat(st.Action).includes('events:DeleteRule'));
      const env = r.envOf('scheduler.fireTrigger');

      // Assess
      expect(JSON.stringify(rules?.Resource)).toContain(':rule/Test-trigger-*');
      expect(env.KARBOR_SCHEDULER).toBe('rules');
      expect(env.FIRE_TRIGGER_ARN).toBeUndefined();
    });

    it('lets EventBridge rules named <stack>-trigger-* invoke the fire-trigger worker', () => {
      // Prepare
      const fireTrigger = r.functionLogicalId('scheduler.fireTrigger');

      // Act
      const permissions = byType(r, 'AWS::Lambda::Permission')
        .map(([, p]) => p.Properties)
        .filter((p) => JSON.stringify(p.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fireTrigger, 'Arn'] }));

      // Assess
      expect(permissions).toHaveLength(1);
      expect(permissions[0]).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceAccount: { Ref: 'AWS::AccountId' } });
      expect(permissions[0].SourceArn).toEqual({
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':rule/Test-trigger-*']],
      });
      r.template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
    });
  });

  it('wires each bus worker to a rule on the karbor bus matching source karbor and its detail-types', () => {
    // Prepare
    const busId = byType(s, 'AWS::Events::EventBus')[0][0];
    const worker = s.functionLogicalId('protection.worker');

    // Assess
    s.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: ['karbor'], 'detail-type': ['Checkpoint Requested', 'Restore Requested'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [worker, 'Arn'] } })],
    });
    s.template.resourceCountIs('AWS::Events::Rule', 1);
    s.template.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [worker, 'Arn'] }, Principal: 'events.amazonaws.com' });
  });

  it('gives protect-aws the tenant-access role to assume, and no plugin call of its own', () => {
    // Act
    const statements = s.statementsOf('protection.worker');
    const actions = s.actionsOf('protection.worker');

    // Assess: the plugin calls are the tenant role's (test/infra/tenancy.test.ts, iam-simulation.test.ts).
    const assume = statements.find((st) => JSON.stringify(st.Action) === JSON.stringify(['sts:AssumeRole', 'sts:TagSession']));
    expect(JSON.stringify(assume?.Resource)).toMatch(/TenantAccessRole/);
    expect(actions.filter((a) => /^(ec2:(Create|Delete|Deregister|Run)|dynamodb:(CreateBackup|DeleteBackup|Restore))/.test(a))).toEqual([]);
    expect(s.envOf('protection.worker').KARBOR_TENANT_ROLE_ARN).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TenantAccessRole/), 'Arn'] });
    expect(s.actionsOf('things.create')).not.toContain('sts:AssumeRole');
  });

  it('refuses a trigger-schedules route when no worker fires triggers', () => {
    // Act
    const act = () => synth({}, { routes: FIXTURE_ROUTES, workers: [] });

    // Assess
    expect(act).toThrow(/no worker with source trigger-schedules/);
  });
});

describe('KarborStack with karbor:scheduler=scheduler', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth({ 'karbor:scheduler': 'scheduler' }, fixtures);
  });

  it('creates the stack schedule group and a role Scheduler assumes to invoke fire-trigger only (and to dead-letter)', () => {
    // Prepare
    const fireTrigger = s.functionLogicalId('scheduler.fireTrigger');
    const [[roleId, role]] = byType(s, 'AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );

    // Act
    const policies = byType(s, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]));

    // Assess
    s.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Test' });
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    expect(policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [fireTrigger, 'Arn'] } },
      // ...and leave what it cannot deliver in fire-trigger's dead-letter queue...
      {
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerFireTriggerDeadLetters/), 'Arn'] },
      },
      // ...and send firings to the queue fire-trigger drains.
      {
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FireTriggerFirings/), 'Arn'] },
      },
    ]);
  });

  it('bounds a burst of firings: a queue drained by fire-trigger one firing at a time, at most karbor:fireTriggerConcurrency at once', () => {
    // Prepare
    const fireTrigger = s.functionLogicalId('scheduler.fireTrigger');
    const [[queueId, queue]] = byType(s, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('FireTriggerFirings'));

    // Act
    const mappings = byType(s, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);

    // Assess
    expect(mappings).toEqual([
      expect.objectContaining({
        FunctionName: { Ref: fireTrigger },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 10 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    ]);
    // Six times fire-trigger's timeout, and three deliveries before its dead-letter queue.
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulerFireTriggerDeadLetters/), 'Arn'] }, maxReceiveCount: 3 },
    });
    expect(s.envOf('triggers.create').FIRE_TRIGGER_QUEUE_ARN).toEqual({ Ref: expect.stringMatching(/^referencetoTestFireTriggerFirings\w+Arn$/) });
    expect(s.envOf('scheduler.fireTrigger').FIRE_TRIGGER_QUEUE_ARN).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    const wide = synth({ 'karbor:scheduler': 'scheduler', 'karbor:fireTriggerConcurrency': '40' }, fixtures);
    expect(byType(wide, 'AWS::Lambda::EventSourceMapping')[0][1].Properties.ScalingConfig).toEqual({ MaximumConcurrency: 40 });
    expect(() => synth({ 'karbor:fireTriggerConcurrency': '1' }, fixtures)).toThrow(/karbor:fireTriggerConcurrency must be a whole number from 2 to 1000/);
  });

  it('gives trigger-schedules routes the schedule calls, PassRole on that role and the scheduler env, and no rule calls', () => {
    // Prepare
    const [[roleId]] = byType(s, 'AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'));

    // Act
    const statements = s.statementsOf('triggers.create');
    const env = s.envOf('triggers.create');

    // Assess
    const schedules = statements.find((st) => ([] as string[]).concat(st.Action).includes('scheduler:CreateSchedule'));
    expect(schedules?.Action).toEqual(['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule']);
    expect(JSON.stringify(schedules?.Resource)).toContain(':schedule/Test/Test-trigger-*');
    expect(statements).toContainEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: { Ref: expect.stringMatching(/^referencetoTestSchedulerInvokeRole\w+Arn$/) },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
    expect(s.actionsOf('triggers.create').filter((a) => a.startsWith('events:'))).toEqual([]);
    expect(env).toMatchObject({ KARBOR_SCHEDULER: 'scheduler', SCHEDULE_GROUP: 'Test', TRIGGER_NAME_PREFIX: 'Test-trigger-' });
    expect(env.SCHEDULER_ROLE_ARN).toEqual({ Ref: expect.stringMatching(/^referencetoTestSchedulerInvokeRole\w+Arn$/) });
    expect(roleId).toMatch(/^SchedulerInvokeRole/);
  });

  it('does not let EventBridge rules invoke fire-trigger', () => {
    // Prepare
    const fireTrigger = s.functionLogicalId('scheduler.fireTrigger');

    // Act
    const permissions = byType(s, 'AWS::Lambda::Permission').filter(
      ([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [fireTrigger, 'Arn'] }),
    );

    // Assess
    expect(permissions).toEqual([]);
  });
});
