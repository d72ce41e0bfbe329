import { perRuntime } from '../../shared/runtime-host';
import { dailyReportDeps } from '../../shared/features/reports/deps';
import { makeDailyReports } from '../../shared/features/reports/use-cases';

const deps = perRuntime(() => dailyReportDeps());

/**
 * The daily reports (docs/decisions.md §22): an EventBridge cron rule at 00:15
 * UTC on AWS, the local scheduler's 00:15 under `npm start`. Answers what it made.
 */
export const handler = async () => makeDailyReports(deps());
