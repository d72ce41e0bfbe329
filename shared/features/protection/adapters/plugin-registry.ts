import * as config from '../../../config';
import { dynamoClient } from '../../../dynamo/client';
import { lazily } from '../../../kernel/lazy';
import { traced } from '../../../observability/tracing';
import type { PluginRegistry, ProtectionPlugin } from '../plugins';

/**
 * A plugin whose module (and SDK client) is imported on its first call, so a
 * worker that only meets No-Op or DynamoDB resources never loads the EC2
 * client (issue #15: cold start).
 */
const lazyPlugin = (load: () => Promise<ProtectionPlugin>): ProtectionPlugin => {
  const plugin = lazily(load);
  return {
    protect: async (ctx, resource) => (await plugin()).protect(ctx, resource),
    restore: async (ctx, resource) => (await plugin()).restore(ctx, resource),
    delete: async (ctx, resource) => (await plugin()).delete(ctx, resource),
  };
};

/**
 * The plugins a provider configuration may name. `aws-dynamodb-table` is an
 * on-demand backup on AWS; with KARBOR_DYNAMODB_TABLE_PLUGIN=export (the
 * local runtime's default) it is the export plugin, which DynamoDB Local
 * supports. Modules and clients are loaded on first use.
 */
export const pluginRegistry = (): PluginRegistry => {
  const made = new Map<string, ProtectionPlugin>();
  // What the plugins create carries the project under the deployment's tag key; they poll it for up to the configured maximum.
  const tags = { projectTagKey: config.projectTagKey(), maxWaitSeconds: config.pluginMaxWaitSeconds() };
  const [noopDelayMs, tablePlugin] = [config.noopDelayMs(), config.dynamodbTablePlugin()];
  const ec2Client = lazily(async () => traced(new (await import('@aws-sdk/client-ec2')).EC2Client({})));
  const dynamoExport = async () => (await import('./plugins/dynamodb-export')).dynamoDbExportPlugin(dynamoClient(), tags);
  const factories: Record<string, () => Promise<ProtectionPlugin>> = {
    noop: async () => (await import('./plugins/noop')).noopPlugin(noopDelayMs),
    'aws-ebs-volume': async () => (await import('./plugins/ebs-volume')).ebsVolumePlugin(await ec2Client(), tags),
    'aws-ec2-instance': async () => (await import('./plugins/ec2-instance')).ec2InstancePlugin(await ec2Client(), tags),
    'aws-dynamodb-table': async () =>
      tablePlugin === 'export' ? dynamoExport() : (await import('./plugins/dynamodb-backup')).dynamoDbBackupPlugin(dynamoClient(), tags),
    'dynamodb-export': dynamoExport,
  };
  return (name) => {
    const factory = factories[name];
    if (!factory) return undefined;
    let plugin = made.get(name);
    if (!plugin) {
      plugin = lazyPlugin(factory);
      made.set(name, plugin);
    }
    return plugin;
  };
};
