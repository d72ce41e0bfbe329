import { synthStack } from '../support/synth';

const bankOf = (s: ReturnType<typeof synthStack>) => {
  const [bank] = Object.entries(s.resources).filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && /^Bank/.test(id));
  if (!bank) throw new Error('no bank bucket');
  return bank[1].Properties;
};

/** The bank bucket's lifecycle and Object Lock (docs/operations.md, Checkpoint locks on AWS). */
describe('bank bucket locks and version expiry', () => {
  const plain = synthStack();

  it('expires noncurrent versions after 30 days and reports after 90 by default, and has no Object Lock', () => {
    // Act
    const bank = bankOf(plain);
    // Assess
    expect(bank.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        Id: 'ExpireNoncurrentVersions',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        ExpiredObjectDeleteMarker: true,
      }),
      { Id: 'ExpireReports', Status: 'Enabled', Prefix: 'reports/', ExpirationInDays: 90 },
    ]);
    expect(bankOf(synthStack({ 'karbor:reportRetentionDays': 7 })).LifecycleConfiguration.Rules[1]).toMatchObject({ ExpirationInDays: 7 });
    expect(bank.ObjectLockEnabled).toBeUndefined();
    expect(bank.ObjectLockConfiguration).toBeUndefined();
  });

  it('keeps the lock route off the S3 lock calls and tells it the bank cannot lock', () => {
    // Assess
    expect(plain.envOf('checkpoints.lock').KARBOR_BANK_OBJECT_LOCK).toBe('0');
    expect(plain.actionsOf('checkpoints.lock')).not.toContain('s3:PutObjectRetention');
  });

  it.each([
    ['compliance', 'COMPLIANCE'],
    ['governance', 'GOVERNANCE'],
  ])('with karbor:bankObjectLock=%s makes the bank with Object Lock and its default retention', (mode, cfnMode) => {
    // Act
    const s = synthStack({ 'karbor:bankObjectLock': mode, 'karbor:bankLockDays': 45, 'karbor:bankNoncurrentDays': 7 });
    const bank = bankOf(s);
    // Assess
    expect(bank.ObjectLockEnabled).toBe(true);
    expect(bank.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: cfnMode, Days: 45 } } });
    expect(bank.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 7 });
  });

  it("with Object Lock grants the lock route retention, legal hold and governance bypass on checkpoints' objects only", () => {
    // Act
    const s = synthStack({ 'karbor:bankObjectLock': 'governance' });
    // Assess
    expect(s.envOf('checkpoints.lock').KARBOR_BANK_OBJECT_LOCK).toBe('1');
    expect(s.statementsOf('checkpoints.lock')).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['s3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
        Resource: { 'Fn::Join': ['', [expect.anything(), '/checkpoints/*']] },
      }),
    );
    expect(s.actionsOf('checkpoints.delete')).not.toContain('s3:BypassGovernanceRetention');
  });

  it.each([
    [{ 'karbor:bankObjectLock': 'legal' }, 'karbor:bankObjectLock must be one of none, governance, compliance'],
    [{ 'karbor:bankLockDays': 0 }, 'karbor:bankLockDays must be a whole number from 1 to 36500'],
    [{ 'karbor:bankNoncurrentDays': 'x' }, 'karbor:bankNoncurrentDays must be a whole number'],
  ])('refuses %j at synth', (context, message) => {
    // Act / Assess
    expect(() => synthStack(context)).toThrow(message);
  });
});
