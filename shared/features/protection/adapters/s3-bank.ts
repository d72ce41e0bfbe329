import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LockableBank } from '../../../kernel/ports';

/**
 * The S3 bank: one object per key in the bank bucket (the stack creates it
 * encrypted, versioned and private; BANK_BUCKET names it). Locks are S3
 * Object Lock on each current object version, which needs a bucket made with
 * Object Lock (`karbor:bankObjectLock`; docs/operations.md, Checkpoint locks on AWS).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html
 */
export const s3Bank = (s3: S3Client, bucket: string): LockableBank => {
  const list = async (prefix: string): Promise<string[]> => {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    }
    return keys.sort();
  };
  return {
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    },
    async get(key) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body!.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    list,
    async deletePrefix(prefix) {
      const keys = await list(prefix);
      // DeleteObjects takes at most 1000 keys per call.
      for (let i = 0; i < keys.length; i += 1000) {
        const out = await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }),
        );
        if (out.Errors && out.Errors.length > 0) throw new Error(`bank delete failed for ${out.Errors[0].Key}: ${out.Errors[0].Message}`);
      }
    },
    async lock(prefix, retention) {
      for (const key of await list(prefix)) {
        await s3.send(
          new PutObjectRetentionCommand({
            Bucket: bucket,
            Key: key,
            // An empty retention lifts it; S3 itself refuses to shorten or lift a compliance one.
            Retention:
              retention === null ? {} : { Mode: retention.mode === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE', RetainUntilDate: new Date(retention.until) },
            // Shortening a governance retention needs s3:BypassGovernanceRetention; the use case allows it to admins only.
            BypassGovernanceRetention: retention === null || retention.mode === 'governance' ? true : undefined,
          }),
        );
      }
    },
    async hold(prefix, on) {
      for (const key of await list(prefix)) {
        await s3.send(new PutObjectLegalHoldCommand({ Bucket: bucket, Key: key, LegalHold: { Status: on ? 'ON' : 'OFF' } }));
      }
    },
  };
};
