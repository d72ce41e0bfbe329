import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime';
import type { SettingValues } from '../../shared/config';
import { testEndpoint } from './dynamo';
import { responseProblems } from './openapi-check';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON (or empty). */
  body: T;
  text: string;
}

export interface TestServer {
  url: string;
  tableName: string;
  runtime: LocalRuntime;
  /** Calls the API; `token` defaults to `admin:<project>` of the path unless null (no token); the answer must match docs/openapi.json unless `unchecked`. */
  call<T = any>(
    method: string,
    path: string,
    opts?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string>; unchecked?: boolean },
  ): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

/**
 * The real local server (same code as `npm start`) on a free port, with its
 * own table in the shared test DynamoDB Local. Handler modules load through
 * jest, so they are the TypeScript sources.
 */
export const startTestServer = async (
  opts: {
    keystoneUrl?: string;
    jwt?: LocalRuntimeOptions['jwt'];
    schedulerMinuteMs?: number;
    consoleDir?: string;
    /** Settings over this process's environment, for this server only. */
    settings?: SettingValues;
  } = {},
): Promise<TestServer> => {
  const tableName = `e2e-${randomUUID()}`;
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: testEndpoint(),
    tableName,
    moduleRoot: REPO_ROOT,
    keystoneUrl: opts.keystoneUrl,
    jwt: opts.jwt,
    schedulerMinuteMs: opts.schedulerMinuteMs,
    consoleDir: opts.consoleDir,
    env: { ...process.env, ...opts.settings },
  });
  const call: TestServer['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const project = /^\/v1\/([^/?]+)/.exec(path)?.[1] ?? 'admin';
    const token = opts.token === undefined ? `admin:${project}` : opts.token;
    if (token !== null) headers['X-Auth-Token'] = token;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${runtime.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : text;
    } catch {
      parsed = text;
    }
    // Every answer a test sees is held to docs/openapi.json (test/support/openapi-check.ts).
    const problems = opts.unchecked ? [] : responseProblems(method, path, res.status, text);
    if (problems.length) throw new Error(`${method} ${path} answered outside docs/openapi.json:\n${problems.join('\n')}`);
    return { status: res.status, headers: res.headers, body: parsed as never, text };
  };
  return { url: runtime.url, tableName, runtime, call, stop: () => runtime.stop() };
};
