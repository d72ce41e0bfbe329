import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ReportLinks } from '../../../shared/features/reports/adapters/s3-links';
import { describeMoto, type Moto, startMoto } from '../../support/moto';

describeMoto('report links: S3 presigned GETs against moto_server', () => {
  let moto: Moto;
  let s3: S3Client;
  const bucket = 'karbor-bank-reports';
  const now = new Date();
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client(moto.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/p1/r1/jobs.csv', Body: 'id\r\nl1\r\n' }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it('links a report file that a client without credentials downloads, with the name and type S3 is asked to answer', async () => {
    // Act
    const href = await s3ReportLinks(s3, bucket, () => now).link('reports/p1/r1/jobs.csv', {
      filename: 'karbor-report-r1-jobs.csv',
      contentType: 'text/csv; charset=utf-8',
      expiresAt: new Date(now.getTime() + 900_000),
      baseUrl: 'http://ignored',
    });
    const res = await fetch(href);
    // Assess
    expect(href).toContain('X-Amz-Expires=900');
    expect(href).toContain('X-Amz-Signature=');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('id\r\nl1\r\n');
    // S3 answers these overrides as the download's headers (moto ignores them): the signed URL carries them.
    const query = new URL(href).searchParams;
    expect(query.get('response-content-disposition')).toBe('attachment; filename="karbor-report-r1-jobs.csv"');
    expect(query.get('response-content-type')).toBe('text/csv; charset=utf-8');
  });
});
