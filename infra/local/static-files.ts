import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { CONSOLE_SECURITY_HEADERS, consoleConnectOrigins, consoleContentSecurityPolicy } from '../console-headers';

/** Where `npm start` serves the console (console/dist): never under /v1. */
export const CONSOLE_PATH = '/console/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const plain = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
};

/**
 * Serves a GET or HEAD for `/console` or `/console/...` from `dir`; answers
 * false for any other path, which then goes to the route table. A path that
 * decodes outside `dir` (`..`, `%2e%2e`, a backslash, a NUL) is a 404.
 */
export const serveConsole = async (dir: string, method: string, rawPath: string, res: ServerResponse): Promise<boolean> => {
  if (rawPath !== '/console' && !rawPath.startsWith(CONSOLE_PATH)) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    plain(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
    return true;
  }
  // The files use relative URLs, so the folder needs its slash.
  if (rawPath === '/console') {
    plain(res, 308, CONSOLE_PATH, { location: CONSOLE_PATH });
    return true;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(rawPath.slice(CONSOLE_PATH.length)) || 'index.html';
  } catch {
    relative = '\0';
  }
  const root = path.resolve(dir);
  const file = path.resolve(root, relative);
  if (relative.includes('\0') || relative.includes('\\') || !file.startsWith(root + path.sep)) {
    plain(res, 404, 'Not Found');
    return true;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    plain(res, 404, relative === 'index.html' ? 'The console is not built: run `node console/build.js`.' : 'Not Found');
    return true;
  }
  // What the page may connect to, from the build's own config.json (a Cognito endpoint it signs in with).
  const config = await readFile(path.join(root, 'config.json'), 'utf8')
    .then((text) => JSON.parse(text) as Record<string, unknown>)
    .catch(() => ({}));
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': String(body.length),
    // Vite names assets by content hash: they never change; the page must be revalidated.
    'cache-control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    // As CloudFront sends them (infra/console-headers.ts); locally the API is on the console's own origin.
    'content-security-policy': consoleContentSecurityPolicy(consoleConnectOrigins(config)),
    ...CONSOLE_SECURITY_HEADERS,
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
};
