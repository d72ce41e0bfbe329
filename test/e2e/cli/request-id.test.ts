import { setRequestLogHook } from '../../../shared/observability/logger';
import { describeCli, karbor } from '../../support/karbor-cli';
import { startTestServer, type TestServer } from '../../support/local-server';

const PROJECT = 'clireqid';
const REQUEST_ID = /req-[0-9a-f-]{36}/;

/**
 * README "Operations": the `req-...` id the karbor CLI prints finds that
 * request's log line (`grep <id>` over what the server printed). The server
 * here is the real local one; its stdout (Powertools' JSON lines, as
 * `npm start` prints them when not on a terminal, and as Lambda does) is
 * captured.
 */
describeCli('a request id printed by the karbor CLI finds its log line', () => {
  let server: TestServer;
  let printed: string[];
  /** The server's JSON log lines holding `id`: what `grep <id>` would print. */
  const grep = (id: string) =>
    printed
      .join('')
      .split('\n')
      .filter((l) => l.includes(id))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    server = await startTestServer();
  });
  beforeEach(() => {
    printed = [];
    // The request lines go where npm start sends them (test/support/quiet-logs.ts silences them otherwise).
    setRequestLogHook(undefined);
    // Powertools writes INFO to stdout, WARN and ERROR to stderr: `npm start 2>&1` gets both.
    for (const stream of [process.stdout, process.stderr]) {
      jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      }) as typeof stream.write);
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    setRequestLogHook(() => undefined);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('from a failed call: the id in the error message', async () => {
    // Act
    const out = await karbor(server.url, PROJECT, ['plan-show', '0bd5cd6b-6e4f-4a2e-9b5e-8a0d7c1f2e3d']);
    const id = REQUEST_ID.exec(out.stderr)?.[0];
    // Assess
    expect(out.status).not.toBe(0);
    expect(id).toBeDefined();
    const lines = grep(id!);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'WARN', message: 'request', method: 'GET', route: 'plans.show', status: 404, requestId: id, project: PROJECT });
    expect(lines[0].latencyMs).toEqual(expect.any(Number));
    expect(lines[0].fault).toContain('could not be found');
  });

  it('from a call that worked: the X-Openstack-Request-Id header --debug prints', async () => {
    // Act
    const out = await karbor(server.url, PROJECT, ['--debug', 'provider-list']);
    const header = /x-openstack-request-id['"]?\s*[:=]\s*['"]?(req-[0-9a-f-]{36})/i.exec(out.stderr + out.stdout);
    // Assess
    expect(out.status).toBe(0);
    expect(header).not.toBeNull();
    const lines = grep(header![1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'request', method: 'GET', route: 'providers.list', status: 200, requestId: header![1] });
    expect(lines[0].latencyMs).toEqual(expect.any(Number));
  });
});
