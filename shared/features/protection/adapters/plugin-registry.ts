import * as config from '../../../config';
import { EC2Client } from '@aws-sdk/client-ec2';
import { dynamoClient } from '../../../dynamo/client';
import { dynamoDbBackupPlugin } from './plugins/dynamodb-backup';
import { dynamoDbExportPlugin } from './plugins/dynamodb-export';
import { ebsVolumePlugin } from './plugins/ebs-volume';
import { ec2InstancePlugin } from './plugins/ec2-instance';
import type { PluginRegistry, ProtectionPlugin } from '../plugins';
import { noopPlugin } from './plugins/noop';

/**
 * The plugins a provider configuration may name. `aws-dynamodb-table` is an
 * on-demand backup on AWS; with KARBOR_DYNAMODB_TABLE_PLUGIN=export (the
 * local runtime's default) it is the export plugin, which DynamoDB Local
 * supports. Clients are made on first use.
 */
export const pluginRegistry = (env?: config.Env): PluginRegistry => {
  const made = new Map<string, ProtectionPlugin>();
  // What the plugins create carries the project under the deployment's tag key; they poll it for up to the configured maximum.
  const tags = { projectTagKey: config.projectTagKey(env), maxWaitSeconds: config.pluginMaxWaitSeconds(env) };
  let ec2: EC2Client | undefined;
  const ec2Client = () => (ec2 ??= new EC2Client({}));
  const factories: Record<string, () => ProtectionPlugin> = {
    noop: () => noopPlugin(config.noopDelayMs(env)),
    'aws-ebs-volume': () => ebsVolumePlugin(ec2Client(), tags),
    'aws-ec2-instance': () => ec2InstancePlugin(ec2Client(), tags),
    'aws-dynamodb-table': () =>
      config.dynamodbTablePlugin(env) === 'export' ? dynamoDbExportPlugin(dynamoClient(), tags) : dynamoDbBackupPlugin(dynamoClient(), tags),
    'dynamodb-export': () => dynamoDbExportPlugin(dynamoClient(), tags),
  };
  return (name) => {
    const factory = factories[name];
    if (!factory) return undefined;
    let plugin = made.get(name);
    if (!plugin) {
      plugin = factory();
      made.set(name, plugin);
    }
    return plugin;
  };
};
