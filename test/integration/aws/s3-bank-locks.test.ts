import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { s3Bank } from '../../../shared/features/protection/adapters/s3-bank';
import { describeMoto, type Moto, startMoto } from '../../support/moto';

/** The S3 bank's lock operations on a bucket made with Object Lock, as the stack makes it with `karbor:bankObjectLock` (docs/decisions.md §19). */
describeMoto('S3 bank Object Lock against moto_server', () => {
  let moto: Moto;
  let s3: S3Client;
  const bucket = 'karbor-bank-locked';
  const until = new Date(Date.now() + 10 * 86400_000);
  until.setUTCMilliseconds(0);
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(moto.clientConfig);
    await s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' }, ObjectLockEnabledForBucket: true }),
    );
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  // HeadObject, not GetObjectRetention: the SDK cannot parse moto's answer to the latter.
  const retentionOf = async (Key: string) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
    return { mode: head.ObjectLockMode, until: head.ObjectLockRetainUntilDate?.toISOString() };
  };
  const versionIdOf = async (Key: string) => (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: Key }))).Versions?.[0]?.VersionId;

  it("puts the retention on every object of the checkpoint's prefix and on nothing else", async () => {
    // Prepare
    const bank = s3Bank(s3, bucket);
    await bank.put('checkpoints/c1/T#a/items.json', '[]');
    await bank.put('checkpoints/c1/T#b/items.json', '[]');
    await bank.put('checkpoints/c2/T#a/items.json', '[]');
    // Act
    await bank.lock('checkpoints/c1/', { mode: 'compliance', until: until.toISOString() });
    // Assess
    for (const key of ['checkpoints/c1/T#a/items.json', 'checkpoints/c1/T#b/items.json']) {
      expect(await retentionOf(key)).toEqual({ mode: 'COMPLIANCE', until: until.toISOString() });
    }
    expect(await retentionOf('checkpoints/c2/T#a/items.json')).toEqual({ mode: undefined, until: undefined });
  });

  it('a locked version cannot be removed before its date', async () => {
    // Prepare
    const bank = s3Bank(s3, bucket);
    await bank.put('checkpoints/c3/T#a/items.json', '[]');
    await bank.lock('checkpoints/c3/', { mode: 'compliance', until: until.toISOString() });
    const versionId = await versionIdOf('checkpoints/c3/T#a/items.json');
    // Act / Assess
    await expect(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'checkpoints/c3/T#a/items.json', VersionId: versionId }))).rejects.toThrow();
    expect(await versionIdOf('checkpoints/c3/T#a/items.json')).toBe(versionId);
  });

  it('lifts a governance retention with the bypass, so the version can go', async () => {
    // Prepare
    const bank = s3Bank(s3, bucket);
    await bank.put('checkpoints/c4/T#a/items.json', '[]');
    await bank.lock('checkpoints/c4/', { mode: 'governance', until: until.toISOString() });
    const versionId = await versionIdOf('checkpoints/c4/T#a/items.json');
    // Act
    await bank.lock('checkpoints/c4/', null);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'checkpoints/c4/T#a/items.json', VersionId: versionId }));
    // Assess
    expect(await versionIdOf('checkpoints/c4/T#a/items.json')).toBeUndefined();
  });

  it('sets and releases the legal hold of every object under the prefix', async () => {
    // Prepare
    const bank = s3Bank(s3, bucket);
    await bank.put('checkpoints/c5/T#a/items.json', '[]');
    const hold = async () => (await s3.send(new GetObjectLegalHoldCommand({ Bucket: bucket, Key: 'checkpoints/c5/T#a/items.json' }))).LegalHold?.Status;
    // Act
    await bank.hold('checkpoints/c5/', true);
    const held = await hold();
    await bank.hold('checkpoints/c5/', false);
    // Assess
    expect([held, await hold()]).toEqual(['ON', 'OFF']);
  });
});
