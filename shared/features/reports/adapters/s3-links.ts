import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ReportLinks } from '../model';

/**
 * Report links on AWS: an S3 presigned GetObject of the bank object, signed
 * with the function's role (its `bank-write` grant reads the bank), naming
 * the download's file name and content type.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
 */
export const s3ReportLinks = (s3: S3Client, bucket: string, now: () => Date): ReportLinks => ({
  link: (key, o) =>
    getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${o.filename}"`,
        ResponseContentType: o.contentType,
      }),
      { expiresIn: Math.max(1, Math.round((o.expiresAt.getTime() - now().getTime()) / 1000)) },
    ),
});
