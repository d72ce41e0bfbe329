import { perRuntime } from '../../shared/runtime-host';
import { serviceDeps } from '../../shared/features/services/deps';
import { workers } from '../../shared/workers';

const deps = perRuntime(() => serviceDeps());

/** The service rows of the durable heartbeat workers (shared/workers.ts `heartbeat.service`). */
const beating = workers.flatMap((w) => (w.durable && w.heartbeat ? [w.heartbeat.service] : []));

/**
 * The heartbeat function (infra/constructs/jobs.ts): invoked by the heartbeat
 * rule each minute, it reports the service rows of the durable workers, so
 * os-services shows them `up` while idle without a heartbeat ever starting a
 * durable execution (1,440 a day, each with its kept history). A plain
 * worker is invoked by the same rule and reports its own row.
 */
export const handler = async () => {
  const { clock, services, host } = deps();
  const now = clock.now();
  await Promise.all(beating.map((binary) => services.report(binary, host, now)));
  return { reported: beating };
};
