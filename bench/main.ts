import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentClient, localDynamoClient } from '../shared/dynamo/client';
import { setMeterPaused } from '../infra/local/dynamo-metering';
import { startDynamoLocal } from '../infra/local/dynamo-local';
import { startLocalRuntime } from '../infra/local/runtime';
import { benchCapacity, benchOverhead, benchScale, benchThroughput, type BenchContext, type RouteCapacity } from './api';
import { benchBundles } from './bundles';
import { benchCost } from './cost';
import { benchCrash } from './crash';
import { benchFanOut, benchSchedulerScale, SCHEDULER_SCALE_DEFAULT } from './fan-out';
import { happyPath } from './happy-path';
import { benchHostile } from './hostile';

/**
 * `npm run bench`: measures what users pay and writes BENCHMARKS.md.
 * BENCH_ONLY=1,5 runs some sections; BENCH_SCALE=100,10000 changes the sizes of section 3,
 * BENCH_TRIGGERS the triggers of section 6, BENCH_SCHEDULER_TRIGGERS those of section 10.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BUILD_ROOT = path.resolve(__dirname, '..');

const loadAtStart = os.loadavg();

const sectionNumber = (section: string): string => /^## (?:Section )?(\d+)/.exec(section)?.[1] ?? '';

/**
 * A partial run (BENCH_ONLY) keeps the other sections of the existing
 * BENCHMARKS.md, so one section can be measured again; sections stay in order.
 */
const mergeSections = (fresh: string[], only: Set<string>): string[] => {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  if (only.size === 0 || !existsSync(file)) return fresh;
  const kept = readFileSync(file, 'utf8')
    .split(/\n(?=## )/)
    .slice(1)
    .map((s) => s.trimEnd())
    .filter((s) => !only.has(sectionNumber(s)));
  return [...kept, ...fresh].sort((a, b) => Number(sectionNumber(a)) - Number(sectionNumber(b)));
};

const main = async (): Promise<void> => {
  const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
  const want = (n: string) => only.size === 0 || only.has(n);
  const sections: string[] = [];
  // Plans without a quota (section 3 puts 100,000 in a project); the handlers'
  // DynamoDB clients can meter, but only section 4 does; demo trigger limits unless set.
  const env = {
    KARBOR_MIN_INTERVAL_SECONDS: '60',
    KARBOR_MIN_WINDOW_SECONDS: '20',
    // Karbor's default: section 10's triggers need a window as long as their minute's queue.
    KARBOR_MAX_WINDOW_SECONDS: '1800',
    ...process.env,
    KARBOR_QUOTA_PLANS: '-1',
    KARBOR_DYNAMO_METER: '1',
  };
  setMeterPaused(true);
  const dynamo = await startDynamoLocal();
  // The bench's own raw client is made before the runtime installs the metering hook: its calls are not metered.
  const client = localDynamoClient(dynamo.endpoint);
  const runtime = await startLocalRuntime({ port: 0, dynamoEndpoint: dynamo.endpoint, tableName: 'bench', moduleRoot: BUILD_ROOT, env });
  const ctx: BenchContext = {
    url: runtime.url,
    dynamoEndpoint: dynamo.endpoint,
    doc: documentClient(client),
    tableName: 'bench',
    buildRoot: BUILD_ROOT,
    scheduler: runtime.scheduler,
    bus: runtime.bus,
    host: runtime.host,
  };
  try {
    const step = async (n: string, run: () => Promise<string> | string) => {
      if (!want(n)) return;
      console.error(`bench: section ${n}...`);
      // Each section says when it was measured: BENCH_ONLY keeps older ones in the file.
      const stamp = `_Measured ${new Date().toISOString()}, load average ${os.loadavg()[0].toFixed(2)}._`;
      try {
        const [title, ...rest] = (await run()).split('\n');
        sections.push([title, '', stamp, ...rest].join('\n'));
      } catch (error) {
        // One broken section must not throw away the others' measurements.
        console.error(error);
        sections.push(`## Section ${n} failed\n\nThis run could not measure it: \`${String(error).split('\n')[0]}\`.`);
      }
    };
    await step('1', () => benchOverhead(ctx));
    await step('2', () => benchThroughput(ctx));
    const sizes = (process.env.BENCH_SCALE ?? '100,10000,100000').split(',').map(Number);
    await step('3', () => benchScale(ctx, sizes));
    // Section 4's figures per route, which section 9 prices.
    const capacity = new Map<string, RouteCapacity>();
    await step('4', async () => {
      setMeterPaused(false);
      try {
        return await benchCapacity(ctx, happyPath(), capacity);
      } finally {
        setMeterPaused(true);
      }
    });
    await step('6', () => benchFanOut(ctx, Number(process.env.BENCH_TRIGGERS ?? 1000)));
    // After 4 and 6: it reuses section 4's measurement and stops the scheduler's clock as 6 does.
    await step('9', () => benchCost(ctx, capacity));
    // After 6 and 9: it drops their rules from the local scheduler.
    const scaleCounts = process.env.BENCH_SCHEDULER_TRIGGERS?.split(',').map(Number);
    await step('10', () => benchSchedulerScale(ctx, scaleCounts ?? SCHEDULER_SCALE_DEFAULT));
    await step('7', () => benchCrash(BUILD_ROOT));
    await step('8', () => benchHostile(BUILD_ROOT));
    // Last: it blocks the event loop (spawnSync), and the server runs in this process.
    await step('5', () => benchBundles(ROOT));
  } finally {
    await runtime.stop();
    client.destroy();
    await dynamo.stop();
  }
  const header = [
    '# Benchmarks',
    '',
    `Written ${new Date().toISOString()} by \`npm run bench\`${only.size > 0 ? ` (section${only.size > 1 ? 's' : ''} ${[...only].sort().join(', ')} measured again, the others kept from an earlier run)` : ''} on Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, ${os.platform()} ${os.arch()}.`,
    `Load average when this run started: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min); each section gives its own, and other work on the machine shows in every figure.`,
    'Everything runs on this one machine: DynamoDB Local in memory, the local HTTP server, the same handler bundles as `npm start`.',
    'Figures are what was measured in that run, not targets; where a target is missed the section says by how much and why.',
    '',
  ].join('\n');
  const doc = `${header}\n${mergeSections(sections, only).join('\n\n')}\n`;
  writeFileSync(path.join(ROOT, 'BENCHMARKS.md'), doc);
  console.log(doc);
  process.exit(0);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
