import type { components, operations } from './api-types';

/** The public Karbor v1 API as the console uses it: the user's token in X-Auth-Token, Karbor's fault JSON on errors. */

export interface Session {
  /** The API's origin ('' = this page's origin, as `npm start` serves it). */
  apiUrl: string;
  project: string;
  token: string;
  /** Cognito mode: the refresh token, which gets a new ID token when the API refuses an expired one (an hour). */
  refreshToken?: string;
}

/*
 * The API's shapes come from docs/openapi.json (`npm run openapi` regenerates
 * api-types.ts with openapi-typescript): a field whose shape changes in the
 * API changes here too, and tsc finds every view that reads it.
 */
type Schemas = components['schemas'];

/** An operation of the document, by its id (the route id: `plans.list`). */
export type OperationId = keyof operations;
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : undefined;
/** The success body of an operation (Karbor answers 200; the root versions document 300). */
export type Answer<Id extends OperationId> = operations[Id]['responses'] extends { 200: infer R } | { 300: infer R } ? JsonOf<R> : never;
/** The request body an operation takes. */
export type RequestBody<Id extends OperationId> = JsonOf<NonNullable<operations[Id]['requestBody']>>;

export type Progress = Schemas['JobProgress'];
export type Plan = Schemas['Plan'];
export type ProtectableInstance = Schemas['ProtectableInstance'];
/** A resource as a new plan names it: what discovery found of it. */
export type PlanResourceInput = Pick<ProtectableInstance, 'id' | 'type' | 'name'>;
export type Provider = Schemas['Provider'];
export type Trigger = Schemas['Trigger'];
export type ScheduledOperation = Schemas['ScheduledOperation'];
export type LastRun = NonNullable<ScheduledOperation['last_run']>;
export type OperationLog = Schemas['OperationLog'];
export type Restore = Schemas['Restore'];
export type Overview = Schemas['Overview'];
export type Verification = Schemas['Verification'];
export type Destination = Schemas['Destination'];
export type CheckpointLock = Schemas['CheckpointLock'];
export type Checkpoint = Schemas['Checkpoint'] & {
  /** Which provider's list it came from (the view carries it only inside protection_plan). */
  provider_id: string;
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The message of a Karbor fault (`{"badRequest": {"code": 400, "message": "..."}}`) or of API Gateway's `{"message"}`. */
const faultMessage = (status: number, body: unknown): string => {
  if (body && typeof body === 'object') {
    const inner = Object.values(body as Record<string, unknown>)[0];
    if (inner && typeof inner === 'object' && 'message' in inner) return String((inner as { message: unknown }).message);
    if ('message' in body) return String((body as { message: unknown }).message);
  }
  return `HTTP ${status}`;
};

/** One API call, typed by its operation: `call<'plans.list'>(s, 'GET', '/plans')` answers the document's plan page. */
export const call = async <Id extends OperationId>(s: Session, method: string, path: string, body?: RequestBody<Id>): Promise<Answer<Id>> => {
  const headers: Record<string, string> = { 'X-Auth-Token': s.token, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${s.apiUrl}/v1/${encodeURIComponent(s.project)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (!res.ok) throw new ApiError(res.status, faultMessage(res.status, parsed));
  return parsed as Answer<Id>;
};

/** config.json: the API's URL, the auth mode and, in Cognito mode, the user pool's region and app client (`cognitoEndpoint` overrides Cognito's URL, for tests). */
export interface ConsoleConfig {
  apiUrl?: string;
  authMode?: string;
  cognitoRegion?: string;
  cognitoClientId?: string;
  cognitoEndpoint?: string;
}

/** Cognito's InitiateAuth over plain fetch: its AuthenticationResult, or an error with Cognito's message. */
const initiateAuth = async (c: ConsoleConfig, flow: string, parameters: Record<string, string>) => {
  const res = await fetch(c.cognitoEndpoint ?? `https://cognito-idp.${c.cognitoRegion}.amazonaws.com/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: flow, ClientId: c.cognitoClientId, AuthParameters: parameters }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    message?: string;
    ChallengeName?: string;
    AuthenticationResult?: { IdToken?: string; RefreshToken?: string };
  };
  if (!res.ok) throw new Error(body.message ?? `Cognito answered HTTP ${res.status}`);
  if (!body.AuthenticationResult?.IdToken)
    throw new Error(body.ChallengeName ? `Cognito asks for ${body.ChallengeName}: paste a token instead.` : 'Cognito returned no ID token.');
  return body.AuthenticationResult as { IdToken: string; RefreshToken?: string };
};

/** Username and password (USER_PASSWORD_AUTH) for the ID token and the refresh token. */
export const cognitoSignIn = async (c: ConsoleConfig, username: string, password: string): Promise<{ idToken: string; refreshToken?: string }> => {
  const r = await initiateAuth(c, 'USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password });
  return { idToken: r.IdToken, refreshToken: r.RefreshToken };
};

/** A new ID token for the refresh token (REFRESH_TOKEN_AUTH): the session goes on past the hour an ID token lasts. */
export const cognitoRefresh = async (c: ConsoleConfig, refreshToken: string): Promise<string> =>
  (await initiateAuth(c, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken })).IdToken;

/** Where the console is deployed, the stack writes config.json beside it (the API's URL); locally there is none. */
export const loadConfig = async (): Promise<ConsoleConfig> => {
  try {
    const res = await fetch('./config.json');
    return res.ok ? ((await res.json()) as ConsoleConfig) : {};
  } catch {
    return {};
  }
};

/** Karbor's times are UTC without a zone (`2026-11-28T10:00:14.977000`, `2026-11-28 10:00:00`). */
export const parseTime = (t: string | null | undefined): number | undefined => {
  if (!t) return undefined;
  const iso = t.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : /T/.test(iso) ? `${iso}Z` : `${iso}T12:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
};

/** A time to the second, for the operation log and job history. */
export const formatFullTime = (ms: number | undefined): string => (ms === undefined ? '—' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`);

/** Bytes as people read them (1 KB = 1024 bytes). */
export const formatBytes = (n: number): string => {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
};

export const formatTime = (ms: number | undefined): string => (ms === undefined ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

/** How long an operation took, from its start and end (ms), to the second; `running` while it has no end and still runs. */
export const duration = (start: number | undefined, end: number | undefined, running = false): string => {
  if (start === undefined || end === undefined) return running && start !== undefined ? 'running' : '—';
  const s = Math.max(0, Math.round((end - start) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
};

/** The JSON object inside a JSON text (an operation log's or a checkpoint's extra_info), or {} if it holds none. */
export const jsonObject = (text: string | null | undefined): Record<string, unknown> => {
  try {
    const v = text ? JSON.parse(text) : {};
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
};

/** The JSON object inside an operation log's extra_info, if it holds one. */
export const extraOf = (log: OperationLog): Record<string, unknown> => jsonObject(log.extra_info);

export const RUNNING = new Set(['protecting', 'deleting', 'in_progress', 'copying', 'wait_copying']);
export const FAILED = new Set(['error', 'failed', 'fail', 'error-deleting']);
