import path from 'node:path';
import * as config from '../../shared/config';
import type { Settings } from '../../shared/runtime-host';
import { formatDestinations, parseDestinations } from '../../shared/features/destinations/model';

/**
 * The DR Region on one laptop (docs/decisions.md §26, issue #23 item 6).
 * `npm start` (the primary) runs a second DynamoDB Local, its own port and
 * data dir `<data dir>/dr`, for the Region `us-west-2`, and a second bank
 * folder `<data dir>/dr/bank` for the bucket `karbor-dr-bank`, configured
 * as the built-in destination `dr`: a plan naming it copies there, and a
 * copy's restore writes its table there. `npm run start:dr`
 * (KARBOR_SITE=dr) is the DR Region's own Karbor on that same data dir
 * (its own table in the second DynamoDB Local, that bank folder as its
 * bank, port 8800), run once the primary is stopped: it imports its catalog
 * from its bank and restores the copies there.
 */
export const DR = { name: 'dr', region: 'us-west-2', bank: 'karbor-dr-bank' } as const;

/** The DR side's data dir, below the primary's. */
export const drDataDir = (primaryDataDir: string): string => path.join(primaryDataDir, 'dr');

/** The user's destinations with the built-in `dr` added (a destination of the user's by that name wins). */
const withDr = (env: Settings): string => {
  const mine = parseDestinations(env.KARBOR_DESTINATIONS);
  if (mine.some((d) => d.name === DR.name)) return formatDestinations(mine);
  return formatDestinations([...mine, { name: DR.name, region: DR.region, bank: DR.bank, isDefault: false }]);
};

/** The primary's settings for its second Region: the destination, its bank folder, its DynamoDB Local. */
export const primaryDrSettings = (env: Settings, drBankDir: string, drEndpoint: string): config.SettingValues => ({
  KARBOR_DESTINATIONS: withDr(env),
  KARBOR_LOCAL_BANKS: JSON.stringify({ ...config.localBanks(env), [DR.bank]: path.resolve(drBankDir) }),
  KARBOR_LOCAL_DYNAMODB_ENDPOINTS: JSON.stringify({ ...config.localDynamoEndpoints(env), [DR.region]: drEndpoint }),
});

/**
 * The DR side's own settings: it is in the DR Region, its bank is the DR bank folder (so the destination `dr`
 * names its own bank, and its own DynamoDB Local is that Region's).
 */
export const drSiteSettings = (env: Settings, ownBankDir: string): config.SettingValues => ({
  AWS_REGION: DR.region,
  KARBOR_DESTINATIONS: withDr(env),
  KARBOR_LOCAL_BANKS: JSON.stringify({ ...config.localBanks(env), [DR.bank]: path.resolve(ownBankDir) }),
  KARBOR_SERVICE_HOST: 'karbor-dr',
});
