import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * A local OIDC issuer for tests: an RSA key whose public half is served as a
 * JWKS behind an OpenID discovery document, as Cognito and any OIDC provider
 * publish theirs, and a signer for tokens with whatever claims a test needs.
 */
export interface TestIssuer {
  /** The `iss` of its tokens (its own URL). */
  issuer: string;
  /** Signs a token: `iss`, `iat` and a one-hour `exp` unless the claims say otherwise. */
  sign(claims: JWTPayload, opts?: { key?: 'own' | 'stranger'; alg?: string }): Promise<string>;
  /** Requests for the key set, so a test can see the server caches it. */
  jwksRequests: number;
  stop(): Promise<void>;
}

export const startTestIssuer = async (): Promise<TestIssuer> => {
  const own = await generateKeyPair('RS256');
  // Same algorithm, another key: a forged signature.
  const stranger = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let base = '';
  const state = { jwksRequests: 0 };
  const server = createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
    } else if (req.url === '/keys') {
      state.jwksRequests += 1;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    get jwksRequests() {
      return state.jwksRequests;
    },
    sign: async (claims, opts = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const key = opts.key === 'stranger' ? stranger.privateKey : own.privateKey;
      return new SignJWT({ iss: base, iat: now, exp: now + 3600, ...claims }).setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: 'test-key' }).sign(key);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
