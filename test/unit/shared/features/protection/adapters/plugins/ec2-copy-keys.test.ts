import { CopyImageCommand, DescribeImagesCommand, EC2Client, ModifyImageAttributeCommand, ModifySnapshotAttributeCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { copyInstanceImage, type Ec2CopyTarget } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-copy';
import { pluginContext } from '../../../../../../support/plugin-context';

/**
 * An AMI's copy to another account checks its snapshots' keys first
 * (docs/decisions.md §27). Client mocks: moto cannot reach another account
 * and reports no snapshot keys in its images.
 */
const ec2 = mockClient(EC2Client);
const kms = mockClient(KMSClient);
const AWS_MANAGED = 'arn:aws:kms:us-east-1:111111111111:key/0000aaaa-12ab-34cd-56ef-1234567890ab';
const CUSTOMER = 'arn:aws:kms:us-east-1:111111111111:key/1111bbbb-12ab-34cd-56ef-1234567890ab';
const instance = { type: 'AWS::EC2::Instance', id: 'i-1', name: 'web', extraInfo: null };

const target = (): Ec2CopyTarget => ({
  destination: { name: 'vault', region: 'us-west-2', accountId: '222222222222' },
  target: new EC2Client({ region: 'us-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 's' } }),
  source: new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } }),
  sourceKms: new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' } }),
});

/** The copy cp-2 of cp-1, whose bank holds the image ami-src with two snapshots. */
const copyContext = async () => {
  const source = pluginContext();
  await source.ctx.bank.put('image.json', JSON.stringify({ image_id: 'ami-src', instance_type: 't3.micro', snapshot_ids: ['snap-a', 'snap-b'] }));
  return pluginContext({
    checkpointId: 'cp-2',
    restoreId: undefined,
    location: 'vault',
    copyOf: { checkpointId: 'cp-1', bank: source.ctx.bank, destination: 'vault' },
  });
};

beforeEach(() => {
  ec2.reset();
  kms.reset();
  kms.on(DescribeKeyCommand, { KeyId: AWS_MANAGED }).resolves({ KeyMetadata: { KeyId: 'm', KeyManager: 'AWS' } });
  kms.on(DescribeKeyCommand, { KeyId: CUSTOMER }).resolves({ KeyMetadata: { KeyId: 'c', KeyManager: 'CUSTOMER' } });
});

describe('copyInstanceImage to another account', () => {
  it('refuses an image with a snapshot under the AWS managed key, naming it, before sharing or copying', async () => {
    // Prepare: snap-a unencrypted, snap-b under aws/ebs; no copy made yet.
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-src'] }).resolves({
      Images: [
        {
          ImageId: 'ami-src',
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-a', Encrypted: false } },
            { DeviceName: '/dev/xvdb', Ebs: { SnapshotId: 'snap-b', Encrypted: true, KmsKeyId: AWS_MANAGED } },
          ],
        },
      ],
    });
    const copy = await copyContext();
    // Act
    const copying = copyInstanceImage(target())(copy.ctx, instance);
    // Assess
    await expect(copying).rejects.toThrow(
      `image ami-src's snapshot snap-b is encrypted with the AWS managed key alias/aws/ebs (${AWS_MANAGED}), which AWS cannot share with another account; `,
    );
    expect(ec2.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input)).toContainEqual({ ImageIds: ['ami-src'] });
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: AWS_MANAGED }]);
    expect(ec2.commandCalls(ModifyImageAttributeCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifySnapshotAttributeCommand)).toHaveLength(0);
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(0);
  });

  it('shares and copies an image whose snapshots are under a customer managed key', async () => {
    // Prepare
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-src'] }).resolves({
      Images: [{ ImageId: 'ami-src', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-a', Encrypted: true, KmsKeyId: CUSTOMER } }] }],
    });
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-copy'] }).resolves({
      Images: [{ ImageId: 'ami-copy', State: 'available', BlockDeviceMappings: [{ Ebs: { SnapshotId: 'snap-c', Encrypted: true, KmsKeyId: 'vault-key' } }] }],
    });
    ec2.on(DescribeImagesCommand, { Owners: ['self'] }).resolves({ Images: [] });
    ec2.on(ModifyImageAttributeCommand).resolves({});
    ec2.on(ModifySnapshotAttributeCommand).resolves({});
    ec2.on(CopyImageCommand).resolves({ ImageId: 'ami-copy' });
    const copy = await copyContext();
    // Act
    await copyInstanceImage(target())(copy.ctx, instance);
    // Assess
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: CUSTOMER }]);
    expect(ec2.commandCalls(ModifyImageAttributeCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-src',
      LaunchPermission: { Add: [{ UserId: '222222222222' }] },
    });
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(1);
    expect(JSON.parse((await copy.ctx.bank.get('keys.json'))!)).toEqual({ 'snap-c': 'vault-key' });
  });
});
