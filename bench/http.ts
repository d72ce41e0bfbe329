/** The noop provider every bench plan uses (shared/providers/config). */
export const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';

/**
 * One API request as the project's admin (the project is the path's
 * `/v1/<project>`): the parsed JSON body, or an error on any status >= 300.
 */
export const call = async (ctx: { url: string }, method: string, p: string, body?: unknown): Promise<any> => {
  const project = /^\/v1\/([^/]+)/.exec(p)![1];
  const res = await fetch(`${ctx.url}${p}`, {
    method,
    headers: { 'X-Auth-Token': `admin:${project}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
};
