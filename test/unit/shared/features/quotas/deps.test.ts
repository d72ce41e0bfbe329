import { checkpointQuotaLimit, configuredQuotaLimits, planQuotaLimit } from '../../../../../shared/features/quotas/deps';

describe('quota settings', () => {
  it('defaults to Karbor’s 50 plans and unlimited checkpoints, and reads the environment', () => {
    // Act
    const defaults = configuredQuotaLimits({});
    const set = configuredQuotaLimits({ KARBOR_QUOTA_PLANS: '7', KARBOR_QUOTA_CHECKPOINTS: '0' });
    // Assess
    expect(defaults).toEqual({ plans: 50, checkpoints: -1 });
    expect(set).toEqual({ plans: 7, checkpoints: 0 });
    expect(planQuotaLimit({ KARBOR_QUOTA_PLANS: '-1' })).toBe(-1);
  });

  it.each(['abc', '1.5', '-2'])('refuses %s instead of guessing', (raw) => {
    expect(() => planQuotaLimit({ KARBOR_QUOTA_PLANS: raw })).toThrow(/KARBOR_QUOTA_PLANS/);
    expect(() => checkpointQuotaLimit({ KARBOR_QUOTA_CHECKPOINTS: raw })).toThrow(/KARBOR_QUOTA_CHECKPOINTS/);
  });
});
