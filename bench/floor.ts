import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { placeRange, projectDigest } from '../shared/dynamo/time-list';
import { complianceKey, planKey } from '../shared/features/plans/transact';

/*
 * The raw DynamoDB calls the read routes need, sent straight to DynamoDB
 * Local (the floor of issue #15), and behind a bare HTTP server (issue #22):
 * the floors sections 1 and 2 hold the routes against.
 */

/** The plans' compliance items (docs/decisions.md §20), which plan show and list read beside the plans: one BatchGetItem. */
const rawCompliance = (doc: DynamoDBDocumentClient, table: string, ids: string[]) =>
  ids.length === 0 ? Promise.resolve(undefined) : doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: ids.map(complianceKey) } } }));

/** GET plan's floor: one consistent GetItem and, at the same time, its compliance item (one BatchGetItem), as the route reads them. */
export const rawShowPlan = async (doc: DynamoDBDocumentClient, table: string, id: string) =>
  (await Promise.all([doc.send(new GetCommand({ TableName: table, Key: planKey(id), ConsistentRead: true })), rawCompliance(doc, table, [id])]))[0];

/** GET plans?limit=50's floor: one Query of the project's range of GSI1, newest first (from `start`: a deeper page), then its compliance items. */
export const rawListPlans = async (doc: DynamoDBDocumentClient, table: string, project: string, start?: Record<string, unknown>) => {
  const [lo, hi] = placeRange({ index: 'GSI1', pk: 'PLANS', prefix: projectDigest(project) })!;
  const page = await doc.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': 'PLANS', ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      Limit: 50,
      ExclusiveStartKey: start,
    }),
  );
  // Then the page's compliance items (docs/decisions.md §20), as the route does.
  await rawCompliance(
    doc,
    table,
    (page.Items ?? []).map((p) => String(p.id)),
  );
  return page;
};

/**
 * Issue #22 item 3's floor: the same raw calls behind a bare `node:http`
 * server in the bench's own process (beside the local API server), so the
 * floor pays the HTTP hop too: parse, the call, `JSON.stringify`, answer. It
 * answers the read mix's three paths (`/v1/<p>/plans/<id>`,
 * `/v1/<p>/plans?limit=50`, `/v1/<p>/providers`: no call, a fixed body), so
 * the load generator sends it exactly what it sends the API.
 */
export const startHttpFloor = async (doc: DynamoDBDocumentClient, table: string): Promise<{ url: string; close: () => Promise<void> }> => {
  const providers = JSON.stringify({ providers: [{ id: 'floor', name: 'floor', description: '' }] });
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const [path, query] = (req.url ?? '').split('?');
    const [, v1, project, collection, id] = path.split('/');
    if (v1 !== 'v1' || !project) return answer(404, '{}');
    const reply =
      collection === 'providers'
        ? Promise.resolve(providers)
        : collection === 'plans' && id
          ? rawShowPlan(doc, table, id).then((r) => JSON.stringify({ plan: r.Item }))
          : collection === 'plans' && query?.includes('limit=50')
            ? rawListPlans(doc, table, project).then((r) => JSON.stringify({ plans: r.Items }))
            : undefined;
    if (!reply) return answer(404, '{}');
    reply.then(
      (body) => answer(200, body),
      () => answer(500, '{}'),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
