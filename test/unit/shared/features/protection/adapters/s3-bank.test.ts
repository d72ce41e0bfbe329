import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { s3Bank } from '../../../../../../shared/features/protection/adapters/s3-bank';

const s3 = mockClient(S3Client);
const client = () => new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('S3 bank', () => {
  beforeEach(() => s3.reset());

  it('puts objects as JSON in the bank bucket', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    // Act
    await s3Bank(client(), 'bank-bucket').put('checkpoints/c1/T#x/a.json', '{}');
    // Assess
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'bank-bucket',
      Key: 'checkpoints/c1/T#x/a.json',
      Body: '{}',
      ContentType: 'application/json',
    });
  });

  it('answers undefined for a missing object', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
    // Act / Assess
    await expect(s3Bank(client(), 'bank-bucket').get('nope')).resolves.toBeUndefined();
  });

  it('deletes every key under a prefix, page by page', async () => {
    // Prepare
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'checkpoints/c1/a' }], IsTruncated: true, NextContinuationToken: 't' })
      .resolves({ Contents: [{ Key: 'checkpoints/c1/b' }] });
    s3.on(DeleteObjectsCommand).resolves({});
    // Act
    await s3Bank(client(), 'bank-bucket').deletePrefix('checkpoints/c1/');
    // Assess
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input).toEqual({
      Bucket: 'bank-bucket',
      Delete: { Objects: [{ Key: 'checkpoints/c1/a' }, { Key: 'checkpoints/c1/b' }], Quiet: true },
    });
  });
});
