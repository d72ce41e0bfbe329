import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/**
 * The local stand-in for API Gateway's JWT authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * the token in `X-Auth-Token` (a `Bearer ` prefix allowed) must be signed by
 * one of the issuer's keys with an RSA algorithm, carry the issuer, be within
 * its `exp`/`nbf`, and name an accepted audience in `aud` or, without one,
 * in `client_id` (Cognito's access tokens). A verified token's claims reach
 * the route as API Gateway passes them: every value a string.
 */
export interface JwtVerifierOptions {
  issuer: string;
  audience: string[];
  /** The issuer's key set; default the `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
}

export type JwtVerifier = (token: string | undefined) => Promise<Record<string, string> | undefined>;

/** API Gateway's claim values: strings as they are, arrays as `[a b]`, anything else as JSON. */
const asGatewayClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : JSON.stringify(v)]));

const discoverJwks = async (issuer: string): Promise<URL> => {
  const res = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
  const doc = res.ok ? ((await res.json()) as { jwks_uri?: unknown }) : {};
  if (typeof doc.jwks_uri !== 'string') throw new Error(`the issuer ${issuer} publishes no jwks_uri in its OpenID configuration (set KARBOR_JWKS_URL)`);
  return new URL(doc.jwks_uri);
};

export const jwtVerifier = (opts: JwtVerifierOptions): JwtVerifier => {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keySet = async () => {
    keys ??= createRemoteJWKSet(opts.jwksUrl ? new URL(opts.jwksUrl) : await discoverJwks(opts.issuer));
    return keys;
  };
  return async (header) => {
    const token = header?.replace(/^Bearer\s+/i, '').trim();
    // A JWS in compact form: three base64url parts. Anything else is refused unread.
    if (!token || token.length > 8192 || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) return undefined;
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer: opts.issuer,
        algorithms: ['RS256', 'RS384', 'RS512'],
      });
      const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
      if (!audiences.some((a) => typeof a === 'string' && opts.audience.includes(a))) return undefined;
      return asGatewayClaims(payload);
    } catch (error) {
      // A bad token is a 401; an unreachable key set is the server's problem, not the caller's.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) return undefined;
      throw error;
    }
  };
};
