/**
 * The headers the console's files are served with: by CloudFront on AWS
 * (infra/constructs/console.ts) and by `npm start` (infra/local/static-files.ts),
 * so the browser enforces the same policy on a laptop as in a deployment.
 *
 * The content security policy allows scripts, styles and images from the
 * console's own origin only (Vite's build has no inline script or style),
 * and connections to that origin plus `connect` (the API's origin and, in
 * Cognito mode, Cognito's endpoint): an injected script could neither load
 * code from elsewhere nor send a token anywhere else.
 */
export const consoleContentSecurityPolicy = (connect: readonly string[] = []): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    ['connect-src', "'self'", ...connect].join(' '),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');

/** The other security headers, as header name -> value (CloudFront's security headers say the same). */
export const CONSOLE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
} as const;

/**
 * The origins a console with this config.json connects to beside its own: the
 * API's (`apiUrl`) and Cognito's (`cognitoEndpoint`, else the Region's, when it
 * signs in with a user pool). `npm start` serves the policy from this.
 */
export const consoleConnectOrigins = (config: { apiUrl?: unknown; cognitoEndpoint?: unknown; cognitoRegion?: unknown }): string[] => {
  const origin = (url: unknown) => {
    try {
      return typeof url === 'string' ? new URL(url).origin : undefined;
    } catch {
      return undefined;
    }
  };
  const cognito =
    origin(config.cognitoEndpoint) ??
    (typeof config.cognitoRegion === 'string' && /^[a-z0-9-]+$/.test(config.cognitoRegion)
      ? `https://cognito-idp.${config.cognitoRegion}.amazonaws.com`
      : undefined);
  return [origin(config.apiUrl), cognito].filter((o): o is string => o !== undefined);
};
