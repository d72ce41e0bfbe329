import { perRuntime } from '../../shared/runtime-host';
import { sweepDeps } from '../../shared/features/protection/deps';
import { redeliverStalledJobs } from '../../shared/features/protection/use-cases';

const deps = perRuntime(() => sweepDeps());

/**
 * The sweep: re-delivers protect, delete and restore jobs whose delivery was
 * lost (a schedule on AWS, every minute and at start under `npm start`).
 * `restart` is only ever sent by the local runtime as it starts.
 */
export const handler = async (event?: { restart?: boolean }) => {
  const jobs = await redeliverStalledJobs(deps(), { restart: event?.restart === true });
  // Under npm start, the runtime prints what it resumed from this answer.
  return { redelivered: jobs.map(({ kind, id, status }) => ({ kind, id, status })) };
};
