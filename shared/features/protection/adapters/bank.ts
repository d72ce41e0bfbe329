import * as config from '../../../config';
import path from 'node:path';
import { lazily } from '../../../kernel/lazy';
import { traced } from '../../../observability/tracing';
import { fsBank } from './fs-bank';
import type { LockableBank } from '../../../kernel/ports';

/**
 * `KARBOR_BANK=local`: files under KARBOR_BANK_DIR (the local runtime sets it
 * to `<data dir>/bank`); otherwise the S3 bucket BANK_BUCKET, whose adapter
 * and S3 client are imported on the first bank call (issue #15, cold start).
 */
export const bankFromConfig = (): LockableBank => {
  if (config.bank() === 'local') return fsBank(path.resolve(config.bankDir() ?? path.join(config.dataDir(), 'bank')));
  const bucket = config.bankBucket();
  const bank = lazily(async (): Promise<LockableBank> => {
    if (!bucket) throw new Error('BANK_BUCKET is not set');
    const [{ s3Bank }, { S3Client }] = await Promise.all([import('./s3-bank'), import('@aws-sdk/client-s3')]);
    return s3Bank(traced(new S3Client({})), bucket);
  });
  return {
    put: async (k, b) => (await bank()).put(k, b),
    get: async (k) => (await bank()).get(k),
    list: async (p) => (await bank()).list(p),
    deletePrefix: async (p) => (await bank()).deletePrefix(p),
    lock: async (p, r) => (await bank()).lock(p, r),
    hold: async (p, on) => (await bank()).hold(p, on),
  };
};
