import * as config from '../../config';
import { countOutcome } from '../../observability/metrics';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { dependentTypes } from '../protectables/use-cases';
import type { GraphResource } from './plugins';
import type { SweepDeps, WorkerDeps, WorkerTimers } from './model';
import { dynamoCheckpointStore } from '../checkpoints/store';
import { dynamoRestoreStore } from '../restores/store';
import { dynamoServiceStore } from '../services/store';
import { bankFromConfig } from './adapters/bank';
import { eventPublisher } from './adapters/event-publisher';
import { pluginRegistry } from './adapters/plugin-registry';
import { instanceSources } from '../protectables/deps';
import { providerCatalog } from '../providers/deps';
import { dynamoActiveJobIndex } from './store';

/**
 * The composition root of the protection worker, built once at module
 * scope. The table name is read per call, as the local runtime sets it after
 * loading.
 */
/**
 * The job lease (KARBOR_JOB_LEASE_SECONDS, default 120), read once per
 * worker: it must leave the worker time to wait for a crashed worker's lease
 * to lapse and still run, so it is refused unless shorter than half the
 * worker's timeout.
 */
export const jobLeaseSeconds = (timeoutSeconds: number, env?: config.Env): number => {
  const lease = config.jobLeaseSeconds(env);
  if (lease * 2 > timeoutSeconds) {
    throw new Error(`KARBOR_JOB_LEASE_SECONDS must be an integer from 3 to half the worker's ${timeoutSeconds} s timeout, got ${lease}`);
  }
  return lease;
};

/** Real timers; unref'd, so a renewal timer never keeps a process (or a test run) alive. */
export const realTimers: WorkerTimers = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** The worker's ports; `timeoutSeconds` is the worker's own timeout (the lease is a fraction of it). */
export const workerDeps = (timeoutSeconds: number, env?: config.Env): WorkerDeps => {
  const doc = documentClient();
  const sources = instanceSources(env);
  return {
    checkpoints: dynamoCheckpointStore(doc, () => tableName()),
    restores: dynamoRestoreStore(doc, () => tableName()),
    providers: providerCatalog(),
    plugins: pluginRegistry(env),
    async dependentsOf(projectId, resource): Promise<GraphResource[]> {
      const parent = {
        id: resource.id,
        type: resource.type,
        name: resource.name,
        extra_info: resource.extraInfo ? (JSON.parse(resource.extraInfo) as Record<string, unknown>) : null,
      };
      const lists = await Promise.all(dependentTypes(resource.type).map((t) => sources[t]?.dependentsOf({ projectId }, parent) ?? []));
      return lists.flat().map((i) => ({ type: i.type, id: i.id, name: i.name, extraInfo: i.extra_info === null ? null : JSON.stringify(i.extra_info) }));
    },
    bank: bankFromConfig(env),
    events: eventPublisher(env),
    services: { report: (binary, host, now) => dynamoServiceStore(doc, tableName()).report(binary, host, now) },
    host: config.serviceHost(env),
    clock: systemClock,
    timers: realTimers,
    ids: randomIds,
    leaseSeconds: jobLeaseSeconds(timeoutSeconds, env),
    pluginConcurrency: config.pluginConcurrency(env),
    log: (entry) => {
      console.log(JSON.stringify(entry));
      // A job's final line (lease.ts finisher; a resource's progress line names the resource) is also a metric by outcome.
      if (typeof entry.status !== 'string' || entry.resource !== undefined) return;
      if (typeof entry.checkpoint_id === 'string') countOutcome('Checkpoints', entry.status);
      if (typeof entry.restore_id === 'string') countOutcome('Restores', entry.status);
    },
  };
};

/** The sweep's ports (shared/features/protection/sweep.ts). */
export const sweepDeps = (env?: config.Env): SweepDeps => {
  const doc = documentClient();
  const table = () => tableName();
  return {
    active: dynamoActiveJobIndex(doc, table),
    jobs: { checkpoint: dynamoCheckpointStore(doc, table).jobs, restore: dynamoRestoreStore(doc, table).jobs },
    events: eventPublisher(env),
    clock: systemClock,
    log: (entry) => console.log(JSON.stringify(entry)),
  };
};

/** The durable engine the AWS worker runs its jobs on (Lambda durable functions). */
export { durableEngine } from './adapters/durable-steps';
