import { ForbiddenError, InvalidInputError } from '../../../../../shared/kernel/errors';
import type { Identity } from '../../../../../shared/kernel/identity';
import type { OperationLog } from '../../../../../shared/features/operation-logs/model';
import type { ReportDeps } from '../../../../../shared/features/reports/model';
import {
  createReport,
  jobRow,
  openReportLink,
  REPORT_JOBS_CAP,
  REPORT_LINK_SECONDS,
  reportWindow,
  signReportLink,
} from '../../../../../shared/features/reports/use-cases';
import { csvField, jobsCsv } from '../../../../../shared/features/reports/views';

const NOW = new Date('2026-12-08T12:00:00.000Z');
const member: Identity = { userId: 'u', projectId: 'p1', roles: ['member'], isAdmin: false };
const admin: Identity = { ...member, roles: ['admin'], isAdmin: true };

const log = (over: Partial<OperationLog> = {}): OperationLog => ({
  id: 'l1',
  projectId: 'p1',
  operationType: 'protect',
  checkpointId: 'c1',
  planId: 'pl1',
  providerId: 'pr1',
  restoreId: null,
  scheduledOperationId: null,
  status: 'available',
  startedAt: '2026-12-08T10:00:00.000000',
  endedAt: '2026-12-08T10:00:02.500000',
  errorInfo: null,
  extraInfo: null,
  ...over,
});

/** Fakes of every port; `bank` keeps what was put. */
const fakes = (logs: OperationLog[] | 'over the cap' = [log()]) => {
  const bank = new Map<string, string>();
  const asked: Array<{ projectId?: string; from: string; to: string }> = [];
  const deps: ReportDeps = {
    logs: {
      between: async (q) => {
        asked.push(q);
        return logs === 'over the cap' ? undefined : logs;
      },
    },
    plans: { judgedPlans: async () => [] },
    bank: { put: async (k, b) => void bank.set(k, b), get: async (k) => bank.get(k) },
    links: { link: async (key, o) => `${o.baseUrl}/x?key=${key}&until=${o.expiresAt.toISOString()}` },
    clock: { now: () => NOW },
    ids: { newId: () => '0b2d6f0e-1111-4222-8333-444455556666' },
  };
  return { deps, bank, asked };
};

describe('job rows', () => {
  it('gives a finished job its duration and outcome, a running one none, a failed one its reason', () => {
    expect(jobRow(log())).toMatchObject({ outcome: 'succeeded', durationSeconds: 2.5, reason: null, sizeBytes: null });
    expect(jobRow(log({ endedAt: null, status: 'protecting' }))).toMatchObject({ outcome: 'running', durationSeconds: null });
    expect(jobRow(log({ status: 'error', errorInfo: 'snapshot gone' }))).toMatchObject({ outcome: 'failed', reason: 'snapshot gone' });
    expect(jobRow(log({ operationType: 'restore', status: 'fail' })).outcome).toBe('failed');
    expect(jobRow(log({ operationType: 'delete', status: 'error-deleting' })).outcome).toBe('failed');
  });

  it('takes the size from extra_info where a log records one, and ignores text that is no JSON', () => {
    expect(jobRow(log({ extraInfo: '{"size_bytes": 2048}' })).sizeBytes).toBe(2048);
    expect(jobRow(log({ extraInfo: '{"created_by": "manual"}' })).sizeBytes).toBeNull();
    expect(jobRow(log({ extraInfo: 'not json' })).sizeBytes).toBeNull();
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(-1)).toBe('-1');
  });

  it('writes a header and one line per job', () => {
    const lines = jobsCsv([jobRow(log()), jobRow(log({ id: 'l2' }))]).split('\r\n');
    expect(lines[0]).toMatch(/^project_id,id,operation_type,/);
    expect(lines.filter((l) => l.length > 0)).toHaveLength(3);
  });
});

describe('report window', () => {
  it('defaults to the day before now, and refuses a reversed, overlong or unparsable window', () => {
    expect(reportWindow(NOW)).toEqual({ since: new Date('2026-12-07T12:00:00.000Z'), until: NOW });
    expect(() => reportWindow(NOW, '2026-12-08T13:00:00Z')).toThrow(InvalidInputError);
    expect(() => reportWindow(NOW, '2026-10-01T00:00:00Z', '2026-12-01T00:00:00Z')).toThrow('at most 31 days');
    expect(() => reportWindow(NOW, 'soon')).toThrow('since must be an ISO 8601 time');
  });
});

describe('createReport', () => {
  it('reads the caller project window, writes the three files and the receipt, and links each file for REPORT_LINK_SECONDS', async () => {
    // Prepare
    const { deps, bank, asked } = fakes();
    // Act
    const report = await createReport(deps, member, {}, 'http://api');
    // Assess
    expect(asked).toEqual([{ projectId: 'p1', from: '2026-12-07T12:00:00.000Z', to: '2026-12-08T12:00:00.000Z', cap: REPORT_JOBS_CAP }]);
    const folder = 'reports/p1/0b2d6f0e-1111-4222-8333-444455556666/';
    expect([...bank.keys()].sort()).toEqual([`${folder}jobs.csv`, `${folder}plans.csv`, `${folder}receipt.json`, `${folder}report.json`]);
    expect(JSON.parse(bank.get(`${folder}report.json`) ?? '').report.jobs).toHaveLength(1);
    expect(report).toMatchObject({ jobCount: 1, planCount: 0, expiresAt: new Date(NOW.getTime() + REPORT_LINK_SECONDS * 1000).toISOString() });
    expect(report.links.map((l) => l.href)).toEqual([
      expect.stringContaining(`key=${folder}report.json`),
      expect.stringContaining(`key=${folder}jobs.csv`),
      expect.stringContaining(`key=${folder}plans.csv`),
    ]);
  });

  it('reads every project for an admin asking all_projects, and refuses a member with 403', async () => {
    const { deps, asked } = fakes();
    await createReport(deps, admin, { allProjects: true }, 'http://api');
    expect(asked[0].projectId).toBeUndefined();
    await expect(createReport(deps, member, { allProjects: true }, 'http://api')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a window with more jobs than the cap, writing nothing', async () => {
    const { deps, bank } = fakes('over the cap');
    await expect(createReport(deps, member, {}, 'http://api')).rejects.toThrow(`More than ${REPORT_JOBS_CAP} jobs`);
    expect(bank.size).toBe(0);
  });
});

describe('local links', () => {
  const secret = 'k'.repeat(64);
  const file = 'reports/p1/r/jobs.csv';
  const bank = { get: async (k: string) => (k === file ? 'id\r\n' : undefined) };
  const link = signReportLink(secret, file, { filename: 'f.csv', contentType: 'text/csv', expiresAt: new Date(NOW.getTime() + 900_000) });
  const at = (t: Date) => ({ bank, secret, clock: { now: () => t } });

  it('opens a signed link before it expires, and not after (injected clock)', async () => {
    expect(await openReportLink(at(NOW), link)).toEqual({ status: 200, body: 'id\r\n', contentType: 'text/csv', filename: 'f.csv' });
    expect(await openReportLink(at(new Date(NOW.getTime() + 901_000)), link)).toEqual({ status: 403, message: 'The link has expired.' });
  });

  it('refuses a link signed with another key, one outside the reports prefix, and any link when the runtime has no key', async () => {
    expect((await openReportLink({ ...at(NOW), secret: 'other' }, link)).status).toBe(403);
    const outside = signReportLink(secret, 'checkpoints/c1/manifest.json', {
      filename: 'f',
      contentType: 'text/plain',
      expiresAt: new Date(NOW.getTime() + 1000),
    });
    expect((await openReportLink(at(NOW), outside)).status).toBe(403);
    expect((await openReportLink({ ...at(NOW), secret: undefined }, link)).status).toBe(403);
  });

  it('answers 404 for a good link to a file that is gone', async () => {
    const gone = signReportLink(secret, 'reports/p1/r/plans.csv', { filename: 'f', contentType: 'text/csv', expiresAt: new Date(NOW.getTime() + 1000) });
    expect((await openReportLink(at(NOW), gone)).status).toBe(404);
  });
});
