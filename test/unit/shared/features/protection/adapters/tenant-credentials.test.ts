import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { pluginRegistry } from '../../../../../../shared/features/protection/adapters/plugin-registry';
import { TENANT_SESSION_SECONDS, tenantCredentials, tenantSessionName } from '../../../../../../shared/features/protection/adapters/tenant-credentials';
import { projectTagValue } from '../../../../../../shared/kernel/identity';
import { invocationPlugins } from '../../../../../../shared/features/protection/deps';
import { pluginContext } from '../../../../../support/plugin-context';
import { withSettings } from '../../../../../support/settings';

const ROLE = 'arn:aws:iam::111111111111:role/Karbor-TenantAccessRole';
const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);

/** A clock the test moves. */
const clockAt = (iso: string) => {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (to: string) => {
      now = new Date(to);
    },
  };
};

/** Each AssumeRole answers keys named after the call's session tag and a running count, valid for an hour from `issued`. */
const answerWithKeys = (issued: () => Date) => {
  let n = 0;
  sts.on(AssumeRoleCommand).callsFake((input: { Tags: { Value: string }[] }) => {
    n += 1;
    return {
      Credentials: {
        AccessKeyId: `AK-${input.Tags[0].Value}-${n}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(issued().getTime() + TENANT_SESSION_SECONDS * 1000),
      },
    };
  });
};

describe('tenant credentials (adapters/tenant-credentials.ts)', () => {
  beforeEach(() => {
    sts.reset();
    ec2.reset();
  });

  it('assumes the tenant role with the project as its session tag, the project in the session name, for an hour', async () => {
    // Prepare
    const clock = clockAt('2026-12-07T12:00:00Z');
    answerWithKeys(clock.now);
    const credentials = tenantCredentials({ sts: new STSClient({ region: 'us-east-1' }), roleArn: ROLE, tagKey: 'team', clock });
    // Act
    const identity = await credentials('proj-a')();
    // Assess
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'karbor-proj-a', DurationSeconds: 3600, Tags: [{ Key: 'team', Value: 'proj-a' }] },
    ]);
    expect(identity).toEqual({ accessKeyId: 'AK-proj-a-1', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-12-07T13:00:00Z') });
  });

  it('keeps one session per project for the invocation, and assumes again five minutes before it expires', async () => {
    // Prepare
    const clock = clockAt('2026-12-07T12:00:00Z');
    answerWithKeys(clock.now);
    const credentials = tenantCredentials({ sts: new STSClient({ region: 'us-east-1' }), roleArn: ROLE, tagKey: 'team', clock });
    // Act
    const [a1, a2, b1] = await Promise.all([credentials('a')(), credentials('a')(), credentials('b')()]);
    clock.set('2026-12-07T12:54:59Z');
    const a3 = await credentials('a')();
    clock.set('2026-12-07T12:55:01Z');
    const a4 = await credentials('a')();
    // Assess
    expect([a1.accessKeyId, a2.accessKeyId, b1.accessKeyId, a3.accessKeyId, a4.accessKeyId]).toEqual(['AK-a-1', 'AK-a-1', 'AK-b-2', 'AK-a-1', 'AK-a-3']);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(3);
  });

  it('tries again after a refused AssumeRole instead of keeping the failure', async () => {
    // Prepare
    const clock = clockAt('2026-12-07T12:00:00Z');
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))
      .resolves({ Credentials: { AccessKeyId: 'AK', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-12-07T13:00:00Z') } });
    const credentials = tenantCredentials({ sts: new STSClient({ region: 'us-east-1' }), roleArn: ROLE, tagKey: 'team', clock });
    // Act
    const first = credentials('a')();
    // Assess
    await expect(first).rejects.toThrow('not authorized');
    expect((await credentials('a')()).accessKeyId).toBe('AK');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('tags and names the session with the mapped value of a project id a session tag cannot hold', async () => {
    // Prepare
    const clock = clockAt('2026-12-07T12:00:00Z');
    answerWithKeys(clock.now);
    const odd = `proj#${'x'.repeat(300)}`;
    const credentials = tenantCredentials({ sts: new STSClient({ region: 'us-east-1' }), roleArn: ROLE, tagKey: 'team', clock });
    // Act
    await credentials(odd)();
    // Assess
    const input = sts.commandCalls(AssumeRoleCommand)[0].args[0].input;
    expect(input.Tags).toEqual([{ Key: 'team', Value: projectTagValue(odd) }]);
    expect(input.Tags?.[0].Value).toMatch(/^karbor-sha256-[0-9a-f]{64}$/);
    expect(input.RoleSessionName).toBe(tenantSessionName(odd));
    expect(input.RoleSessionName).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('gives the plugins of project A clients that sign with A’s session, and B’s with B’s', async () => {
    // Prepare: each EC2 call records the access key its request was signed with.
    const clock = clockAt('2026-12-07T12:00:00Z');
    answerWithKeys(clock.now);
    const signedWith: string[] = [];
    ec2.on(DescribeVolumesCommand).callsFake(async (_input, getClient) => {
      const provider = (getClient() as EC2Client).config.credentials;
      signedWith.push((await provider()).accessKeyId);
      return { Volumes: [] };
    });
    const registry = pluginRegistry(tenantCredentials({ sts: new STSClient({ region: 'us-east-1' }), roleArn: ROLE, tagKey: 'team', clock }));
    const plugin = registry('aws-ebs-volume')!;
    const volume = { type: 'AWS::EC2::Volume', id: 'vol-1', name: null, extraInfo: null };
    // Act: a protect for A, one for B, another for A (each fails: the volume is not found)
    for (const projectId of ['A', 'B', 'A']) {
      await expect(plugin.protect(pluginContext({ projectId }).ctx, volume)).rejects.toThrow('volume vol-1 not found');
    }
    // Assess
    expect(signedWith).toEqual(['AK-A-1', 'AK-B-2', 'AK-A-1']);
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.Tags)).toEqual([[{ Key: 'team', Value: 'A' }], [{ Key: 'team', Value: 'B' }]]);
  });

  it('assumes the role afresh in every worker invocation, and uses the ambient credentials when no role is set', async () => {
    // Prepare: issued now (invocationPlugins uses the system clock: a fixed date would expire as the calendar passes it).
    answerWithKeys(() => new Date());
    // The mock answers before signing: ask the client for its credentials as signing would.
    ec2.on(DescribeVolumesCommand).callsFake(async (_input, getClient) => {
      await (getClient() as EC2Client).config.credentials();
      return { Volumes: [] };
    });
    const volume = { type: 'AWS::EC2::Volume', id: 'vol-1', name: null, extraInfo: null };
    const perInvocation = withSettings({ KARBOR_TENANT_ROLE_ARN: ROLE, KARBOR_PROJECT_TAG_KEY: 'team', AWS_REGION: 'us-east-1' }, () => invocationPlugins());
    const ambient = withSettings({ AWS_REGION: 'us-east-1' }, () => invocationPlugins());
    // Act: two invocations protecting for A
    for (let i = 0; i < 2; i += 1) {
      await expect(perInvocation()('aws-ebs-volume')!.protect(pluginContext({ projectId: 'A' }).ctx, volume)).rejects.toThrow('not found');
    }
    // Assess
    expect(sts.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([ROLE, ROLE]);
    expect(ambient()).toBe(ambient());
    expect(perInvocation()).not.toBe(perInvocation());
  });
});
