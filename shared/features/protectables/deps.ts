import * as config from '../../config';
import { EC2Client } from '@aws-sdk/client-ec2';
import { dynamoDbTablesSource } from './adapters/dynamodb-tables';
import { dynamoClient } from '../../dynamo/client';
import { ec2InstancesSource, ec2VolumesSource } from './adapters/ec2';
import { emptySource, projectSource } from './sources';
import { type InstanceSources, PROTECTABLE_TYPES, type Tenancy } from './model';
import { PROJECT_TYPE } from './resource-types';
import { traced } from '../../observability/tracing';

/** How this runtime scopes discovery to projects (KARBOR_PROJECT_TAG_KEY, KARBOR_TENANT_SCOPING, TABLE_NAME). */
export const tenancy = (env?: config.Env): Tenancy => ({
  tagKey: config.projectTagKey(env),
  scoping: config.tenantScoping(env),
  ownTable: () => config.tableName(env),
});

/**
 * The instance sources of this runtime. `KARBOR_DISCOVERY` lists the AWS
 * discoveries to turn on (`ec2`, `dynamodb`; default both). The local runtime
 * uses `dynamodb` only: there is no EC2 on a laptop.
 */
export const instanceSources = (env?: config.Env): InstanceSources => {
  const enabled = new Set(config.discovery(env));
  const scope = tenancy(env);
  const sources: InstanceSources = Object.fromEntries(PROTECTABLE_TYPES.map((t) => [t, emptySource(t)]));
  sources[PROJECT_TYPE] = projectSource;
  if (enabled.has('dynamodb')) sources['AWS::DynamoDB::Table'] = dynamoDbTablesSource(dynamoClient(), scope);
  if (enabled.has('ec2')) {
    const ec2 = traced(new EC2Client({}));
    sources['AWS::EC2::Instance'] = ec2InstancesSource(ec2, scope);
    sources['AWS::EC2::Volume'] = ec2VolumesSource(ec2, scope);
  }
  return sources;
};
