import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { s3Bank } from '../../../shared/features/protection/adapters/s3-bank';
import { describeMoto, type Moto, startMoto } from '../../support/moto';

describeMoto('S3 bank against moto_server', () => {
  let moto: Moto;
  let s3: S3Client;
  const bucket = 'karbor-bank';
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(moto.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  const keysInBucket = async (Prefix?: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix }))).Contents ?? []).map((o) => o.Key).sort();

  it('puts JSON objects, reads them back, lists by prefix and says undefined for a missing key', async () => {
    const bank = s3Bank(s3, bucket);
    await bank.put('cp-1/a.json', '{"a":1}');
    await bank.put('cp-1/b.json', '{"b":2}');
    await bank.put('cp-2/a.json', '{"c":3}');
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cp-1/a.json' }));
    expect(stored.ContentType).toBe('application/json');
    expect(await stored.Body!.transformToString()).toBe('{"a":1}');
    expect(await bank.get('cp-1/b.json')).toBe('{"b":2}');
    expect(await bank.get('cp-1/none.json')).toBeUndefined();
    expect(await bank.list('cp-1/')).toEqual(['cp-1/a.json', 'cp-1/b.json']);
  });

  it('deletes a prefix of more than 1000 objects (two DeleteObjects pages) and nothing else', async () => {
    const bank = s3Bank(s3, bucket);
    for (let i = 0; i < 1003; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, 1003 - i) }, (_, j) => bank.put(`big/${String(i + j).padStart(4, '0')}`, '{}')));
    }
    expect(await bank.list('big/')).toHaveLength(1003);
    await bank.deletePrefix('big/');
    expect(await keysInBucket('big/')).toEqual([]);
    expect(await keysInBucket('cp-2/')).toEqual(['cp-2/a.json']);
  });
});
