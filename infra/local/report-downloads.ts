import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { downloadDeps } from '../../shared/features/reports/deps';
import { openReportLink } from '../../shared/features/reports/use-cases';

/**
 * The local stand-in for S3's presigned GET of a report file
 * (docs/decisions.md §22): the link's signature and expiry checked with the
 * runtime's key, the file read from the local bank. Like a presigned URL it
 * needs no token: the signature is the permission. Run as the runtime (its
 * settings name the bank and the key).
 */
export const serveReportDownload = async (query: URLSearchParams): Promise<APIGatewayProxyStructuredResultV2> => {
  const download = await openReportLink(downloadDeps(), query);
  if (download.status !== 200) {
    return { statusCode: download.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${download.message}\n` };
  }
  return {
    statusCode: 200,
    headers: {
      'Content-Type': download.contentType,
      'Content-Disposition': `attachment; filename="${download.filename.replace(/["\\\r\n]/g, '_')}"`,
      'Cache-Control': 'private, no-store',
    },
    body: download.body,
  };
};
