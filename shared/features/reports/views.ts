import { karborTime } from '../../kernel/karbor-text';
import type { JobRow, PlanRow, ReportReceipt, ReportWithLinks } from './model';

/** A job row as the report files write it (snake case, ISO 8601 times). */
const jobRecord = (j: JobRow) => ({
  project_id: j.projectId,
  id: j.id,
  operation_type: j.operationType,
  plan_id: j.planId,
  checkpoint_id: j.checkpointId,
  restore_id: j.restoreId,
  provider_id: j.providerId,
  scheduled_operation_id: j.scheduledOperationId,
  status: j.status,
  outcome: j.outcome,
  started_at: j.startedAt,
  ended_at: j.endedAt,
  duration_seconds: j.durationSeconds,
  reason: j.reason,
  size_bytes: j.sizeBytes,
});

const planRecord = (p: PlanRow) => ({
  project_id: p.projectId,
  plan_id: p.planId,
  name: p.name,
  provider_id: p.providerId,
  status: p.status,
  compliance: p.compliance,
  last_good_checkpoint_at: p.lastGoodAt,
  expected_interval_seconds: p.expectedIntervalSeconds,
  late_since: p.lateSince,
});

const scopeRecord = (r: ReportReceipt) => ({
  id: r.id,
  project_id: r.projectId,
  all_projects: r.allProjects,
  since: r.since,
  until: r.until,
  created_at: r.createdAt,
  job_count: r.jobCount,
  plan_count: r.planCount,
});

/** `report.json`: the scope, then every job and every plan. */
export const reportJson = (r: ReportReceipt, jobs: JobRow[], plans: PlanRow[]): string =>
  `${JSON.stringify({ report: { ...scopeRecord(r), jobs: jobs.map(jobRecord), plans: plans.map(planRecord) } }, null, 1)}\n`;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading
 * `'` so a spreadsheet never runs it as a formula (a job's reason is
 * service text a tenant can influence).
 */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const csv = <T extends Record<string, unknown>>(columns: readonly (keyof T & string)[], rows: T[]): string =>
  [columns.join(','), ...rows.map((r) => columns.map((c) => csvField(r[c])).join(','))].map((line) => `${line}\r\n`).join('');

export const JOB_COLUMNS = Object.keys(jobRecord({} as JobRow)) as (keyof ReturnType<typeof jobRecord>)[];
export const PLAN_COLUMNS = Object.keys(planRecord({} as PlanRow)) as (keyof ReturnType<typeof planRecord>)[];

/** `jobs.csv`: a header, then one row per job. */
export const jobsCsv = (jobs: JobRow[]): string => csv(JOB_COLUMNS, jobs.map(jobRecord));
/** `plans.csv`: a header, then one row per plan. */
export const plansCsv = (plans: PlanRow[]): string => csv(PLAN_COLUMNS, plans.map(planRecord));

/** A listed report: its scope and counts in Karbor's time text (GET /reports; its links come with show). */
export const reportSummaryView = (r: ReportReceipt) => ({
  ...scopeRecord(r),
  since: karborTime(r.since),
  until: karborTime(r.until),
  created_at: karborTime(r.createdAt),
});

/** The API's report view: the scope in Karbor's time text, the links and when they expire. */
export const reportView = (r: ReportWithLinks) => ({
  ...scopeRecord(r),
  since: karborTime(r.since),
  until: karborTime(r.until),
  created_at: karborTime(r.createdAt),
  links_expire_at: karborTime(r.expiresAt),
  links: r.links.map((l) => ({ rel: l.name, href: l.href })),
});
