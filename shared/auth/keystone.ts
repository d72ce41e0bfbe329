import { createHash } from 'node:crypto';
import type { Identity } from '../kernel/identity';

/**
 * Keystone token validation, as keystonemiddleware does in front of Karbor:
 * `GET /v3/auth/tokens` with the token as both X-Auth-Token and
 * X-Subject-Token (Keystone lets a token validate itself, so no service
 * account is needed). Only project-scoped tokens are accepted: Karbor keys
 * everything by project. Roles are the role names; `admin` makes an admin,
 * as Karbor's `is_admin` rule.
 * https://docs.openstack.org/api-ref/identity/v3/#validate-and-show-information-for-token
 */
export class KeystoneUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeystoneUnavailableError';
  }
}

interface KeystoneIdentity extends Identity {
  expiresAt: string;
}

interface KeystoneOptions {
  /** Keystone's base URL, e.g. `https://keystone.example.com:5000` (with or without `/v3`). */
  url: string;
  /** Seconds a validated token is trusted without asking again (never past its expiry); 0 = always ask. */
  cacheSeconds?: number;
  /** Tokens kept in the cache; the oldest goes first. */
  maxEntries?: number;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export type TokenValidator = (token: string) => Promise<KeystoneIdentity | undefined>;

interface TokenBody {
  token?: {
    expires_at?: string;
    user?: { id?: string };
    project?: { id?: string };
    roles?: Array<{ name?: string }>;
  };
}

/** The identity a validated token carries, or undefined for one Karbor cannot use (unscoped, expired). */
const identityOfToken = (body: TokenBody, now: Date): KeystoneIdentity | undefined => {
  const t = body.token;
  const userId = t?.user?.id;
  const projectId = t?.project?.id;
  const expiresAt = t?.expires_at;
  if (!userId || !projectId || !expiresAt || !(Date.parse(expiresAt) > now.getTime())) return undefined;
  const roles = (t.roles ?? []).map((r) => r.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
  return { userId, projectId, roles, isAdmin: roles.includes('admin'), expiresAt };
};

const TOKEN_TEXT = /^[\x21-\x7e]{1,8192}$/;

export const keystoneValidator = (opts: KeystoneOptions): TokenValidator => {
  const base = opts.url.replace(/\/+$/, '').replace(/\/v3$/, '');
  const cacheMs = (opts.cacheSeconds ?? 300) * 1000;
  const maxEntries = opts.maxEntries ?? 1000;
  const now = opts.now ?? (() => new Date());
  const get = opts.fetch ?? fetch;
  // Keyed by a hash: the cache never holds a usable token.
  const cache = new Map<string, { identity: KeystoneIdentity; until: number }>();

  const ask = async (token: string): Promise<KeystoneIdentity | undefined> => {
    let res: Response;
    try {
      res = await get(`${base}/v3/auth/tokens?nocatalog`, {
        headers: { 'X-Auth-Token': token, 'X-Subject-Token': token, Accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 3000),
      });
    } catch (error) {
      throw new KeystoneUnavailableError(`Keystone at ${base} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    // 401: the token cannot act (expired, revoked, garbage); 404: no such token.
    if (res.status === 401 || res.status === 403 || res.status === 404) return undefined;
    if (res.status !== 200) throw new KeystoneUnavailableError(`Keystone at ${base} answered ${res.status} to a token validation`);
    let body: TokenBody;
    try {
      body = (await res.json()) as TokenBody;
    } catch {
      throw new KeystoneUnavailableError(`Keystone at ${base} answered a token validation with a body that is not JSON`);
    }
    return identityOfToken(body, now());
  };

  return async (token) => {
    // Keystone's tokens are printable ASCII; anything else could not even be sent as a header.
    if (!TOKEN_TEXT.test(token)) return undefined;
    const key = createHash('sha256').update(token).digest('base64url');
    const at = now().getTime();
    const hit = cache.get(key);
    if (hit && hit.until > at) return hit.identity;
    cache.delete(key);
    const identity = await ask(token);
    if (identity && cacheMs > 0) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(key, { identity, until: Math.min(at + cacheMs, Date.parse(identity.expiresAt)) });
    }
    return identity;
  };
};
