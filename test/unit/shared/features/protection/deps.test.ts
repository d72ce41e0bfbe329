import { jobLeaseSeconds, realTimers } from '../../../../../shared/features/protection/deps';
import { withSettings } from '../../../../support/settings';

describe('job lease setting', () => {
  it('defaults to 120 s and reads KARBOR_JOB_LEASE_SECONDS', () => {
    // Act
    const byDefault = withSettings({}, () => jobLeaseSeconds(900));
    const set = withSettings({ KARBOR_JOB_LEASE_SECONDS: '30' }, () => jobLeaseSeconds(900));
    // Assess
    expect(byDefault).toBe(120);
    expect(set).toBe(30);
  });

  it.each(['abc', '1.5', '2', '451'])('refuses %s (a retry could not wait for it to lapse and still run)', (raw) => {
    // Act / Assess
    expect(() => withSettings({ KARBOR_JOB_LEASE_SECONDS: raw }, () => jobLeaseSeconds(900))).toThrow(/KARBOR_JOB_LEASE_SECONDS/);
  });
});

describe('worker timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks every interval until stopped, and sleeps for the time asked', async () => {
    // Prepare
    const ticks: number[] = [];
    let woke = false;
    // Act
    const stop = realTimers.every(40_000, () => ticks.push(Date.now()));
    const sleeping = realTimers.sleep(100_000).then(() => (woke = true));
    jest.advanceTimersByTime(100_000);
    await sleeping;
    stop();
    jest.advanceTimersByTime(100_000);
    // Assess
    expect(ticks).toHaveLength(2);
    expect(woke).toBe(true);
  });
});
