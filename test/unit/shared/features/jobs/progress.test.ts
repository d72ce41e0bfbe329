import { progressOf, statusReason } from '../../../../../shared/features/jobs/model';

describe('progressOf', () => {
  it('counts ended resources over the total while the job runs', () => {
    // Act
    const p = progressOf({ a: 'available', b: 'protecting', c: 'error' }, 4, false);
    // Assess
    expect(p).toEqual({ resources_total: 4, resources_done: 2, resources_failed: 1, percent: 50 });
  });

  it('has no percent while the total is unknown, and 100 once the job ended', () => {
    // Act / Assess
    expect(progressOf({ a: 'restoring' }, null, false)).toEqual({ resources_total: null, resources_done: 0, resources_failed: 0, percent: null });
    expect(progressOf({ a: 'available' }, null, true)).toEqual({ resources_total: 1, resources_done: 1, resources_failed: 0, percent: 100 });
    expect(progressOf({}, 0, false).percent).toBeNull();
  });
});

describe('statusReason', () => {
  it('is the recorded reason, the deadline when only the deadline failed the job, else null', () => {
    // Act / Assess
    expect(statusReason({ status: 'error', errorReason: 'vol-1: snapshot failed' }, 'error')).toBe('vol-1: snapshot failed');
    expect(statusReason({ status: 'protecting' }, 'error')).toBe('the job did not finish before its deadline');
    expect(statusReason({ status: 'available' }, 'available')).toBeNull();
  });
});
