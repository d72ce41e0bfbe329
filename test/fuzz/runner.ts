import fc from 'fast-check';
import { matchRoute } from '../../shared/http/route-match';
import { type RouteId, routeById } from '../../shared/http/routes';
import type { TestServer } from '../support/local-server';
import { type FuzzRequest, PLACEHOLDER, requestArb, type Slot } from './generators';
import { healthProblem, type Reply, replyProblem } from './invariants';
import { AWS, createWorld, fillPath, KIND_ROUTES, KINDS, type Kind, NOOP, type World } from './world';

/**
 * Drives generated requests at a real local server with fast-check: batches
 * of requests, each reply checked (./invariants.ts), a health request after
 * every batch, and at the end every list checked against its shows.
 */

/** The fuzzer's settings: test settings, read here rather than in shared/config.ts. */
export interface FuzzSettings {
  /** Requests to send (rounded up to whole batches). */
  requests: number;
  seed: number;
  /** fast-check's counterexample path: replays one failing batch directly. */
  path?: string;
  /** Shrink a failure to a smaller request (slow: every try goes to the server). */
  shrink: boolean;
}

export const fuzzSettings = (defaultRequests: number, env: NodeJS.ProcessEnv = process.env): FuzzSettings => {
  const requests = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : defaultRequests;
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  if (!Number.isInteger(requests) || requests <= 0) throw new Error(`FUZZ_RUNS must be a positive integer, not ${env.FUZZ_RUNS}`);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not ${env.FUZZ_SEED}`);
  return { requests, seed, path: env.FUZZ_PATH || undefined, shrink: env.FUZZ_SHRINK === '1' };
};

export interface FuzzResult {
  requests: number;
  batches: number;
  seconds: number;
  statuses: Record<number, number>;
  /** Requests per route id. */
  routes: Record<string, number>;
  /** The first failure, with the seed and path to replay it; undefined when every invariant held. */
  failure?: string;
}

/** Projects A and B of the run. */
const PROJECTS: Record<Slot, string> = { A: 'fuzz-a', B: 'fuzz-b' };
const BATCH = 10;
const REQUEST_TIMEOUT_MS = 15_000;

interface Tracked {
  kind: Kind;
  slot: Slot;
  provider?: string;
  deleted: boolean;
}

const CREATES: Record<string, [Kind, string]> = {
  'plans.create': ['plan', 'plan'],
  'triggers.create': ['trigger', 'trigger_info'],
  'scheduledOperations.create': ['scheduledOperation', 'scheduled_operation'],
  'checkpoints.create': ['checkpoint', 'checkpoint'],
  'restores.create': ['restore', 'restore'],
  'verifications.create': ['verification', 'verification'],
};
const DELETES = new Set(['plans.delete', 'triggers.delete', 'scheduledOperations.delete', 'checkpoints.delete']);

class Run {
  readonly newest: Record<Slot, Partial<Record<Kind, string>>> = { A: {}, B: {} };
  readonly tracked = new Map<string, Tracked>();
  readonly statuses: Record<number, number> = {};
  readonly routes: Record<string, number> = {};
  requests = 0;
  batches = 0;

  constructor(
    readonly server: TestServer,
    readonly worlds: Record<Slot, World>,
  ) {
    for (const slot of ['A', 'B'] as const) {
      for (const kind of KINDS) this.tracked.set(worlds[slot][kind], { kind, slot, provider: kind === 'checkpoint' ? NOOP : undefined, deleted: false });
    }
  }

  resolve(text: string): string {
    return text.replace(PLACEHOLDER, (whole, isNew: string | undefined, kind: string, slot: string) => {
      if (whole === '@@table@@') return this.server.tableName;
      if (slot !== 'A' && slot !== 'B') return whole;
      if (kind === 'project') return PROJECTS[slot];
      if (!(KINDS as readonly string[]).includes(kind)) return whole;
      return (isNew && this.newest[slot][kind as Kind]) || this.worlds[slot][kind as Kind];
    });
  }

  /** Sends one request; the reply, or the reason there is none. */
  async send(req: FuzzRequest): Promise<{ url: string; reply?: Reply; error?: string }> {
    const url = `${this.server.url}${this.resolve(req.path)}${this.resolve(req.query)}`;
    const headers: Record<string, string> = {};
    const token =
      req.token === null
        ? undefined
        : 'raw' in req.token
          ? this.resolve(req.token.raw)
          : `${req.token.user === 'admin' ? 'admin' : 'fuzzer'}:${PROJECTS[req.token.project]}`;
    if (token !== undefined) headers['X-Auth-Token'] = token;
    const withBody = req.body !== undefined && req.method !== 'GET';
    // A Buffer body goes without a Content-Type unless one is given.
    if (withBody && req.contentType) headers['Content-Type'] = req.contentType;
    try {
      const res = await fetch(url, {
        method: req.method,
        headers,
        body: withBody ? Buffer.from(this.resolve(req.body as string)) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      return { url, reply: { status: res.status, headers: res.headers, text: await res.text() } };
    } catch (error) {
      return { url, error: error instanceof Error ? `${error.name}: ${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error) };
    }
  }

  /** Remembers what a successful request created or deleted, for the end-of-run checks. */
  track(req: FuzzRequest, url: string, reply: Reply): void {
    if (reply.status !== 200) return;
    const segments = new URL(url).pathname.split('/').map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    // The route that answered, by the method and path sent: a request made from one route with a mutated
    // method (a show's path sent as DELETE) lands on another, and what it did must be tracked too.
    const served = matchRoute(req.method, segments.join('/'));
    if (served.kind !== 'route') return;
    const route = served.route.id as RouteId;
    if (segments[2] !== PROJECTS[req.project]) return;
    const create = CREATES[route];
    if (create) {
      const [kind, key] = create;
      const id = (JSON.parse(reply.text) as Record<string, { id: string }>)[key].id;
      this.tracked.set(id, { kind, slot: req.project, provider: kind === 'checkpoint' ? segments[4] : undefined, deleted: false });
      this.newest[req.project][kind] = id;
    } else if (DELETES.has(route)) {
      const entry = this.tracked.get(segments[segments.length - 1]);
      if (entry) entry.deleted = true;
    }
  }

  /** Sends and checks one request: the failure's description, or undefined. */
  async exchange(req: FuzzRequest): Promise<string | undefined> {
    this.requests += 1;
    this.routes[req.route] = (this.routes[req.route] ?? 0) + 1;
    const { url, reply, error } = await this.send(req);
    if (!reply) return `no answer (${error}) to ${req.method} ${url}`;
    this.statuses[reply.status] = (this.statuses[reply.status] ?? 0) + 1;
    const problem = replyProblem(reply, req.token !== null);
    if (problem) return `${problem}\n  to ${req.method} ${url.slice(0, 400)}\n  body: ${(req.body ?? '').slice(0, 400)}\n  reply: ${reply.text.slice(0, 400)}`;
    this.track(req, url, reply);
    return undefined;
  }

  async health(): Promise<string | undefined> {
    const { reply, error } = await this.send({ route: 'versions.list', method: 'GET', project: 'A', path: '/', query: '', token: null });
    return reply ? healthProblem(reply) : `GET / got no answer (${error})`;
  }

  get(path: string, slot: Slot) {
    return this.server.call('GET', path, { token: `admin:${PROJECTS[slot]}` });
  }

  /** Every id a list returns, following its next links. */
  async listIds(kind: Kind, slot: Slot, provider?: string): Promise<string[]> {
    const { list, listKey } = KIND_ROUTES[kind];
    let path: string | undefined = `${fillPath(routeById(list).path, { project_id: PROJECTS[slot], provider_id: provider ?? NOOP })}?limit=1000`;
    const ids: string[] = [];
    for (let page = 0; path && page < 50; page += 1) {
      const res = await this.get(path, slot);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status} ${res.text}`);
      ids.push(...(res.body[listKey] as { id: string }[]).map((o) => String(o.id)));
      const next = (res.body[`${listKey}_links`] as { rel: string; href: string }[] | undefined)?.find((l) => l.rel === 'next')?.href;
      path = next ? next.slice(this.server.url.length) : undefined;
    }
    return ids;
  }

  /** Waits until no protect, delete or restore job of the run is running (none may outlive the server). */
  async settle(): Promise<void> {
    const busy = async () => {
      for (const slot of ['A', 'B'] as const) {
        for (const provider of [NOOP, AWS]) {
          const res = await this.get(`/v1/${PROJECTS[slot]}/providers/${provider}/checkpoints?limit=1000`, slot);
          if ((res.body.checkpoints ?? []).some((c: { status: string }) => c.status === 'protecting' || c.status === 'deleting')) return true;
        }
        const restores = await this.get(`/v1/${PROJECTS[slot]}/restores?limit=1000`, slot);
        if ((restores.body.restores ?? []).some((r: { status: string }) => r.status === 'in_progress')) return true;
      }
      return false;
    };
    for (let i = 0; i < 120 && (await busy()); i += 1) await new Promise((r) => setTimeout(r, 250));
  }

  /** Each id a list returns can be shown, and each object the run created and did not delete is listed. */
  async consistency(): Promise<string[]> {
    const problems: string[] = [];
    for (const slot of ['A', 'B'] as const) {
      for (const kind of KINDS) {
        const providers = kind === 'checkpoint' ? [NOOP, AWS] : [undefined];
        const listed = new Set<string>();
        for (const provider of providers) {
          for (const id of await this.listIds(kind, slot, provider)) {
            listed.add(id);
            const path = fillPath(routeById(KIND_ROUTES[kind].show).path, {
              project_id: PROJECTS[slot],
              provider_id: provider ?? NOOP,
              [KIND_ROUTES[kind].param]: id,
            });
            const shown = await this.get(path, slot);
            if (shown.status !== 200)
              problems.push(`${kind} ${id} of ${PROJECTS[slot]} is listed but GET ${path} answers ${shown.status} ${shown.text.slice(0, 200)}`);
          }
        }
        for (const [id, t] of this.tracked) {
          if (t.kind === kind && t.slot === slot && !t.deleted && !listed.has(id))
            problems.push(`${kind} ${id} of ${PROJECTS[slot]} was created but is not listed`);
        }
      }
    }
    return problems;
  }
}

const replayHint = (seed: number, path?: string) =>
  `replay: FUZZ_SEED=${seed}${path ? ` FUZZ_PATH=${path}` : ''} npm run fuzz  (FUZZ_PATH replays the failing batch alone; FUZZ_SHRINK=1 shrinks it)`;

/** Runs the fuzzer against `server` (a fresh one: it makes projects fuzz-a and fuzz-b). */
export const runFuzz = async (
  server: TestServer,
  settings: FuzzSettings,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<FuzzResult> => {
  const started = Date.now();
  log(`fuzz: seed ${settings.seed}, ${settings.requests} requests${settings.path ? `, path ${settings.path}` : ''}`);
  const worlds = { A: await createWorld(server, PROJECTS.A), B: await createWorld(server, PROJECTS.B) };
  const run = new Run(server, worlds);
  const property = fc.asyncProperty(fc.array(requestArb, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
    run.batches += 1;
    for (const req of batch) {
      const failure = await run.exchange(req);
      if (failure) throw new Error(failure);
    }
    const down = await run.health();
    if (down) throw new Error(`the server stopped answering after a batch: ${down}`);
  });
  const details = await fc.check(property, {
    numRuns: Math.ceil(settings.requests / BATCH),
    seed: settings.seed,
    path: settings.path,
    endOnFailure: !settings.shrink,
  });
  let failure: string | undefined;
  if (details.failed) {
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    failure = `${error}\n${replayHint(details.seed, details.counterexamplePath ?? undefined)}`;
  } else {
    await run.settle();
    const problems = await run.consistency();
    if (problems.length > 0) failure = `lists and shows disagree after the run:\n  ${problems.slice(0, 20).join('\n  ')}\n${replayHint(settings.seed)}`;
  }
  await run.settle();
  const result: FuzzResult = {
    requests: run.requests,
    batches: run.batches,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    statuses: run.statuses,
    routes: run.routes,
    failure,
  };
  log(
    `fuzz: ${failure ? 'FAILED' : 'passed'}: ${result.requests} requests in ${result.seconds} s, seed ${settings.seed}, statuses ${JSON.stringify(result.statuses)}`,
  );
  return result;
};
