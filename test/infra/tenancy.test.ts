import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { routes } from '../../shared/http/routes';
import { type Statement, synthStack } from '../support/synth';

/** The worker's IAM under tenant scoping, with a custom project tag key (README "Tenant scoping"). */
describe('tenant scoping in IAM (karbor:projectTagKey=team)', () => {
  const s = synthStack({ 'karbor:projectTagKey': 'team' }, {}, 'Tenancy');
  const worker = s.statementsOf('protection.worker');
  const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
  const allowing = (action: string) => worker.filter((st) => st.Effect === 'Allow' && actionsOf(st).includes(action));
  const arnText = (st: Statement) => JSON.stringify(st.Resource);
  const REQUEST_TAGS = { Null: { 'aws:RequestTag/team': 'false', 'aws:RequestTag/karbor:checkpoint': 'false' } };

  it('lets the worker create snapshots, images, volumes and instances only with the project and checkpoint tags in the request', () => {
    for (const [action, created] of [
      ['ec2:CreateSnapshot', /snapshot\/\*/],
      ['ec2:CreateImage', /image\/\*/],
      ['ec2:CreateVolume', /volume\/\*/],
      ['ec2:RunInstances', /instance\/\*/],
    ] as const) {
      const onCreated = allowing(action).filter((st) => created.test(arnText(st)) && JSON.stringify(st.Condition).includes('RequestTag'));
      expect(onCreated).toHaveLength(1);
      expect(onCreated[0].Condition).toEqual(REQUEST_TAGS);
    }
    s.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ec2:CreateSnapshot', Condition: REQUEST_TAGS })]) },
    });
  });

  it('never allows a create action on a resource without a tag condition, nor CreateTags outside a create', () => {
    for (const action of ['ec2:CreateSnapshot', 'ec2:CreateImage', 'ec2:CreateVolume', 'ec2:CreateTags']) {
      for (const st of allowing(action)) expect(st.Condition).toBeDefined();
    }
    expect(allowing('ec2:CreateTags')).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateImage', 'CreateVolume', 'RunInstances'] } } }),
    ]);
    // RunInstances without conditions only on the network it launches into.
    for (const st of allowing('ec2:RunInstances').filter((x) => x.Condition === undefined)) {
      expect(arnText(st)).not.toMatch(/(instance|volume|image|snapshot)\/\*/);
    }
  });

  it('snapshots and images only volumes and instances that carry the project tag', () => {
    const sources = [...allowing('ec2:CreateSnapshot'), ...allowing('ec2:CreateImage')].filter((st) => /(volume|instance)\/\*/.test(arnText(st)));
    expect(sources.length).toBeGreaterThan(0);
    for (const st of sources) {
      expect(st.Condition).toEqual({ Null: { 'aws:ResourceTag/team': 'false' } });
    }
  });

  it('deletes, deregisters and restores from only what carries Karbor’s checkpoint tag', () => {
    for (const action of ['ec2:DeleteSnapshot', 'ec2:DeregisterImage']) {
      expect(allowing(action)).toEqual([expect.objectContaining({ Condition: { Null: { 'aws:ResourceTag/karbor:checkpoint': 'false' } } })]);
    }
    const fromSnapshot = allowing('ec2:CreateVolume').filter((st) => /snapshot\/\*/.test(arnText(st)));
    expect(fromSnapshot).toEqual([expect.objectContaining({ Condition: { Null: { 'aws:ResourceTag/karbor:checkpoint': 'false' } } })]);
  });

  it('backs up or exports only DynamoDB tables with the project tag, and tags a table only with a restore’s tags', () => {
    for (const action of ['dynamodb:CreateBackup', 'dynamodb:ExportTableToPointInTime']) {
      expect(allowing(action)).toEqual([expect.objectContaining({ Condition: { Null: { 'aws:ResourceTag/team': 'false' } } })]);
    }
    expect(allowing('dynamodb:TagResource')).toEqual([
      expect.objectContaining({
        Condition: { Null: { 'aws:RequestTag/team': 'false', 'aws:RequestTag/karbor:checkpoint': 'false', 'aws:RequestTag/karbor:restore': 'false' } },
      }),
    ]);
  });

  it('denies the worker backup, restore, export and tagging of Karbor’s own table', () => {
    const tableId = s.stack.getLogicalId(s.stack.table.node.defaultChild as CfnTable);
    const deny = worker.filter((st) => st.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    expect(actionsOf(deny[0])).toEqual(
      expect.arrayContaining([
        'dynamodb:CreateBackup',
        'dynamodb:RestoreTableFromBackup',
        'dynamodb:RestoreTableToPointInTime',
        'dynamodb:ExportTableToPointInTime',
        'dynamodb:TagResource',
      ]),
    );
    expect(deny[0].Resource).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/backup/*']] }]);
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
