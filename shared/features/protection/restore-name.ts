/**
 * Every table a restore (or a copy, or a drill) creates is named
 * `karbor-restore-<name>`: the tenant-access role may create and write only
 * tables with this prefix (RestoreTableFromBackup takes no tags, so IAM can
 * only confine the new table by its name; infra/constructs/tenant-access.ts).
 */
export const RESTORE_TABLE_PREFIX = 'karbor-restore-';

/** DynamoDB table names: 3 to 255 characters. */
const MAX_TABLE_NAME = 255;

/**
 * The restore target's name: the requested `restore_name` under the prefix
 * (kept as given when it already starts with it), else
 * `karbor-restore-<source>-<first 8 characters of the restore id>`.
 */
export const restoreTableName = (requested: string | undefined, sourceTable: string, restoreId: string): string => {
  const name = requested ?? `${sourceTable}-${restoreId.slice(0, 8)}`;
  return (name.startsWith(RESTORE_TABLE_PREFIX) ? name : `${RESTORE_TABLE_PREFIX}${name}`).slice(0, MAX_TABLE_NAME);
};
