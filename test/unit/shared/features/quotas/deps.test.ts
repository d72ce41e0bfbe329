import { checkpointQuotaLimit, configuredQuotaLimits, planQuotaLimit } from '../../../../../shared/features/quotas/deps';
import { withSettings } from '../../../../support/settings';

describe('quota settings', () => {
  it('defaults to Karbor’s 50 plans and unlimited checkpoints, and reads the environment', () => {
    // Act
    const defaults = withSettings({}, () => configuredQuotaLimits());
    const set = withSettings({ KARBOR_QUOTA_PLANS: '7', KARBOR_QUOTA_CHECKPOINTS: '0' }, () => configuredQuotaLimits());
    // Assess
    expect(defaults).toEqual({ plans: 50, checkpoints: -1 });
    expect(set).toEqual({ plans: 7, checkpoints: 0 });
    expect(withSettings({ KARBOR_QUOTA_PLANS: '-1' }, () => planQuotaLimit())).toBe(-1);
  });

  it.each(['abc', '1.5', '-2'])('refuses %s instead of guessing', (raw) => {
    expect(() => withSettings({ KARBOR_QUOTA_PLANS: raw }, () => planQuotaLimit())).toThrow(/KARBOR_QUOTA_PLANS/);
    expect(() => withSettings({ KARBOR_QUOTA_CHECKPOINTS: raw }, () => checkpointQuotaLimit())).toThrow(/KARBOR_QUOTA_CHECKPOINTS/);
  });
});
