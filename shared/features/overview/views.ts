import type { Overview } from './model';

/** The overview as the API answers it (./schemas.ts overviewViewSchema). */
export const overviewView = (o: Overview) => ({
  plans: o.plans,
  jobs_running: o.jobsRunning,
  last_24h: o.last24h,
  days: o.days.map((d) => ({ date: d.date, ...d.counts })),
  bank_bytes: o.bankBytes,
});
