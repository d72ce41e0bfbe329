import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { newCheckpoint } from '../../../../../../shared/features/checkpoints/use-cases';
import { catalogOf } from '../../../../../../shared/features/destinations/model';
import { pluginRegistry } from '../../../../../../shared/features/protection/adapters/plugin-registry';
import { destinationCredentials } from '../../../../../../shared/features/protection/adapters/tenant-credentials';
import { copyCheckpoint } from '../../../../../../shared/features/protection/jobs/copy';
import { protectCheckpoint } from '../../../../../../shared/features/protection/jobs/protect';
import type { Provider } from '../../../../../../shared/features/providers/model';
import { fakeCheckpointStore, fakeWorkerDeps, fixedClock, memoryBank } from '../../../../../support/protection-fakes';

/**
 * What encrypts a checkpoint (docs/decisions.md §27), through the protect
 * and copy jobs with the real EBS plugin and registry. EC2 and KMS are client
 * mocks: moto reports no KmsKeyId on snapshots, calls its aws/ebs key
 * CUSTOMER managed, and cannot reach another account.
 */
const ec2 = mockClient(EC2Client);
const kms = mockClient(KMSClient);
const sts = mockClient(STSClient);

const AWS_MANAGED = 'arn:aws:kms:us-east-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab';
const CUSTOMER = 'arn:aws:kms:us-east-1:111111111111:key/1111bbbb-12ab-34cd-56ef-1234567890ab';
const VAULT_KEY = 'arn:aws:kms:us-west-2:222222222222:key/2222cccc-12ab-34cd-56ef-1234567890ab';
const BANK_KEY = 'arn:aws:kms:us-east-1:111111111111:key/3333dddd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::222222222222:role/KarborCopies';

const PROVIDER: Provider = {
  id: 'cf56bd3e-97a7-4078-b6d5-f36246333fd9',
  name: 'aws',
  description: '',
  bank: 'default',
  plugins: { 'AWS::EC2::Volume': 'aws-ebs-volume' },
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
};
const PLAN = {
  id: 'plan-1',
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: PROVIDER.id,
  status: 'suspended',
  resources: [{ id: 'vol-1', type: 'AWS::EC2::Volume', name: 'data' }],
  parameters: {},
};
const VOLUME_KEY = 'AWS::EC2::Volume#vol-1';

const setup = (bankKey?: string) => {
  const checkpoints = fakeCheckpointStore();
  const clock = fixedClock();
  const bank = memoryBank();
  const destinations = catalogOf([
    { name: 'vault', region: 'us-west-2', accountId: '222222222222', roleArn: ROLE, externalId: 'ext-42', kmsKeyId: VAULT_KEY, isDefault: false },
  ]);
  const deps = fakeWorkerDeps({
    checkpoints,
    providers: { all: () => [PROVIDER] },
    plugins: pluginRegistry(undefined, {
      destinations,
      destinationCredentials: destinationCredentials({ sts: new STSClient({ region: 'us-east-1' }), clock }),
    }),
    bank,
    ...(bankKey === undefined ? {} : { bankKey }),
    clock,
  });
  checkpoints.items.set('cp-1', newCheckpoint(PLAN, { created_by: 'manual' }, 'cp-1', clock.now(), 3600));
  return { deps, checkpoints, bank, clock };
};

/** The source volume's snapshot `snap-src`, encrypted with `key`; the copy in the vault, `snap-copy`, with the vault key. */
const mockEc2 = (key: string) => {
  ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'us-east-1a', Size: 8 }] });
  ec2.on(CreateSnapshotCommand).resolves({ SnapshotId: 'snap-src' });
  ec2.on(DescribeSnapshotsCommand).callsFake(async (input) => {
    if (!input.SnapshotIds) return { Snapshots: [] };
    return {
      Snapshots: input.SnapshotIds.map((id: string) => ({
        SnapshotId: id,
        State: 'completed',
        Encrypted: true,
        KmsKeyId: id === 'snap-copy' ? VAULT_KEY : key,
      })),
    };
  });
  ec2.on(ModifySnapshotAttributeCommand).resolves({});
  ec2.on(CopySnapshotCommand).resolves({ SnapshotId: 'snap-copy' });
  ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [{ ZoneName: 'us-west-2a' }] });
};

/** The copy `copy-1` of cp-1 to the vault, as the copy route writes it. */
const addCopy = (s: ReturnType<typeof setup>) => {
  const source = s.checkpoints.items.get('cp-1')!;
  s.checkpoints.items.set('copy-1', {
    ...newCheckpoint(PLAN, {}, 'copy-1', s.clock.now(), 3600),
    status: 'wait_copying' as const,
    resourceGraph: source.resourceGraph,
    extraInfo: { source_checkpoint_id: 'cp-1', destination: 'vault' },
  });
};

beforeEach(() => {
  ec2.reset();
  kms.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AK-VAULT', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-11-25T13:00:00Z') },
  });
});

describe('checkpoint keys (docs/decisions.md §27)', () => {
  it('records the bank key and the snapshot key in the protected checkpoint extra_info', async () => {
    // Prepare
    mockEc2(CUSTOMER);
    const s = setup(BANK_KEY);
    // Act
    await protectCheckpoint(s.deps, 'cp-1');
    // Assess
    const c = s.checkpoints.items.get('cp-1')!;
    expect(c.status).toBe('available');
    expect(c.extraInfo).toEqual({ created_by: 'manual', keys: { bank: BANK_KEY, resources: { [VOLUME_KEY]: { 'snap-src': CUSTOMER } } } });
    expect(JSON.parse(s.bank.objects.get(`checkpoints/cp-1/${VOLUME_KEY}/keys.json`)!)).toEqual({ 'snap-src': CUSTOMER });
  });

  it('adds no keys when the bank names no key and no plugin recorded one (the local file bank)', async () => {
    // Prepare: a plugin that records nothing.
    const s = setup();
    s.deps.plugins = () => ({
      protect: async () => undefined,
      restore: async () => ({}),
      delete: async () => undefined,
      verify: async () => ({ ok: true, reason: '' }),
    });
    // Act
    await protectCheckpoint(s.deps, 'cp-1');
    // Assess
    expect(s.checkpoints.items.get('cp-1')!.extraInfo).toEqual({ created_by: 'manual' });
  });

  it('fails a copy to another account of a snapshot under the AWS managed key before sharing or copying anything', async () => {
    // Prepare
    mockEc2(AWS_MANAGED);
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: AWS_MANAGED, KeyManager: 'AWS' } });
    const s = setup(BANK_KEY);
    await protectCheckpoint(s.deps, 'cp-1');
    addCopy(s);
    ec2.resetHistory();
    // Act
    await copyCheckpoint(s.deps, 'copy-1');
    // Assess
    const copy = s.checkpoints.items.get('copy-1')!;
    const reason =
      `snapshot snap-src is encrypted with the AWS managed key alias/aws/ebs (${AWS_MANAGED}), which AWS cannot share with another account; ` +
      're-encrypt it with a customer managed key whose key policy lets account 222222222222 use it, ' +
      "or protect with a customer managed key (the volume's, or the Region's EBS default key), then copy again";
    expect(copy.status).toBe('error');
    expect(copy.resourcesReason[VOLUME_KEY]).toBe(reason);
    expect(copy.errorReason).toContain(`${VOLUME_KEY}: ${reason}`);
    expect(ec2.commandCalls(DescribeSnapshotsCommand).map((c) => c.args[0].input)).toContainEqual({ SnapshotIds: ['snap-src'] });
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: AWS_MANAGED }]);
    expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    expect(ec2.commandCalls(CopySnapshotCommand)).toHaveLength(0);
  });

  it('copies a snapshot under a customer managed key to another account and records the destination key on the copy', async () => {
    // Prepare
    mockEc2(CUSTOMER);
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: CUSTOMER, KeyManager: 'CUSTOMER' } });
    const s = setup(BANK_KEY);
    await protectCheckpoint(s.deps, 'cp-1');
    addCopy(s);
    // Act
    await copyCheckpoint(s.deps, 'copy-1');
    // Assess
    const copy = s.checkpoints.items.get('copy-1')!;
    expect(copy.status).toBe('available');
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: CUSTOMER }]);
    expect(ec2.commandCalls(CopySnapshotCommand)[0].args[0].input).toMatchObject({ SourceSnapshotId: 'snap-src', Encrypted: true, KmsKeyId: VAULT_KEY });
    expect(copy.extraInfo).toEqual({
      source_checkpoint_id: 'cp-1',
      destination: 'vault',
      copy_status: 'finished',
      keys: { bank: BANK_KEY, resources: { [VOLUME_KEY]: { 'snap-copy': VAULT_KEY } } },
    });
  });
});
