import http from 'node:http';

/** The noop provider every bench plan uses (shared/features/providers/config). */
export const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

/**
 * The bench's HTTP client: node:http over kept-alive sockets. Node's fetch
 * (undici) spends about 0.5 ms of its own per request, which section 1 would
 * otherwise count as the server's overhead.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export const request = (url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> =>
  new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

/**
 * One API request as the project's admin (the project is the path's
 * `/v1/<project>`): the parsed JSON body, or an error on any status >= 300.
 */
export const call = async (ctx: { url: string }, method: string, p: string, body?: unknown): Promise<any> => {
  const project = /^\/v1\/([^/]+)/.exec(p)![1];
  const send = () =>
    request(
      `${ctx.url}${p}`,
      method,
      { 'X-Auth-Token': `admin:${project}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body ? JSON.stringify(body) : undefined,
    );
  // A kept-alive socket the server closed as the request went out: a GET is sent again, once.
  const res = await send().catch((error: NodeJS.ErrnoException) => {
    if (method === 'GET' && error.code === 'ECONNRESET') return send();
    throw error;
  });
  if (res.status >= 300) throw new Error(`${method} ${p} -> ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : undefined;
};

/**
 * Every item of a list route, following Karbor's next-page links: pages of
 * 1000, each from the last item's id. `query` is the list's own query string.
 */
export const listAll = async (ctx: { url: string }, collection: string, key: string, query = ''): Promise<any[]> => {
  const all: any[] = [];
  let marker: string | undefined;
  for (;;) {
    const body = await call(ctx, 'GET', `${collection}?${query}${query ? '&' : ''}limit=1000${marker ? `&marker=${marker}` : ''}`);
    all.push(...body[key]);
    if (!body[`${key}_links`]) return all;
    marker = body[key][body[key].length - 1].id;
  }
};
