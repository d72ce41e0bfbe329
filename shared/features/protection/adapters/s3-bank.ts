import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Bank } from '../../../kernel/ports';

/**
 * The S3 bank: one object per key in the bank bucket (the stack creates it
 * encrypted, versioned and private; BANK_BUCKET names it).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 */
export const s3Bank = (s3: S3Client, bucket: string): Bank => {
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
  };
};
