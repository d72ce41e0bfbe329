import { mockClient } from 'aws-sdk-client-mock';
import { pluginRegistry } from '../../../../../../shared/features/protection/adapters/plugin-registry';
import type { GraphResource, PluginContext } from '../../../../../../shared/features/protection/plugins';
import { instanceSources } from '../../../../../../shared/features/protectables/deps';
import { pluginContext } from '../../../../../support/plugin-context';
import { withSettings } from '../../../../../support/settings';

// A module-load probe: the factory runs when, and only when, something loads the EC2 client.
const mockLoads: string[] = [];
jest.mock('@aws-sdk/client-ec2', () => {
  mockLoads.push('@aws-sdk/client-ec2');
  return jest.requireActual('@aws-sdk/client-ec2');
});

const ENV = { KARBOR_DISCOVERY: 'ec2,dynamodb', AWS_REGION: 'us-east-1' };

const context = (): PluginContext => pluginContext().ctx;

const resource = (type: string, id: string): GraphResource => ({ type, id, name: null, extraInfo: null });

// Order matters: the first test proves the client is not loaded yet, the second loads it.
describe('plugin registry (issue #15: a plugin loads its SDK client on first use)', () => {
  it('runs a No-Op checkpoint, restore and delete without loading the EC2 client, with the EC2 plugins and discovery set up', async () => {
    // Prepare: what the protection worker builds at module load.
    const registry = withSettings(ENV, () => pluginRegistry());
    const sources = withSettings(ENV, () => instanceSources());
    const ec2Plugins = [registry('aws-ec2-instance'), registry('aws-ebs-volume')];
    const noop = registry('noop')!;
    // Act
    await noop.protect(context(), resource('OS::Nova::Server', 's1'));
    await noop.restore(context(), resource('OS::Nova::Server', 's1'));
    await noop.delete(context(), resource('OS::Nova::Server', 's1'));
    // Assert
    expect(ec2Plugins.every((p) => p !== undefined)).toBe(true);
    expect(sources['AWS::EC2::Instance'].notFoundReason).toBe('no such instance');
    expect(mockLoads).toEqual([]);
  });

  it('loads the EC2 client once, when an EC2 resource is first processed, and shares it with discovery', async () => {
    // Prepare: EC2 answers that the instance does not exist.
    const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = mockClient(EC2Client);
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const registry = withSettings(ENV, () => pluginRegistry());
    const sources = withSettings(ENV, () => instanceSources());
    // Act
    const protecting = registry('aws-ec2-instance')!.protect(context(), resource('AWS::EC2::Instance', 'i-1'));
    const listed = await sources['AWS::EC2::Instance'].list({ projectId: 'p1' } as never);
    // Assert: the plugin ran with a real (mocked) client; the module was loaded once in this test file.
    await expect(protecting).rejects.toThrow('instance i-1 not found');
    expect(listed).toEqual([]);
    expect(ec2.commandCalls(DescribeInstancesCommand, { InstanceIds: ['i-1'] })).toHaveLength(1);
    expect(mockLoads).toEqual(['@aws-sdk/client-ec2']);
    ec2.restore();
  });

  it('answers undefined for a plugin this runtime does not have', () => {
    expect(withSettings(ENV, () => pluginRegistry())('os-glance-image')).toBeUndefined();
  });
});
