import { type ComplianceRecord, EMPTY_COMPLIANCE, judgeCompliance, type ScheduleExpectation } from '../../../../../shared/features/plans/model';

const HOUR = 3600;
const DAY = 86400;
const at = (iso: string) => new Date(iso);
const protect = (over: Partial<ScheduleExpectation> = {}): ScheduleExpectation => ({
  operationId: 'op-protect',
  triggerId: 't1',
  intervalSeconds: HOUR,
  since: '2026-11-20T00:00:00.000Z',
  until: null,
  ...over,
});
const drill = (over: Partial<ScheduleExpectation> = {}): ScheduleExpectation => ({
  operationId: 'op-drill',
  kind: 'verify',
  triggerId: 't2',
  intervalSeconds: DAY,
  since: '2026-11-20T00:00:00.000Z',
  until: null,
  ...over,
});
const record = (over: Partial<ComplianceRecord> = {}): ComplianceRecord => ({ ...EMPTY_COMPLIANCE, ...over });
const started = { status: 'started' as const };

describe('judgeCompliance with drills (docs/decisions.md §24)', () => {
  it('judges a successful drill against the drill interval, not the protect interval', () => {
    // Prepare: hourly protects are on time; the newest successful drill is from the 22nd (daily drills).
    const r = record({ expectations: [protect(), drill()], lastGoodAt: '2026-11-25T11:30:00.000Z', lastVerifiedAt: '2026-11-23T00:00:00.000Z' });
    // Act
    const before = judgeCompliance(started, r, at('2026-11-25T00:00:00Z'));
    const after = judgeCompliance(started, r, at('2026-11-25T00:00:01Z'));
    // Assess
    expect(before).toMatchObject({
      status: 'compliant',
      lastGoodAt: '2026-11-25T11:30:00.000Z',
      expectedIntervalSeconds: HOUR,
      lateSince: null,
      lastVerifiedAt: '2026-11-23T00:00:00.000Z',
    });
    expect(after).toMatchObject({ status: 'late', expectedIntervalSeconds: HOUR, lateSince: '2026-11-25T00:00:00.000Z' });
  });

  it('counts from the drill schedule start when no drill has succeeded yet', () => {
    // Prepare
    const r = record({ expectations: [protect(), drill({ since: '2026-11-24T00:00:00.000Z' })], lastGoodAt: '2026-11-25T23:30:00.000Z' });
    // Act
    const within = judgeCompliance(started, r, at('2026-11-25T23:59:59Z'));
    const past = judgeCompliance(started, r, at('2026-11-26T00:00:01Z'));
    // Assess
    expect(within.status).toBe('compliant');
    expect(past).toMatchObject({ status: 'late', lateSince: '2026-11-26T00:00:00.000Z' });
  });

  it('is late at the earlier of the protect and the drill deadlines', () => {
    // Prepare: the protects stopped at 10:00 (late from 12:00); the drills are fine.
    const r = record({ expectations: [protect(), drill()], lastGoodAt: '2026-11-25T10:00:00.000Z', lastVerifiedAt: '2026-11-25T09:00:00.000Z' });
    // Act
    const c = judgeCompliance(started, r, at('2026-11-25T13:00:00Z'));
    // Assess
    expect(c).toMatchObject({ status: 'late', lateSince: '2026-11-25T12:00:00.000Z' });
  });

  it('shows the drill interval for a plan with drills only, and never judges a suspended plan or an ended drill schedule', () => {
    // Prepare
    const onlyDrills = record({ expectations: [drill()], lastGoodAt: '2026-11-01T00:00:00.000Z', lastVerifiedAt: '2026-11-25T00:00:00.000Z' });
    const ended = record({ expectations: [drill({ until: '2026-11-21T00:00:00.000Z' })], lastGoodAt: '2026-11-01T00:00:00.000Z' });
    // Act
    const drills = judgeCompliance(started, onlyDrills, at('2026-11-25T12:00:00Z'));
    const suspended = judgeCompliance({ status: 'suspended' }, record({ expectations: [drill()] }), at('2026-12-25T12:00:00Z'));
    const afterEnd = judgeCompliance(started, ended, at('2026-12-25T12:00:00Z'));
    // Assess: a good checkpoint long ago does not make a drilled plan late (the protect schedule is what judges checkpoints)
    expect(drills).toMatchObject({ status: 'compliant', lastGoodAt: '2026-11-01T00:00:00.000Z', expectedIntervalSeconds: DAY, lateSince: null });
    expect(suspended).toMatchObject({ status: 'unprotected', expectedIntervalSeconds: DAY, lateSince: null });
    expect(afterEnd).toMatchObject({ status: 'compliant', expectedIntervalSeconds: null });
  });

  it('reads an expectation stored before drills (no kind) as a protect one', () => {
    // Prepare
    const legacy = protect();
    const r = record({ expectations: [legacy], lastGoodAt: '2026-11-25T10:00:00.000Z', lastVerifiedAt: '2020-01-01T00:00:00.000Z' });
    // Act
    const c = judgeCompliance(started, r, at('2026-11-25T11:00:00Z'));
    // Assess
    expect(legacy.kind).toBeUndefined();
    expect(c.status).toBe('compliant');
  });
});
