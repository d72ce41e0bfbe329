import * as config from '../../../config';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../../../observability/tracing';
import { s3Bank } from './s3-bank';
import { fsBank } from './fs-bank';
import type { Bank } from '../../../kernel/ports';

/**
 * `KARBOR_BANK=local`: files under KARBOR_BANK_DIR (the local runtime sets it
 * to `<data dir>/bank`); otherwise the S3 bucket BANK_BUCKET.
 */
export const bankFromConfig = (env?: config.Env): Bank => {
  if (config.bank(env) === 'local') return fsBank(path.resolve(config.bankDir(env) ?? path.join(config.dataDir(env), 'bank')));
  const bucket = config.bankBucket(env);
  let bank: Bank | undefined;
  const get = (): Bank => {
    if (!bucket) throw new Error('BANK_BUCKET is not set');
    bank ??= s3Bank(traced(new S3Client({})), bucket);
    return bank;
  };
  return {
    put: (k, b) => get().put(k, b),
    get: (k) => get().get(k),
    list: (p) => get().list(p),
    deletePrefix: (p) => get().deletePrefix(p),
  };
};
