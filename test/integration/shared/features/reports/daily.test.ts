import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { operationLogStore, operationLogWindow } from '../../../../../shared/features/operation-logs/store';
import { dynamoDayProjects } from '../../../../../shared/features/overview/store';
import { jobCountUpdates } from '../../../../../shared/features/overview/transact';
import { complianceFleetStore, planStore } from '../../../../../shared/features/plans/store';
import { judgedPlanReader } from '../../../../../shared/features/plans/use-cases';
import { dailyReportId, makeDailyReports, reportFolder } from '../../../../../shared/features/reports/use-cases';
import { createTestTable, testClients } from '../../../../support/dynamo';
import { aProtectLog } from '../../../../support/operation-logs';

describe('daily reports on DynamoDB Local (docs/decisions.md §22)', () => {
  const { doc } = testClients();
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('daily-reports');
  });

  /** The job's log and the counts its final transaction makes (docs/decisions.md §23). */
  const aJob = async (projectId: string, at: string) => {
    const log = aProtectLog(projectId, at);
    await operationLogStore(doc, table).put(log);
    await doc.send(
      new TransactWriteCommand({ TransactItems: jobCountUpdates(table, { id: log.id, projectId, at }, { kind: 'protect', outcome: 'success' }) as never }),
    );
    return log;
  };

  it('makes one report per project with jobs the day before, of that day only, and a retried run rewrites the same reports', async () => {
    // Prepare: two projects with jobs on 2026-12-01, one only on 2026-11-30
    await aJob('dr-a', '2026-12-01T01:00:00.000Z');
    await aJob('dr-a', '2026-12-01T23:00:00.000Z');
    await aJob('dr-b', '2026-12-01T12:00:00.000Z');
    await aJob('dr-c', '2026-11-30T12:00:00.000Z');
    const files = new Map<string, string>();
    const clock = { now: () => new Date('2026-12-02T00:15:00.000Z') };
    const plans = planStore(doc, table);
    const deps = {
      logs: operationLogWindow(doc, table),
      plans: judgedPlanReader({ plans, fleet: complianceFleetStore(doc, table), clock }),
      bank: { put: async (k: string, body: string) => void files.set(k, body), get: async (k: string) => files.get(k) },
      projects: dynamoDayProjects(doc, table),
      clock,
      log: () => undefined,
    };
    // Act
    const first = await makeDailyReports(deps);
    const keys = [...files.keys()].sort();
    const again = await makeDailyReports(deps);
    // Assess
    expect(first.day).toBe('2026-12-01');
    expect(first.reports).toEqual([
      { projectId: 'dr-a', reportId: dailyReportId('dr-a', '2026-12-01'), jobCount: 2 },
      { projectId: 'dr-b', reportId: dailyReportId('dr-b', '2026-12-01'), jobCount: 1 },
    ]);
    expect(first.failed).toEqual([]);
    const receipt = JSON.parse(files.get(`${reportFolder('dr-a', dailyReportId('dr-a', '2026-12-01'))}receipt.json`)!);
    expect(receipt).toMatchObject({ projectId: 'dr-a', allProjects: false, since: '2026-12-01T00:00:00.000Z', until: '2026-12-02T00:00:00.000Z' });
    expect(
      files
        .get(`${reportFolder('dr-a', dailyReportId('dr-a', '2026-12-01'))}jobs.csv`)!
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(3);
    expect(again.reports).toEqual(first.reports);
    expect([...files.keys()].sort()).toEqual(keys);
  });

  it('gives each project and day its own uuid-like report id', () => {
    const ids = [dailyReportId('a', '2026-12-01'), dailyReportId('b', '2026-12-01'), dailyReportId('a', '2026-12-02')];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
