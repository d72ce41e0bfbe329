/*
 * Load generator for the throughput benchmark, run in its own process so it
 * does not share the server's event loop. argv: url token concurrency
 * seconds planIds(comma). Prints one JSON line.
 */
import { request } from './http';
import { percentile } from './stats';

const [url, token, concurrencyArg, secondsArg, idsArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const deadline = Date.now() + Number(secondsArg) * 1000;
const ids = idsArg.split(',');
const project = /\/v1\/([^/]+)/.exec(url)![1];
const base = url.replace(/\/v1\/.*$/, '');

/** Read-heavy mix: 80 % show a plan, 15 % list 50 plans, 5 % list providers. */
const pick = (i: number): string => {
  const r = i % 20;
  if (r < 16) return `${base}/v1/${project}/plans/${ids[i % ids.length]}`;
  if (r < 19) return `${base}/v1/${project}/plans?limit=50`;
  return `${base}/v1/${project}/providers`;
};

const run = async () => {
  const latencies: number[] = [];
  let errors = 0;
  let counter = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        const target = pick(counter++);
        const t = process.hrtime.bigint();
        const res = await request(target, 'GET', { 'X-Auth-Token': token });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (res.status !== 200) errors += 1;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({ requests: latencies.length, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors }),
  );
};

void run();
