import fc from 'fast-check';
import { type ComplianceRecord, EMPTY_COMPLIANCE, judgeCompliance, type ScheduleExpectation } from '../../../../../shared/features/plans/model';

const HOUR = 3600;
const at = (iso: string) => new Date(iso);
const expect_ = (over: Partial<ScheduleExpectation> = {}): ScheduleExpectation => ({
  operationId: 'op1',
  triggerId: 't1',
  intervalSeconds: HOUR,
  since: '2026-11-25T00:00:00.000Z',
  until: null,
  ...over,
});
const record = (over: Partial<ComplianceRecord> = {}): ComplianceRecord => ({ ...EMPTY_COMPLIANCE, ...over });
const started = { status: 'started' as const };

describe('judgeCompliance (docs/decisions.md §20)', () => {
  it('is unprotected with nothing, compliant with a good checkpoint and no schedule', () => {
    // Act
    const none = judgeCompliance(started, EMPTY_COMPLIANCE, at('2026-11-25T12:00:00Z'));
    const good = judgeCompliance(started, record({ lastGoodAt: '2020-01-01T00:00:00.000Z' }), at('2026-11-25T12:00:00Z'));
    // Assess: never late without a schedule, however old the checkpoint
    expect(none).toMatchObject({ status: 'unprotected', lastGoodAt: null, expectedIntervalSeconds: null, lateSince: null });
    expect(good.status).toBe('compliant');
  });

  it('turns late two intervals after the newest good checkpoint, and says since when', () => {
    // Prepare
    const r = record({ expectations: [expect_()], lastGoodAt: '2026-11-25T10:00:00.000Z' });
    // Act
    const before = judgeCompliance(started, r, at('2026-11-25T12:00:00Z'));
    const after = judgeCompliance(started, r, at('2026-11-25T12:00:01Z'));
    // Assess
    expect(before.status).toBe('compliant');
    expect(after).toMatchObject({
      status: 'late',
      lastGoodAt: '2026-11-25T10:00:00.000Z',
      expectedIntervalSeconds: HOUR,
      lateSince: '2026-11-25T12:00:00.000Z',
    });
  });

  it('counts from the expectation’s start when there is no good checkpoint, or an older one: late beats unprotected', () => {
    // Prepare
    const r = record({ expectations: [expect_({ since: '2026-11-25T06:00:00.000Z' })], lastGoodAt: '2026-01-01T00:00:00.000Z' });
    // Act
    const early = judgeCompliance(started, r, at('2026-11-25T07:59:00Z'));
    const never = judgeCompliance(started, { ...r, lastGoodAt: null }, at('2026-11-25T08:00:01Z'));
    // Assess
    expect(early.status).toBe('compliant');
    expect(never.status).toBe('late');
    expect(never.lateSince).toBe('2026-11-25T08:00:00.000Z');
  });

  it('lets the shortest interval of several operations govern', () => {
    // Prepare
    const r = record({
      expectations: [expect_({ operationId: 'daily', intervalSeconds: 24 * HOUR }), expect_({ operationId: 'hourly', intervalSeconds: HOUR })],
      lastGoodAt: '2026-11-25T09:00:00.000Z',
    });
    // Act
    const c = judgeCompliance(started, r, at('2026-11-25T12:00:00Z'));
    // Assess
    expect(c.expectedIntervalSeconds).toBe(HOUR);
    expect(c.status).toBe('late');
  });

  it('ignores an expectation whose trigger has ended, and never judges a suspended plan late', () => {
    // Prepare
    const r = record({ expectations: [expect_({ until: '2026-11-25T11:00:00.000Z' })], lastGoodAt: '2026-11-25T00:00:00.000Z' });
    const live = record({ expectations: [expect_()], lastGoodAt: '2026-11-25T00:00:00.000Z' });
    // Act
    const ended = judgeCompliance(started, r, at('2026-11-25T12:00:00Z'));
    const suspended = judgeCompliance({ status: 'suspended' }, live, at('2026-11-25T12:00:00Z'));
    // Assess
    expect(ended).toMatchObject({ status: 'compliant', lastGoodAt: '2026-11-25T00:00:00.000Z', expectedIntervalSeconds: null, lateSince: null });
    expect(suspended.status).toBe('compliant');
    expect(suspended.expectedIntervalSeconds).toBe(HOUR);
  });

  it('is late exactly when now is past the later of the checkpoint and the start plus two intervals (property)', () => {
    const base = Date.parse('2026-11-25T00:00:00Z');
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 7 * 24 * HOUR }),
        fc.integer({ min: 0, max: 30 * 24 * HOUR }),
        fc.option(fc.integer({ min: 0, max: 30 * 24 * HOUR })),
        fc.integer({ min: 0, max: 90 * 24 * HOUR }),
        (interval, since, good, now) => {
          const r = record({
            expectations: [expect_({ intervalSeconds: interval, since: new Date(base + since * 1000).toISOString() })],
            lastGoodAt: good === null ? null : new Date(base + good * 1000).toISOString(),
          });
          const c = judgeCompliance(started, r, new Date(base + now * 1000));
          const late = now > Math.max(since, good ?? -Infinity) + 2 * interval;
          expect(c.status).toBe(late ? 'late' : good === null ? 'unprotected' : 'compliant');
          expect(c.lateSince !== null).toBe(late);
        },
      ),
      { numRuns: 200 },
    );
  });
});
