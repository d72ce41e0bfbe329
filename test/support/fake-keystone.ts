import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Keystone's token validation (GET /v3/auth/tokens): Keystone
 * cannot run here. It answers as Keystone does for the tokens it was given,
 * 404 for any other, and records each validation it was asked for.
 * https://docs.openstack.org/api-ref/identity/v3/#validate-and-show-information-for-token
 */
export interface FakeToken {
  userId: string;
  /** Absent: an unscoped token. */
  projectId?: string;
  roles: string[];
  expiresAt?: string;
}

export interface FakeKeystone {
  url: string;
  tokens: Map<string, FakeToken>;
  /** X-Subject-Token of every validation asked. */
  asked: string[];
  /** Answer every request with this status (an outage), when set. */
  failWith?: number;
  stop(): Promise<void>;
}

export const startFakeKeystone = async (): Promise<FakeKeystone> => {
  const fake: FakeKeystone = { url: '', tokens: new Map(), asked: [], stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const subject = String(req.headers['x-subject-token'] ?? '');
    const caller = String(req.headers['x-auth-token'] ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.failWith) return send(fake.failWith, { error: { code: fake.failWith, message: 'down' } });
    if (req.method !== 'GET' || !req.url?.startsWith('/v3/auth/tokens')) return send(404, { error: { code: 404 } });
    fake.asked.push(subject);
    if (!fake.tokens.has(caller)) return send(401, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const t = fake.tokens.get(subject);
    if (!t) return send(404, { error: { code: 404, title: 'Not Found', message: `Could not find token: ${subject}.` } });
    res.setHeader('X-Subject-Token', subject);
    return send(200, {
      token: {
        methods: ['password'],
        user: { id: t.userId, name: t.userId, domain: { id: 'default', name: 'Default' } },
        ...(t.projectId ? { project: { id: t.projectId, name: t.projectId, domain: { id: 'default', name: 'Default' } } } : {}),
        roles: t.roles.map((name, i) => ({ id: `role-${i}`, name })),
        expires_at: t.expiresAt ?? new Date(Date.now() + 3600_000).toISOString().replace('Z', '000Z'),
        issued_at: new Date().toISOString(),
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
};
