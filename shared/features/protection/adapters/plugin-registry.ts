import * as config from '../../../config';
import { dynamoClient } from '../../../dynamo/client';
import { lazily } from '../../../kernel/lazy';
import { traced } from '../../../observability/tracing';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { copyWith, type PluginContext, type PluginRegistry, type ProtectionPlugin } from '../plugins';
import type { TenantCredentials } from '../plugins';

/**
 * A plugin whose module (and SDK client) is imported on its first call, so a
 * worker that only meets No-Op or DynamoDB resources never loads the EC2
 * client (issue #15: cold start). With tenant credentials there is one
 * instance per project, made on that project's first call, whose clients
 * sign with that project's credentials only.
 */
const lazyPlugin = (load: (projectId: string) => Promise<ProtectionPlugin>, perProject: boolean): ProtectionPlugin => {
  const byProject = new Map<string, () => Promise<ProtectionPlugin>>();
  const plugin = (ctx: PluginContext) => {
    const key = perProject ? ctx.projectId : '';
    let made = byProject.get(key);
    if (!made) {
      made = lazily(() => load(ctx.projectId));
      byProject.set(key, made);
    }
    return made();
  };
  return {
    protect: async (ctx, resource) => (await plugin(ctx)).protect(ctx, resource),
    restore: async (ctx, resource) => (await plugin(ctx)).restore(ctx, resource),
    delete: async (ctx, resource) => (await plugin(ctx)).delete(ctx, resource),
    // Whether the plugin can copy is known once it is loaded: the copy job's message for one that cannot.
    copy: async (ctx, resource) => copyWith(await plugin(ctx), ctx, resource),
    verify: async (ctx, resource) => (await plugin(ctx)).verify(ctx, resource),
  };
};

interface Clients {
  ec2: () => Promise<EC2Client>;
  dynamo: () => DynamoDBClient;
}

/**
 * The plugins a provider configuration may name. `aws-dynamodb-table` is an
 * on-demand backup on AWS; with KARBOR_DYNAMODB_TABLE_PLUGIN=export (the
 * local runtime's default) it is the export plugin, which DynamoDB Local
 * supports. Modules and clients are loaded on first use.
 *
 * `credentials` (./tenant-credentials.ts, one per worker invocation) gives
 * each project's plugins their own clients, made for the invocation, that
 * sign with that project's tenant session only; without it (npm start, no
 * tenant role) every plugin shares clients on the ambient credentials.
 */
export const pluginRegistry = (credentials?: TenantCredentials): PluginRegistry => {
  const made = new Map<string, ProtectionPlugin>();
  // What the plugins create carries the project under the deployment's tag key; they poll it for up to the configured maximum.
  const tags = { projectTagKey: config.projectTagKey(), maxWaitSeconds: config.pluginMaxWaitSeconds() };
  const [noopDelayMs, tablePlugin] = [config.noopDelayMs(), config.dynamodbTablePlugin()];
  const clientsOf = (projectId: string): Clients => {
    const signing = credentials ? { credentials: credentials(projectId) } : {};
    return {
      ec2: lazily(async () => traced(new (await import('@aws-sdk/client-ec2')).EC2Client({ ...config.ec2ClientConfig(), ...signing }))),
      dynamo: () => dynamoClient(signing),
    };
  };
  const dynamoExport = async (c: Clients) => (await import('./plugins/dynamodb-export')).dynamoDbExportPlugin(c.dynamo(), tags);
  const factories: Record<string, (c: Clients) => Promise<ProtectionPlugin>> = {
    noop: async () => (await import('./plugins/noop')).noopPlugin(noopDelayMs),
    'aws-ebs-volume': async (c) => (await import('./plugins/ebs-volume')).ebsVolumePlugin(await c.ec2(), tags),
    'aws-ec2-instance': async (c) => (await import('./plugins/ec2-instance')).ec2InstancePlugin(await c.ec2(), tags),
    'aws-dynamodb-table': async (c) =>
      tablePlugin === 'export' ? dynamoExport(c) : (await import('./plugins/dynamodb-backup')).dynamoDbBackupPlugin(c.dynamo(), tags),
    'dynamodb-export': dynamoExport,
  };
  const shared = new Map<string, Clients>();
  const clientsFor = (projectId: string): Clients => {
    const key = credentials ? projectId : '';
    let clients = shared.get(key);
    if (!clients) {
      clients = clientsOf(projectId);
      shared.set(key, clients);
    }
    return clients;
  };
  return (name) => {
    const factory = factories[name];
    if (!factory) return undefined;
    let plugin = made.get(name);
    if (!plugin) {
      plugin = lazyPlugin((projectId) => factory(clientsFor(projectId)), credentials !== undefined);
      made.set(name, plugin);
    }
    return plugin;
  };
};
