/*
 * Load generator for the throughput benchmark, run in its own process so it
 * does not share the server's event loop. argv[2]: a LoadSpec as JSON.
 * Prints one JSON line.
 */
import { documentClient, localDynamoClient } from '../shared/dynamo/client';
import { rawListPlans, rawShowPlan } from './floor';
import { request } from './http';
import { percentile } from './stats';

export interface LoadSpec {
  /** `http`: the routes through the local server; `raw`: the DynamoDB Local calls those routes need, sent directly. */
  mode: 'http' | 'raw';
  /** http: the API's base URL; raw: DynamoDB Local's endpoint. */
  target: string;
  project: string;
  ids: string[];
  concurrency: number;
  seconds: number;
  /** raw: the table. */
  table?: string;
}

const spec = JSON.parse(process.argv[2]) as LoadSpec;
const deadline = Date.now() + spec.seconds * 1000;

type Op = 'show' | 'list' | 'providers';

/** Read-heavy mix: 80 % show a plan, 15 % list 50 plans, 5 % list providers. */
const pick = (i: number): Op => {
  const r = i % 20;
  if (r < 16) return 'show';
  if (r < 19) return 'list';
  return 'providers';
};

const httpSend = (op: Op, i: number): Promise<boolean> => {
  const v1 = `${spec.target}/v1/${spec.project}`;
  const url = op === 'show' ? `${v1}/plans/${spec.ids[i % spec.ids.length]}` : op === 'list' ? `${v1}/plans?limit=50` : `${v1}/providers`;
  return request(url, 'GET', { 'X-Auth-Token': `admin:${spec.project}` }).then((res) => res.status === 200);
};

// The list of providers reads no table (the catalogue is configuration): its floor is no call at all.
const rawSend = (): ((op: Op, i: number) => Promise<boolean>) => {
  const doc = documentClient(localDynamoClient(spec.target));
  const table = spec.table!;
  return async (op, i) => {
    if (op === 'show') await rawShowPlan(doc, table, spec.ids[i % spec.ids.length]);
    else if (op === 'list') await rawListPlans(doc, table, spec.project);
    return true;
  };
};

const run = async () => {
  const send = spec.mode === 'http' ? httpSend : rawSend();
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (Date.now() < deadline) {
        const i = counter++;
        const t = process.hrtime.bigint();
        const ok = await send(pick(i), i).catch(() => false);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (!ok) errors += 1;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({ requests: latencies.length, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors }),
  );
};

void run();
