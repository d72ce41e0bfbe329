import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoDbBackupPlugin } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { dynamoDbExportPlugin } from '../../../../../../../shared/features/protection/adapters/plugins/dynamodb-export';
import { ebsVolumePlugin } from '../../../../../../../shared/features/protection/adapters/plugins/ebs-volume';
import { ec2InstancePlugin } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-instance';
import { noopPlugin } from '../../../../../../../shared/features/protection/adapters/plugins/noop';
import { memoryBank } from '../../../../../../support/protection-fakes';
import { bankSection } from '../../../../../../../shared/features/protection/bank';
import { pluginContext } from '../../../../../../support/plugin-context';

const ec2 = mockClient(EC2Client);
const dynamo = mockClient(DynamoDBClient);
const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
const PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const copyOf = { checkpointId: 'cp-source', bank: bankSection(memoryBank(), 'cp-source', 'T#x'), destination: PROVIDER };

describe('copy of the AWS plugins (docs/decisions.md §15)', () => {
  beforeEach(() => {
    ec2.reset();
    dynamo.reset();
  });

  it.each([
    ['AWS::EC2::Volume', 'snapshot', () => ebsVolumePlugin(new EC2Client({ region: 'eu-west-1', credentials }))],
    ['AWS::EC2::Instance', 'image', () => ec2InstancePlugin(new EC2Client({ region: 'eu-west-1', credentials }))],
    ['AWS::DynamoDB::Table', 'backup', () => dynamoDbBackupPlugin(new DynamoDBClient({ region: 'eu-west-1', credentials }))],
    ['AWS::DynamoDB::Table', 'export', () => dynamoDbExportPlugin(new DynamoDBClient({ region: 'eu-west-1', credentials }))],
  ])('%s (%s) refuses a copy to the provider itself with the reason, sending no AWS call', async (type, what, plugin) => {
    // Prepare
    const { ctx } = pluginContext({ copyOf });
    // Act
    const copy = plugin().copy!(ctx, { type, id: 'r-1', name: null, extraInfo: null });
    // Assess
    await expect(copy).rejects.toThrow(
      `${type} r-1 is not copied: the destination ${PROVIDER} is this provider itself (the same account and Region), where a copy of the ${what} would protect nothing more; copies need another destination`,
    );
    expect(ec2.calls()).toHaveLength(0);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('copy of a DynamoDB table to a named destination (docs/decisions.md §25, §26)', () => {
  it('refuses it (native backup) naming the decision, sending no AWS call', async () => {
    // Prepare
    dynamo.reset();
    const { ctx } = pluginContext({ copyOf: { ...copyOf, destination: 'dr' }, location: 'dr' });
    // Act
    const copy = dynamoDbBackupPlugin(new DynamoDBClient({ region: 'eu-west-1', credentials })).copy!(ctx, {
      type: 'AWS::DynamoDB::Table',
      id: 'orders',
      name: null,
      extraInfo: null,
    });
    // Assess
    await expect(copy).rejects.toThrow(
      "AWS::DynamoDB::Table orders is not copied to dr: a DynamoDB backup cannot be copied to another Region or account; tables are copied by export into the destination's bank (the export plugin, KARBOR_DYNAMODB_TABLE_PLUGIN=export; docs/decisions.md §25)",
    );
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('copies the export objects (not intent files) into the copy bank folder, byte for byte, sending no AWS call', async () => {
    // Prepare
    dynamo.reset();
    const source = memoryBank();
    const sourceSection = bankSection(source, 'cp-source', 'AWS::DynamoDB::Table#orders');
    await sourceSection.put('table.json', '{"table_name":"orders","pages":1}');
    await sourceSection.put('items-00000.json', '[{"M":{"pk":{"S":"a"}}}]');
    await sourceSection.put('restore-intent-r1.json', '{"table":"orders-restored"}');
    const { ctx, bank } = pluginContext({ copyOf: { checkpointId: 'cp-source', bank: sourceSection, destination: 'dr' }, location: 'dr' });
    // Act
    await dynamoDbExportPlugin(new DynamoDBClient({ region: 'eu-west-1', credentials })).copy!(ctx, {
      type: 'AWS::DynamoDB::Table',
      id: 'orders',
      name: null,
      extraInfo: null,
    });
    // Assess
    expect(await ctx.bank.list()).toEqual(['items-00000.json', 'table.json']);
    expect(await ctx.bank.get('items-00000.json')).toBe('[{"M":{"pk":{"S":"a"}}}]');
    expect(await ctx.bank.get('table.json')).toBe('{"table_name":"orders","pages":1}');
    expect(bank.objects.size).toBe(2);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('fails a copy whose source holds no export of the table', async () => {
    // Prepare
    const { ctx } = pluginContext({ copyOf: { ...copyOf, destination: 'dr' }, location: 'dr' });
    // Act
    const copy = dynamoDbExportPlugin(new DynamoDBClient({ region: 'eu-west-1', credentials })).copy!(ctx, {
      type: 'AWS::DynamoDB::Table',
      id: 'orders',
      name: null,
      extraInfo: null,
    });
    // Assess
    await expect(copy).rejects.toThrow('checkpoint cp-source holds no export of table orders');
  });
});

describe('copy of the No-Op plugin', () => {
  it('copies, having nothing to move', async () => {
    // Prepare
    const { ctx, bank } = pluginContext({ copyOf });
    // Act
    await noopPlugin().copy!(ctx, { type: 'OS::Nova::Server', id: 's1', name: null, extraInfo: null });
    // Assess
    expect(bank.objects.size).toBe(0);
  });
});
