import middy from '@middy/core';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { KarborEvent, KarborResult } from '../../../../../shared/http/event';
import { faults } from '../../../../../shared/http/middleware/faults';
import { idempotency } from '../../../../../shared/http/middleware/idempotency';
import { jsonBody } from '../../../../../shared/http/middleware/json-body';
import { jsonResponse } from '../../../../../shared/http/response';
import { context, httpEvent } from '../../../../support/events';

// A module-load probe: the factory runs when, and only when, something loads Powertools Idempotency.
const mockLoads: string[] = [];
jest.mock('@aws-lambda-powertools/idempotency', () => {
  mockLoads.push('@aws-lambda-powertools/idempotency');
  return jest.requireActual('@aws-lambda-powertools/idempotency');
});

const create = () => {
  let runs = 0;
  return middy<KarborEvent, KarborResult>()
    .use(jsonBody())
    .use(faults())
    .use(idempotency())
    .handler(async () => {
      runs += 1;
      return jsonResponse(201, { run: runs });
    });
};

const post = (headers: Record<string, string> = {}) => {
  const event = httpEvent('POST', '/v1/p1/plans', { body: '{"plan":{}}', headers }) as unknown as KarborEvent;
  event.identity = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };
  return event;
};

// Order matters: the first tests prove Powertools is not loaded yet, the last loads it.
describe('idempotency middleware (issue #15: Powertools Idempotency loads with the first keyed request)', () => {
  const ddb = mockClient(DynamoDBClient);
  const table = process.env.TABLE_NAME;
  beforeAll(() => {
    process.env.TABLE_NAME = 'karbor-unit';
  });
  afterAll(() => {
    process.env.TABLE_NAME = table;
    ddb.restore();
  });

  it('answers requests without an Idempotency-Key without loading Powertools or touching DynamoDB', async () => {
    // Act
    const handler = create();
    const first = await handler(post(), context());
    const second = await handler(post(), context());
    // Assert
    expect([first.statusCode, JSON.parse(first.body as string), JSON.parse(second.body as string)]).toEqual([201, { run: 1 }, { run: 2 }]);
    expect(ddb.calls()).toHaveLength(0);
    expect(mockLoads).toEqual([]);
  });

  it('refuses a malformed key with a 400 without loading Powertools', async () => {
    const response = await create()(post({ 'idempotency-key': 'with space' }), context());
    expect(response.statusCode).toBe(400);
    expect(mockLoads).toEqual([]);
  });

  it('loads Powertools for the first keyed request and records the key in the table', async () => {
    // Prepare
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
    // Act
    const response = await create()(post({ 'idempotency-key': 'k-1' }), context());
    // Assert
    expect(response.statusCode).toBe(201);
    expect(mockLoads).toEqual(['@aws-lambda-powertools/idempotency']);
    const put = ddb.commandCalls(PutItemCommand)[0].args[0].input;
    expect([put.TableName, put.Item?.PK]).toEqual(['karbor-unit', { S: 'IDEMPOTENCY' }]);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });
});
