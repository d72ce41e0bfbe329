import { envPlanQuota, planQuotaLimit } from '../../../../shared/runtime/plans';

describe('plans quota setting', () => {
  it('defaults to Karbor’s 50 and reads KARBOR_QUOTA_PLANS, -1 meaning unlimited', async () => {
    expect(planQuotaLimit({})).toBe(50);
    expect(planQuotaLimit({ KARBOR_QUOTA_PLANS: '-1' })).toBe(-1);
    expect(await envPlanQuota({ KARBOR_QUOTA_PLANS: '7' }).planLimit('p')).toBe(7);
  });

  it.each(['abc', '1.5', '-2'])('refuses %s instead of guessing', (raw) => {
    expect(() => planQuotaLimit({ KARBOR_QUOTA_PLANS: raw })).toThrow(/KARBOR_QUOTA_PLANS/);
  });
});
