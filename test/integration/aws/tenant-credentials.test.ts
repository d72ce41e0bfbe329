import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { TENANT_SESSION_SECONDS, tenantCredentials } from '../../../shared/features/protection/adapters/tenant-credentials';
import { describeMoto, useMoto } from '../../support/moto';

const ROLE = 'arn:aws:iam::123456789012:role/Karbor-TenantAccessRole';

describeMoto('tenant credentials against moto_server STS', () => {
  const aws = useMoto((config) => new STSClient(config));

  it("assumes the tenant role for an hour in the project's session, and a client signing with them acts as that session", async () => {
    // Prepare
    const { client, moto } = aws;
    const credentials = tenantCredentials({ sts: client, roleArn: ROLE, tagKey: 'team', clock: { now: () => new Date() } });
    const before = Date.now();

    // Act
    const provider = credentials('proj-a');
    const identity = await provider();
    const asTenant = new STSClient({ ...moto.clientConfig, credentials: provider });
    const caller = await asTenant.send(new GetCallerIdentityCommand({}));
    const ec2 = new EC2Client({ ...moto.clientConfig, credentials: provider });
    const { VolumeId } = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 1 }));
    const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [VolumeId!] }));
    asTenant.destroy();
    ec2.destroy();

    // Assess: moto issued session credentials for the role, valid for the hour role chaining allows
    expect(identity.accessKeyId).not.toBe(moto.clientConfig.credentials.accessKeyId);
    expect(identity.sessionToken).toEqual(expect.any(String));
    expect(identity.expiration!.getTime()).toBeGreaterThanOrEqual(before + (TENANT_SESSION_SECONDS - 60) * 1000);
    expect(identity.expiration!.getTime()).toBeLessThanOrEqual(Date.now() + TENANT_SESSION_SECONDS * 1000 + 1000);
    // ... and a call signed with them is the tenant session, named after the project
    expect(caller.Arn).toBe('arn:aws:sts::123456789012:assumed-role/Karbor-TenantAccessRole/karbor-proj-a');
    expect(Volumes.map((v) => v.VolumeId)).toEqual([VolumeId]);
    // The provider keeps the session: a second call assumes no other role.
    expect((await provider()).accessKeyId).toBe(identity.accessKeyId);
  });
});
