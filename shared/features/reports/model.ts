import type { Bank, Clock, IdGen, Log } from '../../kernel/ports';
import type { DayProjects } from '../overview/model';
import type { OperationLogWindow } from '../operation-logs/model';
import type { JudgedPlanReader } from '../plans/model';

/**
 * Reports (an extension, docs/decisions.md §22): every job of a time window
 * (from the operation logs) and each plan's compliance, written to the bank
 * under `reports/<project>/<report id>/` as JSON and CSV, and fetched by a
 * short-lived link (a Lambda answer is capped at 6 MB).
 */

/** One job of the window: one operation log. Times ISO 8601. */
export interface JobRow {
  projectId: string;
  /** The operation log's id. */
  id: string;
  /** protect, retention_protect, copy, restore, verify, delete. */
  operationType: string;
  planId: string | null;
  checkpointId: string | null;
  restoreId: string | null;
  providerId: string | null;
  scheduledOperationId: string | null;
  /** The log's own status text (Karbor's). */
  status: string;
  outcome: JobOutcome;
  startedAt: string;
  endedAt: string | null;
  /** null while the job runs. */
  durationSeconds: number | null;
  /** The log's error_info: why a job failed. */
  reason: string | null;
  /** Bytes, where the job's log records them; null otherwise. */
  sizeBytes: number | null;
}

export type JobOutcome = 'succeeded' | 'failed' | 'running';

/** One plan with its compliance at the report's time. */
export interface PlanRow {
  projectId: string;
  planId: string;
  name: string;
  providerId: string;
  status: string;
  compliance: string;
  lastGoodAt: string | null;
  expectedIntervalSeconds: number | null;
  lateSince: string | null;
}

/** What a report covers. */
export interface ReportScope {
  /** The project that asked; the report is kept under its prefix. */
  projectId: string;
  /** An admin's report of every project. */
  allProjects: boolean;
  /** ISO 8601, inclusive: jobs that started in [since, until]. */
  since: string;
  until: string;
}

/** What is kept beside a report's files, and answered for it. */
export interface ReportReceipt extends ReportScope {
  id: string;
  createdAt: string;
  jobCount: number;
  planCount: number;
  /** The report's files: name (in its folder) to content type. */
  files: ReportFile[];
}

export interface ReportFile {
  /** `report.json`, `jobs.csv`, `plans.csv`. */
  name: string;
  contentType: string;
}

/** A receipt with a link to each file, good until `expiresAt`. */
export interface ReportWithLinks extends ReportReceipt {
  expiresAt: string;
  links: Array<{ name: string; href: string }>;
}

/**
 * The short-lived link port: an S3 presigned GET on AWS, a link the local
 * server answers with an HMAC-signed expiring token locally.
 */
export interface ReportLinks {
  link(key: string, o: { filename: string; contentType: string; expiresAt: Date; baseUrl: string }): Promise<string>;
}

export interface ReportDeps {
  logs: OperationLogWindow;
  plans: JudgedPlanReader;
  bank: Pick<Bank, 'put' | 'get'>;
  links: ReportLinks;
  clock: Clock;
  ids: IdGen;
}

/** The daily reports' ports (functions/reports/daily.ts): a report's reads and writes, and the day's projects. */
export interface DailyReportDeps extends Omit<ReportDeps, 'links' | 'ids'> {
  projects: DayProjects;
  log: Log;
}

/** What one daily run made: the day it covered and one report per project with jobs in it. */
export interface DailyReports {
  day: string;
  reports: Array<{ projectId: string; reportId: string; jobCount: number }>;
  /** Projects whose report could not be made (the reason is logged); the others are made all the same. */
  failed: string[];
}

/** The local server's download of a signed link (shared/features/reports/use-cases.ts openReportLink). */
export interface DownloadDeps {
  bank: Pick<Bank, 'get'>;
  /** The key that signed the links; undefined: no link is good. */
  secret: string | undefined;
  clock: Clock;
}

/** Where the local server answers report links (infra/local/api-server.ts); on AWS the links are S3's. */
export const REPORT_DOWNLOAD_PATH = '/report-downloads';
