import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ec2InstancePlugin } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-instance';
import { pluginContext } from '../../../../../../support/plugin-context';

const ec2 = mockClient(EC2Client);
const INSTANCE = { type: 'AWS::EC2::Instance', id: 'i-1', name: 'web', extraInfo: null };
const client = () => new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('EC2 instance plugin', () => {
  beforeEach(() => ec2.reset());

  it('protects with an AMI (no reboot by default), waits for it and records its snapshots', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1', InstanceType: 't3.micro', SubnetId: 'subnet-1' }] }] });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-1' });
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: 'ami-1',
          State: 'available',
          BlockDeviceMappings: [{ Ebs: { SnapshotId: 'snap-a' } }, { DeviceName: 'eph' }, { Ebs: { SnapshotId: 'snap-b' } }],
        },
      ],
    });
    const { ctx, bank } = pluginContext();
    // Act
    await ec2InstancePlugin(client()).protect(ctx, INSTANCE);
    // Assess
    expect(ec2.commandCalls(CreateImageCommand)[0].args[0].input).toEqual({
      InstanceId: 'i-1',
      Name: 'karbor-cp-1-i-1',
      NoReboot: true,
      TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'karbor:checkpoint', Value: 'cp-1' }] }],
    });
    expect(ec2.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({ ImageIds: ['ami-1'] });
    expect(JSON.parse(bank.objects.get('checkpoints/cp-1/T#x/image.json')!)).toEqual({
      image_id: 'ami-1',
      instance_type: 't3.micro',
      subnet_id: 'subnet-1',
      snapshot_ids: ['snap-a', 'snap-b'],
    });
  });

  it('reboots for the image only when no_reboot is "False"', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-1' });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-1', State: 'available' }] });
    const { ctx } = pluginContext({ parameters: { no_reboot: 'False', image_name: 'nightly' } });
    // Act
    await ec2InstancePlugin(client()).protect(ctx, INSTANCE);
    // Assess
    expect(ec2.commandCalls(CreateImageCommand)[0].args[0].input).toMatchObject({ Name: 'nightly', NoReboot: false });
  });

  it('fails the resource when the image fails', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-1' });
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-1', State: 'failed' }] });
    const { ctx } = pluginContext();
    // Act / Assess
    await expect(ec2InstancePlugin(client()).protect(ctx, INSTANCE)).rejects.toThrow();
  });

  it('restores by launching the image and waiting until the instance runs', async () => {
    // Prepare
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-2' }] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'running', Code: 16 } }] }] });
    const { ctx, progress } = pluginContext({ parameters: { instance_type: 't3.small', restore_name: 'web-again' } });
    await ctx.bank.put('image.json', JSON.stringify({ image_id: 'ami-1', instance_type: 't3.micro', subnet_id: 'subnet-1', snapshot_ids: [] }));
    // Act
    const result = await ec2InstancePlugin(client()).restore(ctx, INSTANCE);
    // Assess
    expect(result).toEqual({ id: 'i-2' });
    expect(ec2.commandCalls(RunInstancesCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-1',
      InstanceType: 't3.small',
      SubnetId: 'subnet-1',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-again' }] }],
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-2'] });
    expect(progress.map((p) => p[0])).toEqual(['restoring', 'available']);
  });

  it('deletes the image and its snapshots', async () => {
    // Prepare
    ec2.on(DeregisterImageCommand).resolves({});
    ec2.on(DeleteSnapshotCommand).resolves({});
    const { ctx } = pluginContext();
    await ctx.bank.put('image.json', JSON.stringify({ image_id: 'ami-1', snapshot_ids: ['snap-a', 'snap-b'] }));
    // Act
    await ec2InstancePlugin(client()).delete(ctx, INSTANCE);
    // Assess
    expect(ec2.commandCalls(DeregisterImageCommand)[0].args[0].input).toEqual({ ImageId: 'ami-1' });
    expect(ec2.commandCalls(DeleteSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ SnapshotId: 'snap-a' }, { SnapshotId: 'snap-b' }]);
  });
});
