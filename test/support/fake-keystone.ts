import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Keystone (it cannot run here): version discovery, password
 * authentication that issues project-scoped tokens with a catalog, and token
 * validation (GET /v3/auth/tokens), which answers as Keystone does for the
 * tokens it knows, 404 for any other, and records each validation asked.
 * https://docs.openstack.org/api-ref/identity/v3/#validate-and-show-information-for-token
 */
export interface FakeToken {
  userId: string;
  /** Absent: an unscoped token. */
  projectId?: string;
  roles: string[];
  expiresAt?: string;
}

/** A user who can get a project-scoped token with a password (POST /v3/auth/tokens). */
export interface FakeAccount {
  userId: string;
  password: string;
  projectName: string;
  projectId: string;
  roles: string[];
}

export interface FakeKeystone {
  url: string;
  tokens: Map<string, FakeToken>;
  /** By user name. */
  accounts: Map<string, FakeAccount>;
  /** The `data-protect` endpoint of the catalog for a project, when set. */
  catalogUrl?: (projectId: string) => string;
  /** X-Subject-Token of every validation asked. */
  asked: string[];
  /** Answer every request with this status (an outage), when set. */
  failWith?: number;
  stop(): Promise<void>;
}

export const startFakeKeystone = async (): Promise<FakeKeystone> => {
  const fake: FakeKeystone = { url: '', tokens: new Map(), accounts: new Map(), asked: [], stop: async () => undefined };
  const tokenBody = (t: FakeToken, expiresAt: string, withCatalog: boolean) => ({
    token: {
      methods: ['password'],
      user: { id: t.userId, name: t.userId, domain: { id: 'default', name: 'Default' } },
      ...(t.projectId ? { project: { id: t.projectId, name: t.projectId, domain: { id: 'default', name: 'Default' } } } : {}),
      roles: t.roles.map((name, i) => ({ id: `role-${i}`, name })),
      expires_at: expiresAt,
      issued_at: new Date().toISOString(),
      ...(withCatalog && fake.catalogUrl && t.projectId
        ? {
            catalog: [
              {
                id: 'svc-karbor',
                type: 'data-protect',
                name: 'karbor',
                endpoints: [{ id: 'ep-karbor', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: fake.catalogUrl(t.projectId) }],
              },
            ],
          }
        : {}),
    },
  });
  /** Keystone's password authentication: a project-scoped token with the catalog. */
  const issue = (body: string, res: ServerResponse) => {
    const auth = (JSON.parse(body || '{}') as { auth?: any }).auth;
    const user = auth?.identity?.password?.user;
    const account = fake.accounts.get(String(user?.name ?? ''));
    const scope = auth?.scope?.project;
    if (!account || account.password !== user?.password) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } }));
    }
    if (scope?.name !== account.projectName && scope?.id !== account.projectId) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ error: { code: 401, title: 'Unauthorized', message: 'No project access.' } }));
    }
    const token = `tok-${randomUUID()}`;
    const t: FakeToken = { userId: account.userId, projectId: account.projectId, roles: account.roles };
    fake.tokens.set(token, t);
    res.writeHead(201, { 'Content-Type': 'application/json', 'X-Subject-Token': token });
    return res.end(JSON.stringify(tokenBody(t, new Date(Date.now() + 3600_000).toISOString().replace('Z', '000Z'), true)));
  };
  const server: Server = createServer((req, res) => {
    const subject = String(req.headers['x-subject-token'] ?? '');
    const caller = String(req.headers['x-auth-token'] ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.failWith) return send(fake.failWith, { error: { code: fake.failWith, message: 'down' } });
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    // Version discovery, as keystoneauth asks before authenticating.
    if (req.method === 'GET' && (path === '/v3' || path === '')) {
      return send(200, {
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${fake.url}/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
    }
    if (req.method === 'POST' && path === '/v3/auth/tokens') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => issue(body, res));
      return undefined;
    }
    if (req.method !== 'GET' || path !== '/v3/auth/tokens') return send(404, { error: { code: 404 } });
    fake.asked.push(subject);
    if (!fake.tokens.has(caller))
      return send(401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const t = fake.tokens.get(subject);
    if (!t) return send(404, { error: { code: 404, title: 'Not Found', message: `Could not find token: ${subject}.` } });
    res.setHeader('X-Subject-Token', subject);
    return send(200, tokenBody(t, t.expiresAt ?? new Date(Date.now() + 3600_000).toISOString().replace('Z', '000Z'), !req.url?.includes('nocatalog')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
};
