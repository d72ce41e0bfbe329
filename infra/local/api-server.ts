import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2, Context } from 'aws-lambda';
import { meterInvocation } from './dynamo-metering';
import { BODY_TOO_LARGE, MAX_BODY_BYTES } from '../../shared/http/body-guard';
import { MALFORMED_URL } from '../../shared/http/middleware/access';
import { faultBody } from '../../shared/http/faults';
import { matchRoute } from '../../shared/http/route-match';
import { fallbackRoute, type RouteDef } from '../../shared/http/routes';
import { apiDocs } from './api-docs';
import type { LocalHost } from './host';
import { lambdaContext, toHttpApiEvent } from './http-api-event';
import type { JwtVerifier } from './jwt-verifier';
import { serveConsole } from './static-files';
import { REPORT_DOWNLOAD_PATH } from '../../shared/features/reports/model';
import { serveReportDownload } from './report-downloads';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const DEFAULT_TIMEOUT_SECONDS = 10;

export interface ApiServerOptions {
  /** Where route modules live: the repo root (ts, under jest) or the esbuild output (npm start). */
  moduleRoot: string;
  /** The runtime the route handlers load and run in (its settings, its bus). */
  host: LocalHost;
  log?: (line: string) => void;
  /**
   * The API's Lambda authorizer (keystone mode): run before every route but
   * the public ones, its context handed to the route as API Gateway does.
   */
  authorize?: (event: APIGatewayRequestAuthorizerEventV2) => Promise<{ context?: Record<string, unknown> }>;
  /** JWT mode: API Gateway's JWT authorizer before every route but the public ones. */
  verifyJwt?: JwtVerifier;
  /** The built console (console/dist), served at /console/ before any route matching. */
  consoleDir?: string;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** What API Gateway's JWT authorizer answers a request without a valid token: its own body, not Karbor's fault (docs/decisions.md). */
const JWT_UNAUTHORIZED = json(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });

/**
 * No function reads a body over MAX_BODY_BYTES (1 MB, shared/http/body-guard.ts):
 * the local server answers the function's own 413 as soon as a body passes
 * it, rather than buffering up to API Gateway's 10 MB first, so a large
 * body costs no more than the bytes it sends.
 * The rest of such a body is drained unread.
 */
const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const send = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void => {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  res.writeHead(result.statusCode ?? 200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
};

/** The REQUEST authorizer event (payload 2.0) API Gateway sends for a request. */
const authorizerEvent = (event: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 => ({
  version: '2.0',
  type: 'REQUEST',
  routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${event.requestContext.http.method}${event.rawPath}`,
  identitySource: [],
  routeKey: event.routeKey,
  rawPath: event.rawPath,
  rawQueryString: event.rawQueryString,
  cookies: event.cookies ?? [],
  headers: event.headers,
  queryStringParameters: event.queryStringParameters ?? {},
  requestContext: event.requestContext,
  pathParameters: event.pathParameters ?? {},
  stageVariables: {},
});

/** The request target as a URL, or undefined when it is not one (`http://[/v1`). */
const requestUrl = (target: string | undefined): URL | undefined => {
  try {
    return new URL(target ?? '/', 'http://local');
  } catch {
    return undefined;
  }
};

/** Path segments decoded for matching; a segment that cannot be decoded matches nothing. */
const decodedPath = (rawPath: string): string | undefined => {
  try {
    return rawPath.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
};

/**
 * The local API Gateway: matches the route table (literal segments beat
 * `{params}`), builds the payload 2.0 event and calls the route's handler
 * module, imported once. Misses go to the same fallback handler as `$default`.
 */
export const createApiServer = (options: ApiServerOptions): Server => {
  const handlers = new Map<string, Handler>();
  const load = (route: RouteDef): Handler => {
    let handler = handlers.get(route.module);
    if (!handler) {
      handler = options.host.load<{ handler: Handler }>(route.module).handler;
      handlers.set(route.module, handler);
    }
    return handler;
  };

  const docs = apiDocs(options.moduleRoot);

  const server = createServer((req, res) => {
    void (async () => {
      const url = requestUrl(req.url);
      if (!url) {
        send(res, json(400, faultBody(400, MALFORMED_URL)));
        return;
      }
      const rawPath = (req.url ?? '/').split('?')[0];
      if (options.consoleDir && (await serveConsole(options.consoleDir, req.method ?? 'GET', rawPath, res))) {
        options.log?.(`${req.method} ${req.url} ${res.statusCode}`);
        return;
      }
      if (req.method === 'GET' && rawPath === REPORT_DOWNLOAD_PATH) {
        // S3's presigned GET, locally (docs/decisions.md §22).
        const download = await options.host.run(() => serveReportDownload(url.searchParams));
        options.log?.(`${req.method} ${REPORT_DOWNLOAD_PATH} ${download.statusCode}`);
        send(res, download);
        return;
      }
      const page = req.method === 'GET' ? docs(rawPath, `http://${req.headers.host ?? 'localhost'}`) : undefined;
      if (page) {
        options.log?.(`${req.method} ${req.url} ${page.statusCode}`);
        send(res, page);
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        send(res, json(413, faultBody(413, BODY_TOO_LARGE)));
        return;
      }
      const decoded = decodedPath(rawPath);
      const match = decoded === undefined ? { kind: 'none' as const } : matchRoute(req.method ?? 'GET', decoded);
      const route = match.kind === 'route' ? match.route : fallbackRoute;
      const event = toHttpApiEvent(
        {
          method: req.method ?? 'GET',
          rawPath,
          rawQueryString: url.search.slice(1),
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        },
        match.kind === 'route' ? match.route : undefined,
        match.kind === 'route' ? match.pathParameters : undefined,
      );
      if (options.authorize && !route.public) {
        const { context } = await options.authorize(authorizerEvent(event));
        (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: context ?? {} };
      }
      if (options.verifyJwt && !route.public) {
        let claims: Record<string, string> | undefined;
        try {
          claims = await options.verifyJwt(event.headers['x-auth-token']);
        } catch (error) {
          console.error(`JWT keys could not be read: ${String(error)}`);
          send(res, json(503, faultBody(503, "The token issuer's keys could not be read; retry later.")));
          return;
        }
        if (!claims) {
          options.log?.(`${req.method} ${req.url} 401`);
          send(res, JWT_UNAUTHORIZED);
          return;
        }
        (event.requestContext as { authorizer?: unknown }).authorizer = { jwt: { claims, scopes: null } };
      }
      const invoke = () => load(route)(event, lambdaContext(route.id, route.timeout ?? DEFAULT_TIMEOUT_SECONDS));
      const result = await options.host.run(() => meterInvocation(route.id, invoke));
      options.log?.(`${req.method} ${req.url} ${result.statusCode}`);
      send(res, result);
    })().catch((error: unknown) => {
      // A client that went away mid-request needs no answer.
      if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      // Only a bug in this server gets here: handlers answer their own errors.
      console.error(error);
      if (!res.headersSent) {
        send(res, json(500, faultBody(500, 'Local server error.')));
      }
    });
  });
  // Requests Node cannot parse (headers over its 16 KB, a bad Transfer-Encoding, ...) get a fault too, not Node's bare reply.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const large = error.code === 'HPE_HEADER_OVERFLOW';
    const status = large ? 431 : 400;
    const body = JSON.stringify(faultBody(status, large ? 'Request headers are too large.' : 'Malformed HTTP request.'));
    const reason = large ? 'Request Header Fields Too Large' : 'Bad Request';
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // Keep idle connections longer than clients do (Node's fetch keeps them 4 s), so a
  // client never reuses a socket the server is closing (ECONNRESET under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
};
