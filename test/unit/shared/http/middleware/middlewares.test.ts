import middy from '@middy/core';
import { InvalidInputError } from '../../../../../shared/kernel/errors';
import type { KarborEvent, KarborResult } from '../../../../../shared/http/event';
import { faults } from '../../../../../shared/http/middleware/faults';
import { jsonBody } from '../../../../../shared/http/middleware/json-body';
import { requestId } from '../../../../../shared/http/middleware/request-id';
import { jsonResponse } from '../../../../../shared/http/response';
import { context, httpEvent } from '../../../../support/events';

describe('requestId middleware', () => {
  it('uses one id per request on success and on error', async () => {
    // Prepare
    const ids = ['req-1', 'req-2'];
    const ok = middy<KarborEvent, KarborResult>()
      .use(requestId({ generate: () => ids.shift()! }))
      .use(faults())
      .handler(async (event) => jsonResponse(200, { seen: event.karborRequestId }));
    const failing = middy<KarborEvent, KarborResult>()
      .use(requestId({ generate: () => 'req-err' }))
      .use(faults())
      .handler(async () => {
        throw new InvalidInputError('bad');
      });
    // Act
    const a = await ok(httpEvent('GET', '/v1/p/providers'), context());
    const b = await failing(httpEvent('GET', '/v1/p/providers'), context());
    // Assess
    expect(a.headers['X-Openstack-Request-Id']).toBe('req-1');
    expect(JSON.parse(a.body as string)).toEqual({ seen: 'req-1' });
    expect(b.headers['X-Openstack-Request-Id']).toBe('req-err');
    expect(b.statusCode).toBe(400);
  });
});

describe('jsonBody middleware', () => {
  const echo = middy<KarborEvent, KarborResult>()
    .use(jsonBody())
    .use(faults())
    .handler(async (event) => jsonResponse(200, { body: event.parsedBody ?? null }));

  it.each([
    ['application/json', '{"a":1}', { body: { a: 1 } }],
    ['application/json; charset=UTF-8', '{"a":1}', { body: { a: 1 } }],
    ['text/plain', '', { body: null }],
  ])('reads %s %s', async (type, raw, expected) => {
    const res = await echo(httpEvent('POST', '/v1/p/plans', { body: raw, headers: { 'content-type': type } }), context());
    expect(JSON.parse(res.body as string)).toEqual(expected);
  });

  it('decodes a base64 body', async () => {
    const event = httpEvent('POST', '/v1/p/plans', { body: '{"a":2}' });
    event.body = Buffer.from('{"a":2}').toString('base64');
    event.isBase64Encoded = true;
    const res = await echo(event, context());
    expect(JSON.parse(res.body as string)).toEqual({ body: { a: 2 } });
  });
});
