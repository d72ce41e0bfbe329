import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { TENANT_EXEMPTIONS } from '../../infra/constructs/tenant-access';
import { routes } from '../../shared/http/routes';
import { type Resource, type Statement, synthStack } from '../support/synth';

/**
 * The shape of the worker's IAM under tenant scoping, with a custom project
 * tag key (docs/operations.md, Tenant isolation in IAM); what the policies
 * allow is simulated in test/infra/iam-simulation.test.ts.
 */
describe('tenant scoping in IAM (karbor:projectTagKey=team)', () => {
  const s = synthStack({ 'karbor:projectTagKey': 'team' }, {}, 'Tenancy');
  const worker = s.statementsOf('protection.worker');
  const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
  const resources = s.template.toJSON().Resources as Record<string, Resource>;
  const roleId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role' && id.startsWith('TenantAccessRole'))!;
  const tenant: Statement[] = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  const exempt = (st: Statement) =>
    TENANT_EXEMPTIONS.some((e) => actionsOf(st).every((a) => e.actions.includes(a))) &&
    (st.Condition === undefined || JSON.stringify(st.Condition) === JSON.stringify({ Null: { 'aws:ResourceTag/team': 'true' } }));

  it('trusts the worker’s role to assume the tenant role with sts:TagSession, only with the team session tag', () => {
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Principal: { AWS: { 'Fn::GetAtt': [s.roleLogicalId('protection.worker'), 'Arn'] } },
        Condition: { Null: { 'aws:RequestTag/team': 'false' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
      },
    ]);
    expect(worker).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: { 'Fn::GetAtt': [roleId, 'Arn'] } }),
    );
    expect(s.envOf('protection.worker').KARBOR_TENANT_ROLE_ARN).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  it('compares the team tag of the resource or request with the session’s in every allowed statement outside the exemptions', () => {
    const scoped = tenant.filter((st) => st.Effect === 'Allow' && !exempt(st));
    expect(scoped.length).toBeGreaterThan(10);
    for (const st of scoped) {
      const text = JSON.stringify(st.Condition);
      expect([actionsOf(st), text]).toEqual([actionsOf(st), expect.stringMatching(/"aws:(Resource|Request)Tag\/team":"\$\{aws:PrincipalTag\/team\}"/)]);
    }
  });

  it('leaves the worker’s own role no EC2 action but the discovery reads, and no DynamoDB action on customer tables', () => {
    const ec2 = worker.flatMap(actionsOf).filter((a) => a.startsWith('ec2:'));
    expect(ec2.sort()).toEqual(['ec2:DescribeInstances', 'ec2:DescribeVolumes']);
    const dynamo = worker.filter((st) => JSON.stringify(st.Resource).includes(':table/*')).flatMap(actionsOf);
    expect(dynamo.sort()).toEqual(['dynamodb:DescribeTable', 'dynamodb:ListTagsOfResource']);
  });

  it('grants no action the plugins never send (no export, no point-in-time restore)', () => {
    const all = [...worker, ...tenant].filter((st) => st.Effect === 'Allow').flatMap(actionsOf);
    for (const never of ['dynamodb:ExportTableToPointInTime', 'dynamodb:RestoreTableToPointInTime', 'dynamodb:CreateTable']) {
      expect(all).not.toContain(never);
    }
    // DeleteVolume only on what Karbor made for the project (a verification's scratch volume): never on a project's own volume.
    const deleteVolume = tenant.filter((st) => st.Effect === 'Allow' && actionsOf(st).includes('ec2:DeleteVolume'));
    expect(deleteVolume).toHaveLength(1);
    expect(JSON.stringify(deleteVolume[0].Condition)).toContain('karbor:checkpoint');
  });

  it('denies the tenant role Karbor’s own table and bank outright', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.node.defaultChild as CfnTable);
    const deny = tenant.filter((st) => st.Effect === 'Deny');
    expect(deny).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:*',
        Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/*']] }],
      }),
      expect.objectContaining({ Action: 's3:*' }),
    ]);
  });

  it('gives no function s3:DeleteObjectVersion (nor s3:DeleteObject*) on the versioned bank', () => {
    const ids = [...s.stack.routeFunctions.keys(), ...s.stack.workerFunctions.keys()];
    for (const id of ids) {
      const deletes = s.actionsOf(id).filter((a) => a.startsWith('s3:Delete'));
      expect(deletes.filter((a) => a !== 's3:DeleteObject')).toEqual([]);
    }
    expect(s.actionsOf('protection.worker')).toContain('s3:DeleteObject');
    Template.fromStack(s.stack).resourcePropertiesCountIs(
      'AWS::IAM::Policy',
      { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['s3:DeleteObjectVersion']) })]) } },
      0,
    );
  });

  it('tells the worker and the discovering functions the tag key', () => {
    const discovering = routes.filter((r) => r.grants?.includes('discovery')).map((r) => r.id);
    expect(discovering).toEqual(expect.arrayContaining(['plans.create', 'plans.update', 'protectables.listInstances']));
    for (const id of [...discovering, 'protection.worker']) expect(s.envOf(id).KARBOR_PROJECT_TAG_KEY).toBe('team');
    expect(s.actionsOf('plans.create')).toContain('dynamodb:ListTagsOfResource');
  });
});
