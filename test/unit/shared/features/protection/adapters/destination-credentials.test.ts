import { CopySnapshotCommand, DescribeAvailabilityZonesCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { pluginRegistry } from '../../../../../../shared/features/protection/adapters/plugin-registry';
import { destinationCredentials } from '../../../../../../shared/features/protection/adapters/tenant-credentials';
import { catalogOf } from '../../../../../../shared/features/destinations/model';
import { bankSection } from '../../../../../../shared/features/protection/bank';
import { memoryBank } from '../../../../../support/protection-fakes';
import { pluginContext } from '../../../../../support/plugin-context';

const ROLE = 'arn:aws:iam::222222222222:role/KarborCopies';
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const clock = { now: () => new Date('2026-12-08T02:00:00Z') };
const DESTINATIONS = catalogOf([
  { name: 'vault', region: 'us-west-2', accountId: '222222222222', roleArn: ROLE, externalId: 'ext-42', kmsKeyId: 'alias/karbor-vault', isDefault: false },
]);
const volume = { type: 'AWS::EC2::Volume', id: 'vol-1', name: null, extraInfo: null };

/** Every EC2 call: its command, the Region its client is in and the access key it signs with. */
const recordCalls = () => {
  const calls: string[] = [];
  const record = (name: string) => async (_input: unknown, getClient: () => unknown) => {
    const client = getClient() as EC2Client;
    // The source end signs with the worker's own (ambient) credentials, which a unit test has none of.
    const signer = await client.config.credentials().then(
      (c: { accessKeyId: string }) => c.accessKeyId,
      () => 'ambient',
    );
    calls.push(`${name} ${await client.config.region()} ${signer}`);
  };
  ec2.on(DescribeSnapshotsCommand).callsFake(async (input, getClient) => {
    await record('DescribeSnapshots')(input, getClient);
    return input.SnapshotIds ? { Snapshots: [{ SnapshotId: 'snap-copy', State: 'completed' }] } : { Snapshots: [] };
  });
  ec2.on(CopySnapshotCommand).callsFake(async (input, getClient) => {
    await record('CopySnapshot')(input, getClient);
    return { SnapshotId: 'snap-copy' };
  });
  ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: 'us-west-2a' }] });
  return calls;
};

describe('copies to a destination with a role (cross-account: moto cannot assume into another account)', () => {
  beforeEach(() => {
    sts.reset();
    ec2.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'AK-VAULT', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-12-08T03:00:00Z') },
    });
  });

  it('assumes the destination role with its external id, once per destination and project', async () => {
    // Prepare
    const sessions = destinationCredentials({ sts: new STSClient({ region: 'us-east-1' }), clock });
    const vault = DESTINATIONS.get('vault')!;
    // Act
    const identity = await sessions(vault, 'proj-a')!();
    await sessions(vault, 'proj-a')!();
    // Assess
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'karbor-proj-a', ExternalId: 'ext-42', DurationSeconds: 3600 },
    ]);
    expect(identity.accessKeyId).toBe('AK-VAULT');
    expect(sessions({ name: 'same-account' }, 'proj-a')).toBeUndefined();
  });

  it('copies in the destination Region with the assumed session, sharing the source with the destination account first', async () => {
    // Prepare
    const calls = recordCalls();
    const { ModifySnapshotAttributeCommand } = await import('@aws-sdk/client-ec2');
    ec2.on(ModifySnapshotAttributeCommand).resolves({});
    const registry = pluginRegistry(undefined, {
      destinations: DESTINATIONS,
      destinationCredentials: destinationCredentials({ sts: new STSClient({ region: 'us-east-1' }), clock }),
    });
    const source = bankSection(memoryBank(), 'cp-1', 'AWS::EC2::Volume#vol-1');
    await source.put('snapshot.json', JSON.stringify({ snapshot_id: 'snap-src', volume_id: 'vol-1', availability_zone: 'eu-west-1a' }));
    const { ctx } = pluginContext({
      checkpointId: 'cp-2',
      restoreId: undefined,
      location: 'vault',
      copyOf: { checkpointId: 'cp-1', bank: source, destination: 'vault' },
    });
    // Act
    await registry('aws-ebs-volume')!.copy!(ctx, volume);
    // Assess
    expect(ec2.commandCalls(ModifySnapshotAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { SnapshotId: 'snap-src', Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['222222222222'] },
    ]);
    const copy = ec2.commandCalls(CopySnapshotCommand)[0].args[0].input;
    expect(copy).toEqual({
      SourceRegion: 'us-east-1',
      SourceSnapshotId: 'snap-src',
      Encrypted: true,
      KmsKeyId: 'alias/karbor-vault',
      Description: 'Karbor copy cp-2 of snap-src',
      TagSpecifications: [
        {
          ResourceType: 'snapshot',
          Tags: [
            { Key: 'Name', Value: 'karbor-cp-2-vol-1' },
            { Key: 'karbor:project', Value: 'p1' },
            { Key: 'karbor:checkpoint', Value: 'cp-2' },
            { Key: 'karbor:resource', Value: 'vol-1' },
          ],
        },
      ],
    });
    expect(calls.filter((c) => c.startsWith('CopySnapshot'))).toEqual(['CopySnapshot us-west-2 AK-VAULT']);
    expect(JSON.parse((await ctx.bank.get('snapshot.json'))!)).toMatchObject({
      snapshot_id: 'snap-copy',
      region: 'us-west-2',
      availability_zone: 'us-west-2a',
    });
  });

  it('fails the resources of a checkpoint whose destination is no longer configured, naming it', async () => {
    // Prepare
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const registry = pluginRegistry(undefined, { destinations: catalogOf([]) });
    const { ctx } = pluginContext({ location: 'gone' });
    // Act
    const deleting = registry('aws-ebs-volume')!.delete(ctx, volume);
    // Assess
    await expect(deleting).rejects.toThrow('the destination gone is not configured (KARBOR_DESTINATIONS): its copies cannot be reached');
    expect(ec2.calls()).toHaveLength(0);
  });
});
