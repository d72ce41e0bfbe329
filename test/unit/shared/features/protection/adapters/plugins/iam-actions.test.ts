import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dynamoDbBackupActions } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { dynamoDbExportActions } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-export';
import { ebsVolumeActions } from '../../../../../../../shared/features/protection/adapters/plugins/ebs-volume';
import { ec2InstanceActions } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-instance';
import { snapshotLockActions } from '../../../../../../../shared/features/protection/adapters/plugins/snapshot-locks';
import { ec2CopyActions } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-copy';

const DIR = path.join(__dirname, '../../../../../../../shared/features/protection/adapters/plugins');
/** The IAM service of each SDK client package a plugin imports. */
const SERVICES: Record<string, string> = { '@aws-sdk/client-ec2': 'ec2', '@aws-sdk/client-dynamodb': 'dynamodb', '@aws-sdk/client-kms': 'kms' };
/** The action an SDK waiter polls with. */
const WAITERS: Record<string, string> = { waitUntilTableExists: 'DescribeTable' };

/** `service:Action` of every `new XCommand(` and waiter in the file and the plugin helpers it imports (`./name`). */
const sentActions = (file: string, seen = new Set<string>()): string[] => {
  if (seen.has(file)) return [];
  seen.add(file);
  const source = readFileSync(path.join(DIR, `${file}.ts`), 'utf8');
  const service = Object.entries(SERVICES).find(([pkg]) => source.includes(`from '${pkg}'`))?.[1];
  const commands = [...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]);
  const waiters = [...source.matchAll(/\b(waitUntil\w+)\(/g)].map((m) => WAITERS[m[1]] ?? `unknown waiter ${m[1]}`);
  const helpers = [...source.matchAll(/from '\.\/([\w-]+)'/g)].flatMap((m) => sentActions(m[1], seen));
  return [...[...commands, ...waiters].map((a) => `${service}:${a}`), ...helpers];
};

const sorted = (xs: readonly string[]) => [...new Set(xs)].sort();

describe('plugin IAM action lists', () => {
  it.each([
    ['ebs-volume', ebsVolumeActions],
    ['snapshot-locks', snapshotLockActions],
    ['ec2-instance', ec2InstanceActions],
    ['ec2-copy', ec2CopyActions],
    ['dynamodb-backup', dynamoDbBackupActions],
    ['dynamodb-export', dynamoDbExportActions],
  ] as const)('%s lists exactly the actions of the SDK commands it sends', (file, listed) => {
    // Act
    const sent = sentActions(file);
    // Assess
    expect(sent.length).toBeGreaterThan(0);
    expect(sorted(listed)).toEqual(sorted(sent));
  });

  it('follows a plugin into the helpers it imports (the restore target check)', () => {
    expect(sentActions('dynamodb-restore-target')).toEqual(['dynamodb:DescribeTable']);
    expect(sentActions('dynamodb-backup')).toContain('dynamodb:DescribeTable');
  });
});
