import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import type { CfnDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { consoleBuild, type Synth, synthStack } from '../support/synth';

const byType = (s: Synth, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);

describe('the console on AWS (infra/constructs/console.ts)', () => {
  let dist: string;
  let s: Synth;
  let domain: unknown;
  beforeAll(() => {
    dist = consoleBuild();
    s = synthStack({}, { consoleDir: dist });
    domain = { 'Fn::GetAtt': [s.stack.getLogicalId(s.stack.console!.distribution!.node.defaultChild as CfnDistribution), 'DomainName'] };
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves the files from a private bucket through CloudFront over HTTPS only, and outputs its URL', () => {
    const [[, distribution]] = byType(s, 'AWS::CloudFront::Distribution');
    const buckets = byType(s, 'AWS::S3::Bucket').map(([, b]) => b.Properties);
    expect(distribution.Properties.DistributionConfig).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
    });
    expect(distribution.Properties.DistributionConfig.Origins[0].OriginAccessControlId).toBeDefined();
    expect(buckets).toHaveLength(3); // the bank, its access logs and the console
    for (const b of buckets) expect(b.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    s.template.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', domain]] } });
  });

  it("sends a content security policy that lets the page reach only itself, the Region's API Gateway and Cognito, and the security headers", () => {
    // Prepare: the policy the distribution's default behaviour names (default mode: Cognito).
    const [[, distribution]] = byType(s, 'AWS::CloudFront::Distribution');
    const [[policyId, policy]] = byType(s, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    // Assess
    expect(distribution.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(csp).toContain("default-src 'none'; script-src 'self'; style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('https://*.execute-api.');
    expect(csp).toContain('https://cognito-idp.');
    expect(config.SecurityHeadersConfig).toMatchObject({
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true, Override: true },
    });
    expect(config.CustomHeadersConfig.Items.map((h: { Header: string }) => h.Header)).toEqual(['cross-origin-opener-policy', 'permissions-policy']);
  });

  it('lets the page connect to no Cognito endpoint when it signs in with no user pool (keystone mode)', () => {
    const keystone = synthStack(
      { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000' },
      { consoleDir: dist },
      'ConsoleKeystone',
    );
    const [[, policy]] = Object.entries(keystone.resources).filter(([, r]) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy)).not.toContain('cognito-idp');
  });

  it('deploys the build and a config.json naming the API, and invalidates the cache', () => {
    const [[, deployment]] = byType(s, 'Custom::CDKBucketDeployment');
    expect(deployment.Properties.DistributionPaths).toEqual(['/*']);
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain(s.stack.getLogicalId(s.stack.api.node.defaultChild as never));
    expect(deployment.Properties.RetainOnDelete).toBe(false);
  });

  it("writes the user pool's region and app client into config.json in cognito mode, for the username and password sign-in", () => {
    const [[, deployment]] = byType(s, 'Custom::CDKBucketDeployment');
    // jsonData renders tokens as markers; the markers map to the CloudFormation values.
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify({ Ref: 'AWS::Region' }));
    expect(markers).toContain(JSON.stringify({ Ref: s.stack.getLogicalId(s.stack.userPoolClient!.node.defaultChild as never) }));
  });

  it("opens the API's CORS to the console's origin only, with the token header, and lets preflights past the authorizer", () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: [{ 'Fn::Join': ['', ['https://', domain]] }],
        AllowHeaders: Match.arrayWith(['content-type', 'x-auth-token']),
        AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      },
    });
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'OPTIONS /{proxy+}', AuthorizationType: 'NONE' });
  });

  it('skips the console with a warning when it is not built, and has none when told so', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'karbor-console-empty-'));
    const unbuilt = synthStack({}, { consoleDir: empty }, 'Unbuilt');
    const none = synthStack();
    rmSync(empty, { recursive: true, force: true });
    for (const x of [unbuilt, none]) {
      expect(byType(x, 'AWS::CloudFront::Distribution')).toEqual([]);
      expect(x.template.toJSON().Outputs.ConsoleUrl).toBeUndefined();
      expect(JSON.stringify(x.template.toJSON().Resources)).not.toContain('CorsConfiguration');
    }
    Annotations.fromStack(unbuilt.stack).hasWarning('*', Match.stringLikeRegexp('console is not deployed'));
    expect(Annotations.fromStack(none.stack).findWarning('*', Match.stringLikeRegexp('console'))).toEqual([]);
  });
});
