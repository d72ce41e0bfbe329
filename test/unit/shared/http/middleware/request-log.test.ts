import { setRequestLogHook, type RequestLogEntry } from '../../../../../shared/observability/logger';
import { route } from '../../../../../shared/http/route';
import { NotFoundError } from '../../../../../shared/kernel/errors';
import { context, httpEvent } from '../../../../support/events';
import { handler as fallback } from '../../../../../functions/fallback/not-routed';

/** Every request leaves one line: the route table's id, the caller, the outcome, never the token or the body. */
const ok = route('providers.show', {}, async () => ({ fine: true }));
const missing = route('providers.show', {}, async () => {
  throw new NotFoundError('Plan x could not be found.');
});
const boom = route('providers.show', {}, async () => {
  throw new Error('secret detail');
});

describe('request log', () => {
  const lines: { entry: RequestLogEntry; level: string }[] = [];
  const url = '/v1/p1/providers/b766f37c-d011-4026-8228-28730d734a3f';
  beforeEach(() => {
    lines.length = 0;
    setRequestLogHook((entry, level) => lines.push({ entry, level }));
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    setRequestLogHook(() => undefined);
    jest.restoreAllMocks();
  });

  it('logs a success once with method, route id, status, latency, both request ids and the caller', async () => {
    // Act
    const res = await ok(httpEvent('GET', url, { token: 'alice:p1' }), context());
    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe('INFO');
    expect(lines[0].entry).toMatchObject({ message: 'request', method: 'GET', route: 'providers.show', status: 200, project: 'p1', user: 'alice' });
    expect(lines[0].entry.requestId).toBe(res.headers['X-Openstack-Request-Id']);
    expect(lines[0].entry.latencyMs).toBeGreaterThanOrEqual(0);
    expect(lines[0].entry.fault).toBeUndefined();
  });

  it('logs a refused request at WARN with its fault message, and a 500 at ERROR without the internal detail', async () => {
    // Act
    await missing(httpEvent('GET', url, { token: 'alice:p1' }), context());
    await boom(httpEvent('GET', url, { token: 'alice:p1' }), context());
    await ok(httpEvent('GET', url, { token: 'bob:p2' }), context());
    // Assess
    expect(lines.map((l) => [l.level, l.entry.status, l.entry.fault])).toEqual([
      ['WARN', 404, 'Plan x could not be found.'],
      ['ERROR', 500, expect.not.stringContaining('secret detail')],
      ['WARN', 400, "Malformed request url: the token is for project 'p2', not the URL's project 'p1'."],
    ]);
  });

  it('logs the requests no route matched (the fallback function, API Gateway $default) like any route', async () => {
    // Act
    const missing = await fallback(httpEvent('GET', '/v1/p1/nowhere', { token: 'alice:p1' }), context());
    const wrongMethod = await fallback(httpEvent('PATCH', '/v1/p1/plans', { token: 'alice:p1' }), context());
    // Assess
    expect(lines.map((l) => [l.level, l.entry.method, l.entry.route, l.entry.status])).toEqual([
      ['WARN', 'GET', 'fallback', 404],
      ['WARN', 'PATCH', 'fallback', 405],
    ]);
    expect(lines.map((l) => l.entry.requestId)).toEqual([missing.headers['X-Openstack-Request-Id'], wrongMethod.headers['X-Openstack-Request-Id']]);
    for (const { entry } of lines) expect(entry.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('never logs the token or the body', async () => {
    // Act
    await ok(httpEvent('POST', url, { token: 'alice:p1', body: '{"restore_auth": {"password": "hunter2"}}' }), context());
    // Assess
    const text = JSON.stringify(lines);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('alice:p1');
  });
});
