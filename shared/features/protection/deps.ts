import { lazily } from '../../kernel/lazy';
import * as config from '../../config';
import { countOutcome } from '../../observability/metrics';
import { randomIds, systemClock } from '../../kernel/ports';
import type { Bank } from '../../kernel/ports';
import type { GraphResource } from './plugins';
import type { CheckpointRecords, SweepDeps, WorkerDeps, WorkerTimers } from './model';
import { checkpointStore } from '../checkpoints/deps';
import type { CheckpointDataLocks } from '../checkpoints/model';
import { checkpointPrefix } from './bank';
import { restoreStore } from '../restores/deps';
import { verificationStore } from '../verifications/deps';
import { serviceStore } from '../services/deps';
import { bankFromConfig, banksFromConfig } from './adapters/bank';
import { isRecordKey, parseCheckpointRecord, updateRecordLock } from './checkpoint-record';
import { locationOf } from './job-run';
import { eventPublisher } from '../../events/publisher';
import { pluginRegistry } from './adapters/plugin-registry';
import type { PluginRegistry } from './plugins';
import { dependentsFinder } from '../protectables/deps';
import { providerCatalog } from '../providers/deps';
import { activeJobIndex } from '../jobs/deps';
import { jsonLog } from '../../observability/log';

/**
 * The composition root of the protection worker, built once per runtime
 * (shared/runtime-host.ts `perRuntime`, in the handler).
 */
/**
 * The job lease (KARBOR_JOB_LEASE_SECONDS, default 120), read once per
 * worker: it must leave the worker time to wait for a crashed worker's lease
 * to lapse and still run, so it is refused unless shorter than half the
 * worker's timeout.
 */
export const jobLeaseSeconds = (timeoutSeconds: number): number => {
  const lease = config.jobLeaseSeconds();
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
export const workerDeps = (timeoutSeconds: number): WorkerDeps => {
  const dependents = dependentsFinder();
  return {
    checkpoints: checkpointStore(),
    restores: restoreStore(),
    verifications: verificationStore(),
    providers: providerCatalog(),
    plugins: pluginRegistry(),
    async dependentsOf(projectId, resource): Promise<GraphResource[]> {
      const parent = {
        id: resource.id,
        type: resource.type,
        name: resource.name,
        extra_info: resource.extraInfo ? (JSON.parse(resource.extraInfo) as Record<string, unknown>) : null,
      };
      return (await dependents(projectId, parent)).map((i) => ({
        type: i.type,
        id: i.id,
        name: i.name,
        extraInfo: i.extra_info === null ? null : JSON.stringify(i.extra_info),
      }));
    },
    bank: bankFromConfig(),
    bankKey: config.bankKey(),
    bankAt: banksFromConfig(),
    events: eventPublisher(),
    services: { report: (binary, host, now) => serviceStore().report(binary, host, now) },
    host: config.serviceHost(),
    clock: systemClock,
    timers: realTimers,
    ids: randomIds,
    leaseSeconds: jobLeaseSeconds(timeoutSeconds),
    pluginConcurrency: config.pluginConcurrency(),
    log: (entry) => {
      jsonLog(entry);
      // A job's final line (lease.ts finisher; a resource's progress line names the resource) is also a metric by outcome.
      if (typeof entry.status !== 'string' || entry.resource !== undefined) return;
      if (typeof entry.checkpoint_id === 'string') countOutcome('Checkpoints', entry.status);
      if (typeof entry.restore_id === 'string') countOutcome('Restores', entry.status);
    },
  };
};

/**
 * The plugins for one worker invocation. With a tenant-access role
 * (KARBOR_TENANT_ROLE_ARN, set by the stack) each call gives a registry
 * with its own credential cache, so every invocation (a durable replay
 * included) assumes the role afresh, per project, on its first call for it;
 * without one (npm start) the one registry on the ambient credentials.
 */
export const invocationPlugins = (): (() => PluginRegistry) => {
  const roleArn = config.tenantRoleArn();
  if (roleArn === undefined) {
    const ambient = pluginRegistry();
    return () => ambient;
  }
  const tagKey = config.projectTagKey();
  return () => {
    // Loaded with the first tenant session (not at init: npm start never needs it); one per invocation.
    const credentials = lazily(async () => (await import('./adapters/tenant-credentials')).tenantCredentials({ roleArn, tagKey, clock: systemClock }));
    return pluginRegistry((projectId) => async () => (await credentials())(projectId)());
  };
};

/** The sweep's ports (shared/features/protection/sweep.ts). */
export const sweepDeps = (): SweepDeps => {
  return {
    active: activeJobIndex(),
    jobs: { checkpoint: checkpointStore().jobs, restore: restoreStore().jobs, verification: verificationStore().jobs },
    events: eventPublisher(),
    clock: systemClock,
    log: jsonLog,
  };
};

/** The durable engine the AWS worker runs its jobs on (Lambda durable functions). */
export { durableEngine } from './adapters/durable-steps';

/** The runtime's bank (the local folder or the S3 bucket), for features that keep their own objects in it (reports). */
export const runtimeBank = (): Bank => bankFromConfig();

/**
 * A checkpoint's lock on its bank objects (docs/decisions.md §19): the local
 * bank always, the S3 bank when it has Object Lock (KARBOR_BANK_OBJECT_LOCK;
 * without it S3 refuses retention, and the lock binds through the API only).
 */
export const checkpointDataLocks = (): CheckpointDataLocks => {
  const banks = banksFromConfig();
  const reaches = config.bank() === 'local' || config.bankObjectLock();
  return {
    async apply(checkpointId, change, checkpoint) {
      const bank = banks(checkpoint ? locationOf(checkpoint) : undefined);
      // The record first (docs/decisions.md §26), so the lock below covers its new version too.
      await updateRecordLock(bank, checkpointId, change);
      if (!reaches) return;
      const prefix = checkpointPrefix(checkpointId);
      if (change.lock !== undefined) await bank.lock(prefix, change.lock);
      if (change.legalHold !== undefined) await bank.hold(prefix, change.legalHold);
    },
  };
};

/**
 * The checkpoint records of the runtime's bank (location undefined) or of a destination's (docs/decisions.md §26),
 * for the catalog import: every `checkpoints/<id>/checkpoint.json` of the bank's listing, each read and parsed.
 */
export const checkpointRecords = (): ((location: string | undefined) => CheckpointRecords) => {
  const banks = banksFromConfig();
  return (location) => {
    const bank = banks(location);
    return {
      keys: async () => (await bank.list('checkpoints/')).filter(isRecordKey),
      async read(key) {
        const text = await bank.get(key);
        return text === undefined ? 'gone while listed' : parseCheckpointRecord(text);
      },
    };
  };
};
