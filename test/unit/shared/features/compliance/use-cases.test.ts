import { evaluateCompliance } from '../../../../../shared/features/compliance/use-cases';
import type { ComplianceFleet, ComplianceRecord, Plan } from '../../../../../shared/features/plans/model';
import { EMPTY_COMPLIANCE } from '../../../../../shared/features/plans/model';
import type { BusEvent, LogEntry } from '../../../../../shared/kernel/ports';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const plan = (id: string): Plan => ({
  id,
  projectId: 'p1',
  name: id,
  description: null,
  providerId: 'prov',
  status: 'started',
  resources: [],
  parameters: {},
  createdAt: '',
  updatedAt: '',
  version: 1,
});
const hourly = (lastGoodAt: string | null, evaluated: ComplianceRecord['evaluated'] = null): ComplianceRecord => ({
  ...EMPTY_COMPLIANCE,
  expectations: [{ operationId: 'op', triggerId: 't', intervalSeconds: 3600, since: '2026-11-25T00:00:00.000Z', until: null }],
  lastGoodAt,
  evaluated,
});

/** An in-memory fleet whose verdict write succeeds unless the plan is in `losing`. */
const fleet = (rows: Array<{ plan: Plan; record: ComplianceRecord }>, losing: string[] = []) => {
  const marks: Array<[string, unknown, unknown]> = [];
  const f: ComplianceFleet = {
    async *pages() {
      yield rows.slice(0, 1);
      yield rows.slice(1);
    },
    async markEvaluated(id, seen, next) {
      marks.push([id, seen, next]);
      return !losing.includes(id);
    },
  };
  return { f, marks };
};

describe('evaluateCompliance', () => {
  it('counts late plans over every page, sends an event per transition it wins, and records a first not-late verdict silently', async () => {
    // Prepare
    const { f, marks } = fleet(
      [
        { plan: plan('late-new'), record: hourly('2026-11-25T09:00:00.000Z') },
        { plan: plan('late-known'), record: hourly('2026-11-25T09:00:00.000Z', { late: true, at: 'x' }) },
        { plan: plan('recovered'), record: hourly('2026-11-25T11:30:00.000Z', { late: true, at: 'x' }) },
        { plan: plan('fresh'), record: hourly('2026-11-25T11:30:00.000Z') },
        { plan: plan('raced'), record: hourly('2026-11-25T08:00:00.000Z') },
      ],
      ['raced'],
    );
    const events: BusEvent[] = [];
    const counts: number[] = [];
    // Act
    const result = await evaluateCompliance({
      fleet: f,
      events: { publish: async (e) => void events.push(...e) },
      latePlans: (n) => counts.push(n),
      clock: { now: () => NOW },
      log: () => undefined,
    });
    // Assess
    expect(counts).toEqual([3]);
    expect(result).toMatchObject({ plans: 5, late: 3 });
    expect(events.map((e) => [e.detailType, e.detail.plan_id])).toEqual([
      ['Plan Late', 'late-new'],
      ['Plan Recovered', 'recovered'],
    ]);
    expect(marks.map(([id]) => id)).toEqual(['late-new', 'recovered', 'fresh', 'raced']);
    expect(marks[0][2]).toEqual({ late: true, at: NOW.toISOString() });
  });

  it('publishes 0 when nothing is late, and logs an event it could not send', async () => {
    // Prepare
    const { f } = fleet([{ plan: plan('a'), record: hourly('2026-11-25T08:00:00.000Z') }]);
    const logs: LogEntry[] = [];
    const counts: number[] = [];
    // Act
    await evaluateCompliance({
      fleet: f,
      events: {
        publish: async () => {
          throw new Error('bus down');
        },
      },
      latePlans: (n) => counts.push(n),
      clock: { now: () => NOW },
      log: (e) => logs.push(e),
    });
    const empty = fleet([]);
    await evaluateCompliance({
      fleet: empty.f,
      events: { publish: async () => undefined },
      latePlans: (n) => counts.push(n),
      clock: { now: () => NOW },
      log: () => undefined,
    });
    // Assess
    expect(counts).toEqual([1, 0]);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'publishing a compliance event failed', plan_id: 'a' }));
  });
});
