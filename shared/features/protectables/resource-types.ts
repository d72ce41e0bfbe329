/**
 * Protectable resource types: Karbor's `OS::*` names (RESOURCE_TYPES, in
 * Karbor's order) and AWS CloudFormation type names.
 */
export const OS_RESOURCE_TYPES = [
  'OS::Keystone::Project',
  'OS::Nova::Server',
  'OS::Cinder::Volume',
  'OS::Glance::Image',
  'OS::Manila::Share',
  'OS::Neutron::Network',
  'OS::Trove::Instance',
  'OS::Kubernetes::Pod',
] as const;

export const AWS_RESOURCE_TYPES = ['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::DynamoDB::Table'] as const;

export const PROJECT_TYPE = 'OS::Keystone::Project';

/** Every type a plan may name in its parameters (`<type>` or `<type>#<uuid>`). */
export const RESOURCE_TYPES: readonly string[] = [...OS_RESOURCE_TYPES, ...AWS_RESOURCE_TYPES];
