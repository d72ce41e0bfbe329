import { existsSync } from 'node:fs';
import path from 'node:path';
import { Annotations, Aws, CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type CfnApi, type HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Distribution, HeadersFrameOption, HeadersReferrerPolicy, PriceClass, ResponseHeadersPolicy, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_SECURITY_HEADERS, consoleContentSecurityPolicy } from '../console-headers';

export interface KarborConsoleProps {
  api: HttpApi;
  /** Other origins allowed to call the API (`karbor:corsOrigins`). */
  corsOrigins?: readonly string[];
  /** Answers the unauthenticated CORS preflights (the fallback function: API Gateway replies before it is called). */
  preflight: IFunction;
  /** The built console (console/dist; `node console/build.js`). */
  distDir: string;
  /** Written to config.json beside the page: what the console needs to know about this deployment. */
  settings?: Record<string, string>;
  /** Of the log group of CDK's deployment function (`karbor:logRetentionDays`, as every function's). */
  logRetention: RetentionDays;
}

/** The headers the console sends the API. */
const ALLOWED_HEADERS = ['content-type', 'x-auth-token', 'idempotency-key'];

/**
 * The web console (console/): its built files in a private bucket behind a
 * CloudFront distribution, a config.json naming the API, and the API's CORS
 * opened to that one origin. Skipped with a warning when the console is not
 * built: `cdk synth` builds it first (infra/app.js).
 */
export class KarborConsole extends Construct {
  readonly distribution?: Distribution;
  readonly url?: string;

  constructor(scope: Construct, id: string, props: KarborConsoleProps) {
    super(scope, id);
    if (!existsSync(path.join(props.distDir, 'index.html'))) {
      Annotations.of(this).addWarningV2(
        'karbor:console-not-built',
        `The console is not deployed: ${props.distDir} holds no build. Run \`node console/build.js\` (cdk synth through infra/app.js does it).`,
      );
      return;
    }
    // The files are rebuilt from the repository: the deployment removes them with the stack, then the bucket goes.
    const bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The console may connect to API Gateway and, signing in with a user pool, to Cognito in this Region: nothing else
    // (infra/console-headers.ts). Not the API's own host: its CORS names this distribution, which would make a cycle.
    const connect = [
      `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
      ...(props.settings?.cognitoClientId ? [`https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`] : []),
    ];
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Karbor console: content security policy and security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(connect), override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: (['cross-origin-opener-policy', 'permissions-policy'] as const).map((header) => ({
          header,
          value: CONSOLE_SECURITY_HEADERS[header],
          override: true,
        })),
      },
    });
    const distribution = new Distribution(this, 'Distribution', {
      comment: 'Karbor console',
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
    });
    this.distribution = distribution;
    this.url = `https://${distribution.distributionDomainName}`;

    new BucketDeployment(this, 'Files', {
      sources: [Source.asset(props.distDir), Source.jsonData('config.json', { apiUrl: props.api.apiEndpoint, ...props.settings })],
      destinationBucket: bucket,
      distribution,
      distributionPaths: ['/*'],
      retainOnDelete: false,
      prune: true,
      // CDK's function would otherwise log to a group it never expires.
      logGroup: new LogGroup(this, 'FilesLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });

    // The console calls the API from its own origin: API Gateway answers the preflights and adds the CORS headers.
    (props.api.node.defaultChild as CfnApi).corsConfiguration = {
      allowOrigins: [this.url, ...(props.corsOrigins ?? [])],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowHeaders: ALLOWED_HEADERS,
      exposeHeaders: ['x-openstack-request-id', 'idempotent-replayed'],
      maxAge: 3600,
    };
    // With an authorizer on `$default`, a preflight (which carries no token) needs a route of its own without one.
    props.api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.OPTIONS],
      integration: new HttpLambdaIntegration('PreflightIntegration', props.preflight),
      authorizer: new HttpNoneAuthorizer(),
    });

    new CfnOutput(scope, 'ConsoleUrl', { value: this.url, description: 'The web console: sign in with a project and a token' });
  }
}
