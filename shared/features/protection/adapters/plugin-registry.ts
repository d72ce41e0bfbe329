import * as config from '../../../config';
import { dynamoClient } from '../../../dynamo/client';
import { lazily } from '../../../kernel/lazy';
import { traced } from '../../../observability/tracing';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client, EC2ClientConfig } from '@aws-sdk/client-ec2';
import { systemClock } from '../../../kernel/ports';
import { catalogOf, type Destination, type DestinationCatalog } from '../../destinations/model';
import type { DestinationCredentials } from './tenant-credentials';
import type { Ec2CopyTarget } from './plugins/ec2-copy';
import { copyWith, type PluginContext, type PluginRegistry, type ProtectionPlugin } from '../plugins';
import type { TenantCredentials } from '../plugins';

/**
 * A plugin whose module (and SDK client) is imported on its first call, so a
 * worker that only meets No-Op or DynamoDB resources never loads the EC2
 * client (issue #15: cold start). With tenant credentials there is one
 * instance per project, made on that project's first call, whose clients
 * sign with that project's credentials only; a checkpoint in a destination
 * (`ctx.location`, a copy: docs/decisions.md §25) has its own instance per
 * destination, whose clients act there.
 */
const lazyPlugin = (load: (projectId: string, location: string | undefined) => Promise<ProtectionPlugin>, perProject: boolean): ProtectionPlugin => {
  const byKey = new Map<string, () => Promise<ProtectionPlugin>>();
  const plugin = (ctx: PluginContext) => {
    const key = `${perProject || ctx.location !== undefined ? ctx.projectId : ''}\n${ctx.location ?? ''}`;
    let made = byKey.get(key);
    if (!made) {
      made = lazily(() => load(ctx.projectId, ctx.location));
      byKey.set(key, made);
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
  dynamo: () => Promise<DynamoDBClient>;
}

/** Where a plugin instance acts: the provider's own account and Region (no destination), or a destination. */
interface At {
  destination?: Destination;
  /** In a destination: a client of the source's own account and Region (the copy shares its source from there). */
  home?: () => Promise<EC2Client>;
}

export interface RegistryOptions {
  /** Unless given, KARBOR_DESTINATIONS. */
  destinations?: DestinationCatalog;
  /** Unless given, AssumeRole on the process's STS client (./tenant-credentials.ts destinationCredentials). */
  destinationCredentials?: DestinationCredentials;
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
 *
 * In a destination (docs/decisions.md §25) the EC2 client is in the
 * destination's Region and signs with the destination's role (assumed with
 * its external id) or, without one, with the worker's own credentials; the
 * EBS and EC2 plugins there copy with ./plugins/ec2-copy.ts. The DynamoDB
 * client is in the destination's Region too (locally: that Region's
 * DynamoDB Local, KARBOR_LOCAL_DYNAMODB_ENDPOINTS), where the export
 * plugin's copy restores (docs/decisions.md §26). A checkpoint
 * whose destination is no longer configured fails its resources, naming it.
 */
export const pluginRegistry = (credentials?: TenantCredentials, opts: RegistryOptions = {}): PluginRegistry => {
  const made = new Map<string, ProtectionPlugin>();
  // What the plugins create carries the project under the deployment's tag key; they poll it for up to the configured maximum.
  const tags = { projectTagKey: config.projectTagKey(), maxWaitSeconds: config.pluginMaxWaitSeconds() };
  const [noopDelayMs, tablePlugin] = [config.noopDelayMs(), config.dynamodbTablePlugin()];
  const destinations = opts.destinations ?? catalogOf(config.destinations());
  const sessions = lazily(async () => opts.destinationCredentials ?? (await import('./tenant-credentials')).destinationCredentials({ clock: systemClock }));
  const ec2Client = (clientConfig: EC2ClientConfig) =>
    lazily(async () => traced(new (await import('@aws-sdk/client-ec2')).EC2Client({ ...config.ec2ClientConfig(), ...clientConfig })));
  const clientsOf = (projectId: string): Clients => {
    const signing = credentials ? { credentials: credentials(projectId) } : {};
    return { ec2: ec2Client(signing), dynamo: async () => dynamoClient(signing) };
  };
  const destinationClients = (projectId: string, destination: Destination): Clients => {
    const assumed = destination.roleArn === undefined ? {} : { credentials: async () => (await sessions())(destination, projectId)!() };
    // A table's copy (the export plugin, docs/decisions.md §26) restores in the destination's Region; locally that Region's
    // DynamoDB Local is KARBOR_LOCAL_DYNAMODB_ENDPOINTS' (a Region it does not name: DYNAMODB_ENDPOINT's).
    const endpoint = config.localDynamoEndpoints()[destination.region];
    const dynamo = lazily(async () => dynamoClient({ region: destination.region, ...(endpoint === undefined ? {} : { endpoint }), ...assumed }));
    return { ec2: ec2Client({ region: destination.region, ...assumed }), dynamo };
  };
  const copyTarget = async (c: Clients, at: Required<At>): Promise<Ec2CopyTarget> => ({
    destination: at.destination,
    target: await c.ec2(),
    source: await at.home(),
    // Another account: the source's keys are checked first (docs/decisions.md §27).
    ...(at.destination.accountId === undefined ? {} : { sourceKms: await homeKms() }),
    ...tags,
  });
  const dynamoExport = async (c: Clients) => (await import('./plugins/dynamodb-export')).dynamoDbExportPlugin(await c.dynamo(), tags);
  const factories: Record<string, (c: Clients, at: At) => Promise<ProtectionPlugin>> = {
    noop: async () => (await import('./plugins/noop')).noopPlugin(noopDelayMs),
    'aws-ebs-volume': async (c, at) => {
      const plugin = (await import('./plugins/ebs-volume')).ebsVolumePlugin(await c.ec2(), tags);
      if (!at.destination || !at.home) return plugin;
      return { ...plugin, copy: (await import('./plugins/ec2-copy')).copyVolumeSnapshot(await copyTarget(c, { destination: at.destination, home: at.home })) };
    },
    'aws-ec2-instance': async (c, at) => {
      const plugin = (await import('./plugins/ec2-instance')).ec2InstancePlugin(await c.ec2(), tags);
      if (!at.destination || !at.home) return plugin;
      return { ...plugin, copy: (await import('./plugins/ec2-copy')).copyInstanceImage(await copyTarget(c, { destination: at.destination, home: at.home })) };
    },
    'aws-dynamodb-table': async (c) =>
      tablePlugin === 'export' ? dynamoExport(c) : (await import('./plugins/dynamodb-backup')).dynamoDbBackupPlugin(await c.dynamo(), tags),
    'dynamodb-export': dynamoExport,
  };
  const shared = new Map<string, Clients>();
  const clientsFor = (projectId: string, destination?: Destination): Clients => {
    const key = `${credentials || destination ? projectId : ''}\n${destination?.name ?? ''}`;
    let clients = shared.get(key);
    if (!clients) {
      clients = destination ? destinationClients(projectId, destination) : clientsOf(projectId);
      shared.set(key, clients);
    }
    return clients;
  };
  // The source end of a copy: the worker's own credentials in its own Region (the source is the project's checkpoint, found by the copy job).
  const home = ec2Client({ region: config.awsRegion() });
  const homeKms = lazily(async () => traced(new (await import('@aws-sdk/client-kms')).KMSClient({ region: config.awsRegion() })));
  return (name) => {
    const factory = factories[name];
    if (!factory) return undefined;
    let plugin = made.get(name);
    if (!plugin) {
      plugin = lazyPlugin(async (projectId, location) => {
        if (location === undefined) return factory(clientsFor(projectId), {});
        const destination = destinations.get(location);
        if (!destination) throw new Error(`the destination ${location} is not configured (KARBOR_DESTINATIONS): its copies cannot be reached`);
        return factory(clientsFor(projectId, destination), { destination, home });
      }, credentials !== undefined);
      made.set(name, plugin);
    }
    return plugin;
  };
};
