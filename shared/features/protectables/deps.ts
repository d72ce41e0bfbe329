import * as config from '../../config';
import { dynamoDbTablesSource } from './adapters/dynamodb-tables';
import { dynamoClient } from '../../dynamo/client';
import { lazily } from '../../kernel/lazy';
import { emptySource, projectSource } from './sources';
import {
  EC2_NOT_FOUND_REASONS,
  type InstanceSource,
  type InstanceSources,
  PROTECTABLE_TYPES,
  type ProtectableCheck,
  type ProtectableInstance,
  type Tenancy,
} from './model';
import { dependentTypes, unseenResource } from './use-cases';
import { PROJECT_TYPE } from './resource-types';
import { traced } from '../../observability/tracing';

/** How this runtime scopes discovery to projects (KARBOR_PROJECT_TAG_KEY, KARBOR_TENANT_SCOPING, TABLE_NAME). */
export const tenancy = (): Tenancy => ({
  tagKey: config.projectTagKey(),
  scoping: config.tenantScoping(),
  ownTable: config.tableName(),
});

/**
 * A source whose adapter and EC2 client are imported on first use (issue #15,
 * cold start): the protection worker and DynamoDB-only discovery never load them.
 */
const lazySource = (notFoundReason: string, load: () => Promise<InstanceSource>): InstanceSource => {
  const source = lazily(load);
  return {
    notFoundReason,
    list: async (ctx) => (await source()).list(ctx),
    show: async (ctx, id) => (await source()).show(ctx, id),
    dependentsOf: async (ctx, parent) => (await source()).dependentsOf(ctx, parent),
    dependentsOfAll: async (ctx, parents) => {
      const loaded = await source();
      return loaded.dependentsOfAll ? loaded.dependentsOfAll(ctx, parents) : (await Promise.all(parents.map((p) => loaded.dependentsOf(ctx, p)))).flat();
    },
  };
};

/**
 * The instance sources of this runtime. `KARBOR_DISCOVERY` lists the AWS
 * discoveries to turn on (`ec2`, `dynamodb`; default both). The local runtime
 * uses `dynamodb` only: there is no EC2 on a laptop.
 */
export const instanceSources = (): InstanceSources => {
  const enabled = new Set(config.discovery());
  const scope = tenancy();
  const sources: InstanceSources = Object.fromEntries(PROTECTABLE_TYPES.map((t) => [t, emptySource(t)]));
  sources[PROJECT_TYPE] = projectSource;
  if (enabled.has('dynamodb')) sources['AWS::DynamoDB::Table'] = dynamoDbTablesSource(dynamoClient(), scope);
  if (enabled.has('ec2')) {
    // One client for both types, made with the first of them that is used.
    const load = lazily(() =>
      Promise.all([import('./adapters/ec2'), import('@aws-sdk/client-ec2').then(({ EC2Client }) => traced(new EC2Client(config.ec2ClientConfig())))]),
    );
    sources['AWS::EC2::Instance'] = lazySource(EC2_NOT_FOUND_REASONS.instance, async () => {
      const [adapter, client] = await load();
      return adapter.ec2InstancesSource(client, scope);
    });
    sources['AWS::EC2::Volume'] = lazySource(EC2_NOT_FOUND_REASONS.volume, async () => {
      const [adapter, client] = await load();
      return adapter.ec2VolumesSource(client, scope);
    });
  }
  return sources;
};

/** The check plans make before they hold resources: every one visible to the project's discovery. */
export const protectableCheck = (): ProtectableCheck => {
  const sources = instanceSources();
  return { unseen: (projectId, resources) => unseenResource(sources, projectId, resources) };
};

/** The resources that depend on `parent` (a server's volumes), as the project's discovery sees them: the worker's resource graph. */
export const dependentsFinder = () => {
  const sources = instanceSources();
  return async (projectId: string, parent: ProtectableInstance): Promise<ProtectableInstance[]> =>
    (await Promise.all(dependentTypes(parent.type).map((t) => sources[t]?.dependentsOf({ projectId }, parent) ?? []))).flat();
};
