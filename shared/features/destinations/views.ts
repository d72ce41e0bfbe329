import type { Destination } from './model';

/**
 * A destination as the admin-only list shows it (docs/decisions.md §25):
 * whether a role is assumed, never the external id.
 */
export const destinationView = (d: Destination) => ({
  name: d.name,
  region: d.region,
  account_id: d.accountId ?? null,
  role_arn: d.roleArn ?? null,
  bank: d.bank ?? null,
  kms_key_id: d.kmsKeyId ?? null,
  default: d.isDefault,
});
