import type { Trigger } from './model';
import { nextRuns } from './next-runs';
import { formatKarborTime } from './time-triggers';

/** The trigger view (show/create/update; list items are the same bare object); `next_runs` is our extension. */
export const triggerView = (t: Trigger, now: Date) => ({
  id: t.id,
  name: t.name,
  type: t.type,
  properties: t.properties,
  next_runs: nextRuns(t, now).map(formatKarborTime),
});
