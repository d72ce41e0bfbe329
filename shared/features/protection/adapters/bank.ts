import * as config from '../../../config';
import path from 'node:path';
import { lazily } from '../../../kernel/lazy';
import { traced } from '../../../observability/tracing';
import { fsBank } from './fs-bank';
import type { LockableBank } from '../../../kernel/ports';
import { catalogOf, type DestinationCatalog } from '../../destinations/model';
import type { BankAt } from '../model';

/** An S3 bank whose adapter and client are imported on its first call (issue #15, cold start). */
const lazyS3Bank = (bucket: string | undefined, region?: string): LockableBank => {
  const bank = lazily(async (): Promise<LockableBank> => {
    if (!bucket) throw new Error('BANK_BUCKET is not set');
    const [{ s3Bank }, { S3Client }] = await Promise.all([import('./s3-bank'), import('@aws-sdk/client-s3')]);
    return s3Bank(traced(new S3Client(region === undefined ? {} : { region })), bucket);
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

/**
 * `KARBOR_BANK=local`: files under KARBOR_BANK_DIR (the local runtime sets it
 * to `<data dir>/bank`); otherwise the S3 bucket BANK_BUCKET.
 */
export const bankFromConfig = (): LockableBank => {
  if (config.bank() === 'local') return fsBank(path.resolve(config.bankDir() ?? path.join(config.dataDir(), 'bank')));
  return lazyS3Bank(config.bankBucket());
};

/**
 * The bank a checkpoint lives in (docs/decisions.md §26): the runtime's own
 * for its originals and for copies to a destination that names no bank (or
 * names this very bank: the DR Region's own stack); a destination's `bank`
 * otherwise: on AWS that bucket through an S3 client in the destination's
 * Region, locally the folder KARBOR_LOCAL_BANKS gives the bucket name. A
 * location no longer configured, or a local bank without a folder, throws
 * (the job's resources fail naming it).
 */
export const banksFromConfig = (destinations: DestinationCatalog = catalogOf(config.destinations())): BankAt => {
  const own = bankFromConfig();
  const local = config.bank() === 'local';
  const ownName = local ? undefined : config.bankBucket();
  const folders = local ? config.localBanks() : {};
  const made = new Map<string, LockableBank>();
  return (location) => {
    if (location === undefined) return own;
    const destination = destinations.get(location);
    if (!destination) throw new Error(`the destination ${location} is not configured (KARBOR_DESTINATIONS): its bank cannot be reached`);
    const bucket = destination.bank;
    if (bucket === undefined || bucket === ownName) return own;
    let bank = made.get(bucket);
    if (!bank) {
      if (local) {
        const folder = folders[bucket];
        if (folder === undefined) throw new Error(`the bank ${bucket} of destination ${location} has no local folder (KARBOR_LOCAL_BANKS)`);
        bank = path.resolve(folder) === path.resolve(config.bankDir() ?? '') ? own : fsBank(path.resolve(folder));
      } else bank = lazyS3Bank(bucket, destination.region);
      made.set(bucket, bank);
    }
    return bank;
  };
};
