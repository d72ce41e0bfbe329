import { type Statement, type Synth, synthStack } from '../support/synth';

const bankOf = (s: Synth) => {
  const [bank] = Object.entries(s.resources).filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && /^Bank/.test(id));
  if (!bank) throw new Error('no bank bucket');
  return bank[1].Properties;
};

const keysOf = (s: Synth) => Object.entries(s.resources).filter(([, r]) => r.Type === 'AWS::KMS::Key');

const kmsStatements = (s: Synth, fid: string): Statement[] =>
  s.statementsOf(fid).filter((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]).some((a) => a.startsWith('kms:')));

const EXISTING = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The bank's encryption key (karbor:bankKey, docs/decisions.md §27). */
describe('bank key', () => {
  const plain = synthStack();

  it('by default makes a rotated customer managed key and encrypts the bank with it and an S3 bucket key', () => {
    // Act
    const keys = keysOf(plain);
    const bank = bankOf(plain);
    // Assess
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0];
    expect(keyId).toMatch(/^BankKey/);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    expect(bank.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
      ],
    });
  });

  it('lets the account administer the key through IAM and use it only through S3 in the stack Region', () => {
    // Act
    const statements = keysOf(plain)[0][1].Properties.KeyPolicy.Statement as Statement[];
    // Assess
    expect(statements).toHaveLength(2);
    const use = statements.find((st) => (st as { Sid?: string }).Sid === 'UseThroughS3');
    expect(use).toMatchObject({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'] });
    expect(JSON.stringify(use?.Condition)).toContain('kms:ViaService');
    expect(JSON.stringify(use?.Condition)).toContain('kms:CallerAccount');
    const admin = statements.find((st) => (st as { Sid?: string }).Sid === 'Administer');
    const adminActions = admin?.Action as string[];
    expect(adminActions).toContain('kms:ScheduleKeyDeletion');
    for (const a of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*', 'kms:*']) expect(adminActions).not.toContain(a);
  });

  it('grants the worker Decrypt and GenerateDataKey on the bank key via S3 only, and names the key in its environment', () => {
    // Act
    const worker = kmsStatements(plain, 'protection.worker');
    // Assess
    expect(worker).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: expect.anything(),
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: expect.anything(),
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
    expect(plain.envOf('protection.worker').KARBOR_BANK_KEY).toEqual({ 'Fn::GetAtt': [keysOf(plain)[0][0], 'Arn'] });
  });

  it('gives a route that only reads the bank Decrypt, and routes without the bank no key at all', () => {
    // Act / Assess
    expect(kmsStatements(plain, 'reports.show').map((st) => st.Action)).toEqual(['kms:Decrypt']);
    expect(kmsStatements(plain, 'plans.show')).toEqual([]);
    expect(kmsStatements(plain, 'checkpoints.list')).toEqual([]);
  });

  it('with an existing key ARN encrypts the bank with it, makes no key and grants on that ARN', () => {
    // Act
    const s = synthStack({ 'karbor:bankKey': EXISTING });
    // Assess
    expect(keysOf(s)).toEqual([]);
    expect(bankOf(s).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: EXISTING,
    });
    expect(kmsStatements(s, 'protection.worker').map((st) => st.Resource)).toEqual([EXISTING, EXISTING]);
    expect(s.envOf('protection.worker').KARBOR_BANK_KEY).toBe(EXISTING);
  });

  it('with s3 keeps SSE-S3, makes no key and grants no KMS action', () => {
    // Act
    const s = synthStack({ 'karbor:bankKey': 's3' });
    // Assess
    expect(keysOf(s)).toEqual([]);
    expect(bankOf(s).BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(kmsStatements(s, 'protection.worker')).toEqual([]);
    expect(s.envOf('protection.worker').KARBOR_BANK_KEY).toBe('aws-owned');
  });

  it.each(['alias/karbor', 'arn:aws:kms:eu-west-1:123456789012:alias/karbor', 'kms'])('refuses karbor:bankKey %s at synth', (value) => {
    // Act / Assess
    expect(() => synthStack({ 'karbor:bankKey': value })).toThrow('context karbor:bankKey must be create, s3 or a KMS key ARN');
  });
});
