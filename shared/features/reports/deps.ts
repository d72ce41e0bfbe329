import * as config from '../../config';
import { lazily } from '../../kernel/lazy';
import type { Bank } from '../../kernel/ports';
import { randomIds, systemClock } from '../../kernel/ports';
import { traced } from '../../observability/tracing';
import { operationLogWindows } from '../operation-logs/deps';
import { judgedPlans } from '../plans/deps';
import { runtimeBank } from '../protection/deps';
import { dayProjects } from '../overview/deps';
import { jsonLog } from '../../observability/log';
import { type DailyReportDeps, type DownloadDeps, REPORT_DOWNLOAD_PATH, type ReportDeps, type ReportLinks } from './model';
import { signReportLink } from './use-cases';

/**
 * Report links: signed by the local runtime's key and answered by the local
 * server (KARBOR_BANK=local), else S3 presigned URLs of the bank bucket (the
 * presigner and S3 client are imported on first use).
 */
const reportLinks = (): ReportLinks => {
  if (config.bank() === 'local') {
    const secret = config.reportLinkSecret();
    return {
      link: async (key, o) => {
        if (!secret) throw new Error('KARBOR_REPORT_LINK_SECRET is not set');
        return `${o.baseUrl}${REPORT_DOWNLOAD_PATH}?${signReportLink(secret, key, o).toString()}`;
      },
    };
  }
  const bucket = config.bankBucket();
  const links = lazily(async (): Promise<ReportLinks> => {
    if (!bucket) throw new Error('BANK_BUCKET is not set');
    const [{ s3ReportLinks }, { S3Client }] = await Promise.all([import('./adapters/s3-links'), import('@aws-sdk/client-s3')]);
    return s3ReportLinks(traced(new S3Client({})), bucket, () => systemClock.now());
  });
  return { link: async (key, o) => (await links()).link(key, o) };
};

/** The composition root of the report functions: built once per Lambda instance. */
export const reportDeps = (): ReportDeps => ({
  logs: operationLogWindows(),
  plans: judgedPlans(),
  bank: runtimeBank(),
  links: reportLinks(),
  clock: systemClock,
  ids: randomIds,
});

/** The daily reports' ports (functions/reports/daily.ts): what a report reads and writes, and the day's projects. */
export const dailyReportDeps = (): DailyReportDeps => ({
  logs: operationLogWindows(),
  plans: judgedPlans(),
  bank: runtimeBank(),
  projects: dayProjects(),
  clock: systemClock,
  log: jsonLog,
});

/** What showing a report reads: its receipt in the bank, and fresh links (no table). */
export const reportShowDeps = (): Pick<ReportDeps, 'links' | 'clock'> & { bank: Bank } => ({ bank: runtimeBank(), links: reportLinks(), clock: systemClock });

/** What the local server's report download reads: the bank and the runtime's link key. */
export const downloadDeps = (): DownloadDeps => ({ bank: runtimeBank(), secret: config.reportLinkSecret(), clock: systemClock });
