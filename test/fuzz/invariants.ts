import { faultBody } from '../../shared/http/faults';

/**
 * What every response must be, whatever the request: no 5xx but a
 * documented 503, every 4xx a Karbor fault body with its own status, every
 * success JSON, and a 204 only as the noauth login reply.
 */

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** The fault name Karbor gives a status (`badRequest` for 400, ...). */
const faultNameOf = (status: number): string => Object.keys(faultBody(status, ''))[0];

const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** The fault body's problem, or undefined when it is `{"<name>": {"code": status, "message": "..."}}`. */
export const faultProblem = (status: number, text: string): string | undefined => {
  const parsed = parse(text);
  if (!parsed.ok) return `a ${status} whose body is not JSON`;
  const body = parsed.value;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return `a ${status} whose body is no object`;
  const keys = Object.keys(body);
  const name = faultNameOf(status);
  if (keys.length !== 1 || keys[0] !== name) return `a ${status} whose fault is [${keys.join(', ')}], not ${name}`;
  const fault = (body as Record<string, unknown>)[name] as Record<string, unknown> | null;
  if (fault === null || typeof fault !== 'object') return `a ${status} whose ${name} is no object`;
  if (fault.code !== status) return `a ${status} whose fault code is ${JSON.stringify(fault.code)}`;
  if (typeof fault.message !== 'string' || fault.message.length === 0) return `a ${status} without a message`;
  const extra = Object.keys(fault).filter((k) => !['code', 'message', ...(status === 413 ? ['retryAfter'] : [])].includes(k));
  if (extra.length > 0) return `a ${status} whose fault has extra keys ${extra.join(', ')}`;
  return undefined;
};

/** The problem with one reply, or undefined. `sentToken`: whether the request carried X-Auth-Token. */
export const replyProblem = (reply: Reply, sentToken: boolean): string | undefined => {
  const { status, text } = reply;
  if (status === 503) return faultProblem(status, text);
  if (status >= 500) return `a ${status}: ${text.slice(0, 300)}`;
  if (status >= 400) return faultProblem(status, text);
  if (status === 204) {
    // The noauth login reply: only for a request without a token, and it names the token to use.
    if (sentToken) return 'a 204 to a request with a token';
    if (!reply.headers.get('x-auth-token')) return 'a 204 login reply without X-Auth-Token';
    return text.length === 0 ? undefined : 'a 204 with a body';
  }
  if (status !== 200 && status !== 300) return `an unexpected status ${status}`;
  // Some successes are empty by contract (scheduled operation delete: 200, empty body).
  if (text.length === 0) return undefined;
  if (!parse(text).ok) return `a ${status} whose body is not JSON`;
  if (reply.headers.get('content-type') !== 'application/json') return `a ${status} with Content-Type ${reply.headers.get('content-type')}`;
  return undefined;
};

/** The version document `GET /` answers: the server is alive and routing. */
export const healthProblem = (reply: Reply): string | undefined => {
  if (reply.status !== 300) return `GET / answered ${reply.status}`;
  const parsed = parse(reply.text);
  const versions = parsed.ok ? (parsed.value as { versions?: { id?: string }[] }).versions : undefined;
  return versions?.[0]?.id === 'v1.0' ? undefined : `GET / answered ${reply.text.slice(0, 200)}`;
};
