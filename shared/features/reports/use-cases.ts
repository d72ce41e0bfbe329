import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../kernel/errors';
import type { Identity } from '../../kernel/identity';
import type { Bank } from '../../kernel/ports';
import { isUuidLike } from '../../kernel/uuid';
import type { OperationLog } from '../operation-logs/model';
import type { JudgedPlan } from '../plans/model';
import type {
  DailyReportDeps,
  DailyReports,
  DownloadDeps,
  JobOutcome,
  JobRow,
  PlanRow,
  ReportDeps,
  ReportFile,
  ReportReceipt,
  ReportScope,
  ReportWithLinks,
} from './model';
import { jobsCsv, plansCsv, reportJson } from './views';

/** The window a report covers when none is given: the last day. */
export const DEFAULT_WINDOW_HOURS = 24;
/** The longest window: 31 days. */
export const MAX_WINDOW_DAYS = 31;
/** Most jobs one report holds: a window with more is a 400 (narrow it), never an unbounded read. */
export const REPORT_JOBS_CAP = 10000;
/** How long a report's links are good (seconds). */
export const REPORT_LINK_SECONDS = 900;

export const REPORTS_PREFIX = 'reports/';
/** Where a report's files are kept in the bank. */
export const reportFolder = (projectId: string, reportId: string) => `${REPORTS_PREFIX}${encodeURIComponent(projectId)}/${reportId}/`;

const RECEIPT = 'receipt.json';
const FILES: readonly ReportFile[] = [
  { name: 'report.json', contentType: 'application/json' },
  { name: 'jobs.csv', contentType: 'text/csv; charset=utf-8' },
  { name: 'plans.csv', contentType: 'text/csv; charset=utf-8' },
];

/** Log statuses that end a job badly (protect `error`, restore/verify `fail`, delete `error-deleting`...). */
const FAILED = new Set(['error', 'fail', 'failed', 'error-deleting', 'error_deleting']);

const outcomeOf = (log: OperationLog): JobOutcome => {
  if (FAILED.has(log.status)) return 'failed';
  return log.endedAt === null ? 'running' : 'succeeded';
};

/** The size a log's extra_info records (`size_bytes` or `size`), where it does. */
const sizeOf = (extraInfo: string | null): number | null => {
  if (extraInfo === null) return null;
  try {
    const extra = JSON.parse(extraInfo) as Record<string, unknown>;
    const size = extra?.size_bytes ?? extra?.size;
    return typeof size === 'number' && Number.isFinite(size) ? size : null;
  } catch {
    return null;
  }
};

/** One log as a report row: duration from start to end, seconds (ms precision). */
export const jobRow = (log: OperationLog): JobRow => {
  const duration = log.endedAt === null ? null : (Date.parse(log.endedAt) - Date.parse(log.startedAt)) / 1000;
  return {
    projectId: log.projectId,
    id: log.id,
    operationType: log.operationType,
    planId: log.planId,
    checkpointId: log.checkpointId,
    restoreId: log.restoreId,
    providerId: log.providerId,
    scheduledOperationId: log.scheduledOperationId,
    status: log.status,
    outcome: outcomeOf(log),
    startedAt: log.startedAt,
    endedAt: log.endedAt,
    durationSeconds: duration === null || Number.isNaN(duration) ? null : duration,
    reason: log.errorInfo,
    sizeBytes: sizeOf(log.extraInfo),
  };
};

export const planRow = (plan: JudgedPlan): PlanRow => ({
  projectId: plan.projectId,
  planId: plan.id,
  name: plan.name,
  providerId: plan.providerId,
  status: plan.status,
  compliance: plan.compliance.status,
  lastGoodAt: plan.compliance.lastGoodAt,
  expectedIntervalSeconds: plan.compliance.expectedIntervalSeconds,
  lateSince: plan.compliance.lateSince,
});

const parseTime = (field: string, value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new InvalidInputError(`Invalid input received: ${field} must be an ISO 8601 time.`);
  return new Date(t);
};

/**
 * The window a request asks for: `until` defaults to now, `since` to a day
 * before `until`; since before until, at most MAX_WINDOW_DAYS long.
 */
export const reportWindow = (now: Date, since?: string, until?: string): { since: Date; until: Date } => {
  const to = parseTime('until', until) ?? now;
  const from = parseTime('since', since) ?? new Date(to.getTime() - DEFAULT_WINDOW_HOURS * 3600_000);
  if (from.getTime() >= to.getTime()) throw new InvalidInputError('Invalid input received: since must be before until.');
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86400_000) {
    throw new InvalidInputError(`Invalid input received: a report covers at most ${MAX_WINDOW_DAYS} days.`);
  }
  return { since: from, until: to };
};

/** Links to a report's files, good for REPORT_LINK_SECONDS. */
const withLinks = async (deps: Pick<ReportDeps, 'links' | 'clock'>, receipt: ReportReceipt, baseUrl: string): Promise<ReportWithLinks> => {
  const expiresAt = new Date(deps.clock.now().getTime() + REPORT_LINK_SECONDS * 1000);
  const folder = reportFolder(receipt.projectId, receipt.id);
  const links = await Promise.all(
    receipt.files.map(async (f) => ({
      name: f.name,
      href: await deps.links.link(folder + f.name, { filename: `karbor-report-${receipt.id}-${f.name}`, contentType: f.contentType, expiresAt, baseUrl }),
    })),
  );
  return { ...receipt, expiresAt: expiresAt.toISOString(), links };
};

/**
 * Makes a report (docs/decisions.md §22).
 * 1. the window (400 when malformed, reversed or over 31 days); `all_projects` is for admins (403);
 * 2. reads the window's job logs (one Query of the project's logs, or of every
 *    project's, by start time; over REPORT_JOBS_CAP a 400) and the plans with
 *    their compliance, together;
 * 3. writes `report.json`, `jobs.csv`, `plans.csv` and a small receipt under
 *    `reports/<project>/<id>/` in the bank;
 * 4. answers the receipt with a short-lived link to each file.
 */
export const createReport = async (
  deps: ReportDeps,
  identity: Identity,
  input: { since?: string; until?: string; allProjects?: boolean },
  baseUrl: string,
): Promise<ReportWithLinks> => {
  const now = deps.clock.now();
  const window = reportWindow(now, input.since, input.until);
  const allProjects = input.allProjects === true;
  if (allProjects && !identity.isAdmin) throw new ForbiddenError("Policy doesn't allow report:create_all_projects to be performed.");
  const scope: ReportScope = { projectId: identity.projectId, allProjects, since: window.since.toISOString(), until: window.until.toISOString() };
  return withLinks(deps, await writeReport(deps, scope, deps.ids.newId()), baseUrl);
};

/**
 * Reads a scope's jobs and plans and writes its report's files, the receipt
 * last (a report with a receipt has all its files): what a request and a
 * daily run both make. Writing again under the same id replaces the files.
 */
const writeReport = async (deps: Pick<ReportDeps, 'logs' | 'plans' | 'bank' | 'clock'>, scope: ReportScope, id: string): Promise<ReportReceipt> => {
  const now = deps.clock.now();
  const of = scope.allProjects ? undefined : scope.projectId;
  const [logs, plans] = await Promise.all([
    deps.logs.between({ projectId: of, from: scope.since, to: scope.until, cap: REPORT_JOBS_CAP }),
    deps.plans.judgedPlans(of),
  ]);
  if (logs === undefined) throw new InvalidInputError(`More than ${REPORT_JOBS_CAP} jobs in the window; ask for a shorter one.`);
  const jobs = logs.map(jobRow);
  const planRows = plans.map(planRow);
  const receipt: ReportReceipt = {
    ...scope,
    id,
    createdAt: now.toISOString(),
    jobCount: jobs.length,
    planCount: planRows.length,
    files: [...FILES],
  };
  const folder = reportFolder(receipt.projectId, receipt.id);
  await Promise.all([
    deps.bank.put(`${folder}report.json`, reportJson(receipt, jobs, planRows)),
    deps.bank.put(`${folder}jobs.csv`, jobsCsv(jobs)),
    deps.bank.put(`${folder}plans.csv`, plansCsv(planRows)),
  ]);
  // The receipt last: a report with a receipt has all its files.
  await deps.bank.put(folder + RECEIPT, JSON.stringify(receipt));
  return receipt;
};

/** A daily report's id: a uuid-like digest of its project and day, so a retried run writes the same report again, never a second one. */
export const dailyReportId = (projectId: string, day: string): string => {
  const h = createHash('sha256').update(`daily-report\n${projectId}\n${day}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * The daily reports (docs/decisions.md §22), at 00:15 UTC: for the UTC day
 * before the clock's now,
 * 1. the projects whose jobs ended that day or since (the all-projects day
 *    counters' `projects` sets of that day and today, one Query: no scan);
 * 2. for each, the report a member's POST would make of that day (00:00 to
 *    24:00 UTC), under a fixed id per project and day (a retry rewrites it);
 *    a project whose report fails (more than REPORT_JOBS_CAP jobs, the bank)
 *    is logged and the others still get theirs.
 */
export const makeDailyReports = async (deps: DailyReportDeps): Promise<DailyReports> => {
  const today = new Date(Math.floor(deps.clock.now().getTime() / 86400_000) * 86400_000);
  const since = new Date(today.getTime() - 86400_000);
  const day = since.toISOString().slice(0, 10);
  const result: DailyReports = { day, reports: [], failed: [] };
  for (const projectId of await deps.projects.projectsOn(day, today.toISOString().slice(0, 10))) {
    const scope: ReportScope = { projectId, allProjects: false, since: since.toISOString(), until: today.toISOString() };
    try {
      const receipt = await writeReport(deps, scope, dailyReportId(projectId, day));
      result.reports.push({ projectId, reportId: receipt.id, jobCount: receipt.jobCount });
    } catch (error) {
      result.failed.push(projectId);
      deps.log({ level: 'ERROR', message: 'daily report failed', project_id: projectId, day, error: String(error) });
    }
  }
  deps.log({ message: 'daily reports made', day, reports: result.reports.length, failed: result.failed.length });
  return result;
};

/** A report of the caller's project with fresh links; 404 for an unknown or malformed id. */
export const showReport = async (
  deps: Pick<ReportDeps, 'bank' | 'links' | 'clock'>,
  identity: Identity,
  reportId: string,
  baseUrl: string,
): Promise<ReportWithLinks> => {
  const stored = isUuidLike(reportId) ? await deps.bank.get(reportFolder(identity.projectId, reportId) + RECEIPT) : undefined;
  if (stored === undefined) throw new NotFoundError(`Report ${reportId} could not be found.`);
  return withLinks(deps, JSON.parse(stored) as ReportReceipt, baseUrl);
};

/**
 * A page of the caller's project's reports (docs/decisions.md §22), by id
 * after `marker` (an unknown one: an empty page): one listing of the
 * project's folder in the bank (S3 ListObjectsV2, 1000 keys a call, four keys
 * a report) and one GET of each receipt on the page, never of the others.
 */
export const listReports = async (
  deps: { bank: Pick<Bank, 'list' | 'get'> },
  identity: Identity,
  page: { limit: number; marker?: string },
): Promise<ReportReceipt[]> => {
  const folder = `${REPORTS_PREFIX}${encodeURIComponent(identity.projectId)}/`;
  const ids = (await deps.bank.list(folder))
    .filter((k) => k.endsWith(`/${RECEIPT}`))
    .map((k) => k.slice(folder.length, -RECEIPT.length - 1))
    .filter((id) => !id.includes('/'))
    .sort();
  const from = page.marker === undefined ? 0 : ids.indexOf(page.marker) + 1;
  if (page.marker !== undefined && from === 0) return [];
  const stored = await Promise.all(ids.slice(from, from + page.limit).map((id) => deps.bank.get(reportFolder(identity.projectId, id) + RECEIPT)));
  return stored.flatMap((s) => (s === undefined ? [] : [JSON.parse(s) as ReportReceipt]));
};

// Local links: `key`, `expires` (epoch seconds) and an HMAC-SHA256 of both, as S3's presigned URLs carry theirs.

const signature = (secret: string, key: string, expires: number, filename: string, contentType: string): string =>
  createHmac('sha256', secret).update(`${key}\n${expires}\n${filename}\n${contentType}`).digest('base64url');

/** The query of a local link to `key`. */
export const signReportLink = (secret: string, key: string, o: { filename: string; contentType: string; expiresAt: Date }): URLSearchParams => {
  const expires = Math.floor(o.expiresAt.getTime() / 1000);
  return new URLSearchParams({
    key,
    expires: String(expires),
    filename: o.filename,
    type: o.contentType,
    signature: signature(secret, key, expires, o.filename, o.contentType),
  });
};

/** What a download answers: the file, or S3's answer to a bad link (403) or a missing object (404). */
export type Download = { status: 200; body: string; contentType: string; filename: string } | { status: 403 | 404; message: string };

/**
 * Opens a local link: a good signature with the runtime's key, not expired,
 * under the reports prefix, and the object there.
 */
export const openReportLink = async (deps: DownloadDeps, query: URLSearchParams): Promise<Download> => {
  const [key, expires, filename, type, given] = ['key', 'expires', 'filename', 'type', 'signature'].map((k) => query.get(k) ?? '');
  const want = deps.secret === undefined ? undefined : Buffer.from(signature(deps.secret, key, Number(expires), filename, type));
  const got = Buffer.from(given);
  if (want === undefined || want.length !== got.length || !timingSafeEqual(want, got) || !key.startsWith(REPORTS_PREFIX)) {
    return { status: 403, message: 'The link is not valid.' };
  }
  if (Number(expires) * 1000 < deps.clock.now().getTime()) return { status: 403, message: 'The link has expired.' };
  const body = await deps.bank.get(key);
  if (body === undefined) return { status: 404, message: 'The report file does not exist.' };
  return { status: 200, body, contentType: type, filename };
};
