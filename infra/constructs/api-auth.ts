import { Annotations, CfnOutput, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AccountRecovery, ClientAttributes, Mfa, StringAttribute, UserPool, type UserPoolClient, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { AUTHORIZER_MODULE } from '../../shared/auth/authorizer-context';
import { COGNITO_CLAIMS } from '../../shared/auth/jwt-claims';
import type { KarborConfig } from '../config';
import type { ApiFunction } from './api-function';
import type { FunctionFactory } from './functions';
import { StackPart } from './stack-part';
import type { SettingValues } from '../../shared/config';

export type KarborAuthProps = Pick<
  KarborConfig,
  'authMode' | 'deletionProtection' | 'jwtIssuer' | 'jwtAudience' | 'jwtProjectClaim' | 'jwtRolesClaim' | 'keystoneUrl' | 'authCacheSeconds'
> & {
  /** The user pool's: RETAIN with deletion protection. */
  removalPolicy: RemovalPolicy;
  functions: FunctionFactory;
};

/** Where API Gateway's JWT authorizer finds the token: Karbor's header, so `OS_AUTH_TOKEN=<jwt>` works with the karbor CLI. */
const TOKEN_HEADER = '$request.header.X-Auth-Token';

/**
 * The API's authentication (`karbor:authMode`) and what the routes must be
 * told to read it. Never open unless asked for by name: the default is a
 * Cognito user pool behind API Gateway's native JWT authorizer.
 */
export class KarborAuth extends StackPart {
  /** Every route's but the public ones'; none in noauth mode. */
  readonly authorizer?: IHttpRouteAuthorizer;
  /** What every route function is told of the authentication. */
  readonly routeEnvironment: SettingValues;
  /** Cognito mode's user pool and the client users sign in with. */
  readonly userPool?: UserPool;
  readonly userPoolClient?: UserPoolClient;
  /** Keystone mode's authorizer function. */
  readonly authorizerFunction?: ApiFunction;

  constructor(scope: Construct, id: string, props: KarborAuthProps) {
    super(scope, id);
    const jwtRoutes = (claims: { project: string; roles: string }): SettingValues => ({
      KARBOR_AUTH_MODE: 'jwt',
      KARBOR_JWT_PROJECT_CLAIM: claims.project,
      KARBOR_JWT_ROLES_CLAIM: claims.roles,
    });
    switch (props.authMode) {
      case 'cognito':
        ({ pool: this.userPool, client: this.userPoolClient, authorizer: this.authorizer } = this.cognitoAuthorizer(props));
        this.routeEnvironment = jwtRoutes(COGNITO_CLAIMS);
        break;
      case 'jwt':
        this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer!, { jwtAudience: props.jwtAudience!, identitySource: [TOKEN_HEADER] });
        this.routeEnvironment = jwtRoutes({ project: props.jwtProjectClaim, roles: props.jwtRolesClaim });
        break;
      case 'keystone':
        ({ fn: this.authorizerFunction, authorizer: this.authorizer } = this.keystoneAuthorizer(props));
        // The routes read the Keystone authorizer's verdict.
        this.routeEnvironment = { KARBOR_AUTH_MODE: 'authorizer' };
        break;
      default:
        Annotations.of(this.stack).addWarningV2(
          'karbor:noauth',
          'THE API IS OPEN: karbor:authMode is noauth, so any "<user>:<project>" token is trusted and the user "admin" is admin. Deploy it to development accounts only.',
        );
        this.routeEnvironment = { KARBOR_AUTH_MODE: 'noauth' };
    }
  }

  /**
   * Cognito mode: users are created by an administrator (no self sign-up) with
   * their project in `custom:project_id`, which the app client can read but
   * never write, so no user can move themselves into another project; members
   * of the `admin` group are admins. The ID token carries both.
   */
  private cognitoAuthorizer(props: KarborAuthProps): { pool: UserPool; client: UserPoolClient; authorizer: HttpUserPoolAuthorizer } {
    // In the stack's scope: the user pool's logical id predates the split (StackPart).
    const pool = new UserPool(this.stack, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: { project_id: new StringAttribute({ minLen: 1, maxLen: 255, mutable: true }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    const client = pool.addClient('CliClient', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes('project_id'),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    new UserPoolGroup(this.stack, 'AdminGroup', { userPool: pool, groupName: 'admin', description: 'Karbor admins (all_tenants, quotas, services)' });
    new CfnOutput(this.stack, 'UserPoolId', { value: pool.userPoolId, description: 'Cognito user pool: create users with custom:project_id' });
    new CfnOutput(this.stack, 'UserPoolClientId', { value: client.userPoolClientId, description: 'App client for `aws cognito-idp initiate-auth`' });
    return { pool, client, authorizer: new HttpUserPoolAuthorizer('CognitoAuthorizer', pool, { userPoolClients: [client], identitySource: [TOKEN_HEADER] }) };
  }

  /**
   * Keystone mode's authorizer (functions/auth/keystone-authorizer.ts): it
   * lets every request through with its verdict in the context, so routes
   * answer Karbor's 401/503 faults. Without identity sources and with API
   * Gateway's cache off it runs for every request, even one without a token;
   * the function caches validated tokens itself (karbor:authCacheSeconds).
   */
  private keystoneAuthorizer(props: KarborAuthProps): { fn: ApiFunction; authorizer: HttpLambdaAuthorizer } {
    const f = props.functions.own(this.stack, 'KeystoneAuthorizerFunction', {
      module: AUTHORIZER_MODULE,
      timeout: 10,
      description: 'API authorizer: validates X-Auth-Token with Keystone',
      environment: { KEYSTONE_URL: props.keystoneUrl!, KARBOR_AUTH_CACHE_SECONDS: String(props.authCacheSeconds) },
    });
    const authorizer = new HttpLambdaAuthorizer('KeystoneAuthorizer', f, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: Duration.seconds(0),
    });
    return { fn: f, authorizer };
  }
}
