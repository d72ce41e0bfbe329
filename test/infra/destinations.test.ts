import { synthStack } from '../support/synth';

const ROLE = 'arn:aws:iam::222222222222:role/KarborCopies';
const DESTINATIONS = {
  dr: { region: 'eu-west-1', default: true },
  vault: { region: 'us-west-2', role_arn: ROLE, external_id: 'ext-42' },
};

/** Copy destinations in the template (docs/decisions.md §25, infra/grants.ts grantDestinations). */
describe('copy destinations in the stack', () => {
  it('gives no function destinations or copy grants by default', () => {
    // Act
    const s = synthStack();
    // Assess
    for (const id of ['protection.worker', 'plans.create', 'checkpoints.copy', 'destinations.list']) {
      expect(s.envOf(id).KARBOR_DESTINATIONS).toBeUndefined();
    }
    expect(s.actionsOf('protection.worker')).not.toContain('ec2:CopySnapshot');
  });

  it('hands the destinations to the functions that read them, and the worker the copy and AssumeRole grants', () => {
    // Act
    const s = synthStack({ 'karbor:destinations': DESTINATIONS });
    // Assess
    for (const id of ['protection.worker', 'plans.create', 'plans.update', 'checkpoints.copy', 'destinations.list']) {
      // The role's account is written as the account.
      expect(JSON.parse(String(s.envOf(id).KARBOR_DESTINATIONS))).toEqual({ ...DESTINATIONS, vault: { ...DESTINATIONS.vault, account_id: '222222222222' } });
    }
    expect(s.envOf('plans.show').KARBOR_DESTINATIONS).toBeUndefined();
    const worker = s.statementsOf('protection.worker');
    expect(worker).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }));
    expect(worker).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['ec2:CopySnapshot', 'ec2:CopyImage', 'ec2:CreateVolume']),
        Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      }),
    );
    // What removes or changes something there only on Karbor's artifacts.
    const removes = worker.filter((st) => [st.Action].flat().includes('ec2:DeleteSnapshot'));
    expect(removes).toEqual([
      expect.objectContaining({
        Action: expect.arrayContaining(['ec2:DeleteSnapshot', 'ec2:DeregisterImage', 'ec2:DeleteVolume']),
        Condition: { StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] }, Null: { 'aws:ResourceTag/karbor:checkpoint': 'false' } },
      }),
    ]);
    expect(s.actionsOf('checkpoints.copy')).not.toContain('ec2:CopySnapshot');
    // Before a copy to another account: whether KMS or AWS manages the source's keys (docs/decisions.md §27).
    expect(worker).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:DescribeKey',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/*']] },
    });
    expect(worker).toContainEqual({ Effect: 'Allow', Action: ['ec2:DescribeSnapshots', 'ec2:DescribeImages'], Resource: '*' });
  });

  it('gives the worker no key lookups when every destination is in its own account', () => {
    // Act
    const s = synthStack({ 'karbor:destinations': { dr: DESTINATIONS.dr } });
    // Assess
    expect(s.actionsOf('protection.worker')).not.toContain('kms:DescribeKey');
  });

  it('lets the worker read and write the checkpoints of each destination bank, and nothing of a destination without one', () => {
    // Act
    const s = synthStack({ 'karbor:destinations': { ...DESTINATIONS, vault: { ...DESTINATIONS.vault, bank: 'karbor-vault-bank' } } });
    const without = synthStack({ 'karbor:destinations': DESTINATIONS });
    // Assess
    // The ARNs carry the stack's partition (a join): judged on their text.
    const worker = s.statementsOf('protection.worker').map((st) => JSON.stringify(st));
    expect(worker.filter((st) => st.includes('karbor-vault-bank'))).toEqual([
      expect.stringMatching(/"Action":"s3:ListBucket".*":s3:::karbor-vault-bank"/),
      expect.stringMatching(/"Action":\["s3:GetObject","s3:PutObject","s3:DeleteObject"\].*":s3:::karbor-vault-bank\/checkpoints\/\*"/),
    ]);
    expect(JSON.stringify(without.statementsOf('protection.worker'))).not.toContain('karbor-vault-bank');
  });

  it('fails synth on a bad destination, naming it', () => {
    expect(() => synthStack({ 'karbor:destinations': { dr: { region: 'eu-west-1', role_arn: ROLE } } })).toThrow(
      'context karbor:destinations: destination dr: a role_arn needs an external_id',
    );
  });
});
