import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type CfnStage, CorsHttpMethod, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fallbackRoute, type RouteDef } from '../../shared/http/routes';
import type { KarborConfig } from '../config';
import { applyGrants, type GrantTargets } from '../grants';
import { constructName } from '../names';
import type { ApiFunction } from './api-function';
import type { SettingName } from '../../shared/config';
import { KarborAuth, type KarborAuthProps } from './api-auth';
import { featureOf, RouteStack } from './route-stack';
import { StackPart } from './stack-part';

const DEFAULT_ROUTE_TIMEOUT = 10;

export type KarborApiProps = KarborAuthProps &
  Pick<KarborConfig, 'corsOrigins' | 'logRetention' | 'throttleRate' | 'throttleBurst'> & {
    routes: readonly RouteDef[];
    /** What the routes' grants refer to (the bus, the bank, fire-trigger ...). */
    grantTargets: GrantTargets;
  };

/**
 * The HTTP API: its authentication (KarborAuth), one function and route per
 * entry of the route table in a nested stack per feature, the fallback
 * function on `$default`, the access log and the default throttling.
 */
export class KarborApi extends StackPart {
  readonly api: HttpApi;
  readonly auth: KarborAuth;
  /** Answers every request no route matches (and, with the console, the CORS preflights). */
  readonly fallback: ApiFunction;
  /** By route id (plus `fallback`). */
  readonly functions = new Map<string, ApiFunction>();
  /** By feature: the nested stacks holding the routes. */
  readonly routeStacks = new Map<string, RouteStack>();

  constructor(scope: Construct, id: string, props: KarborApiProps) {
    super(scope, id);
    const makeFunction = (s: Construct, route: RouteDef, description: string) =>
      props.functions.forDef(s, route, { timeout: DEFAULT_ROUTE_TIMEOUT, description });
    // In the stack's scope, as are the nested stacks: their logical ids predate the split (StackPart).
    this.fallback = makeFunction(this.stack, fallbackRoute, 'unmatched requests: 404 / 405 fault');
    this.functions.set(fallbackRoute.id, this.fallback);
    this.auth = new KarborAuth(this, 'Auth', props);
    const authorizer = this.auth.authorizer;
    this.api = new HttpApi(this.stack, 'Api', {
      description: 'Karbor v1 API',
      // API Gateway's `$default` route: every request no route matches.
      defaultIntegration: new HttpLambdaIntegration('FallbackIntegration', this.fallback),
      // Every route, `$default` included, asks the authorizer first, but the version documents.
      ...(authorizer ? { defaultAuthorizer: authorizer } : {}),
      ...(props.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
              allowHeaders: ['Content-Type', 'X-Auth-Token', 'Idempotency-Key'],
              exposeHeaders: ['X-Openstack-Request-Id', 'Idempotent-Replayed', 'Retry-After'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    this.edge(props);

    const byFeature = new Map<string, RouteDef[]>();
    for (const route of props.routes) byFeature.set(featureOf(route), [...(byFeature.get(featureOf(route)) ?? []), route]);
    for (const [feature, routes] of byFeature) {
      const routeStack = new RouteStack(this.stack, `${constructName(feature)}Routes`, {
        api: this.api,
        routes,
        authorizer,
        makeFunction: (s, route) => makeFunction(s, route, `${route.method} ${route.path}`),
      });
      this.routeStacks.set(feature, routeStack);
      for (const [routeId, f] of routeStack.functions) this.functions.set(routeId, f);
    }
    for (const [routeId, f] of this.functions) {
      const def = routeId === fallbackRoute.id ? fallbackRoute : props.routes.find((r) => r.id === routeId)!;
      applyGrants(f, def.grants ?? [], props.grantTargets);
      for (const [k, v] of Object.entries(this.auth.routeEnvironment)) if (v !== undefined) f.addSetting(k as SettingName, v);
    }
  }

  /**
   * The API's edge: a JSON access log line per request (API Gateway's request
   * id, the caller as the authorizer saw it, route, status, latency) and the
   * default route throttling. Bodies are capped at 1 MB by the functions
   * (shared/http/body-guard.ts); API Gateway's own cap is 10 MB.
   */
  private edge(props: KarborApiProps): void {
    const logs = new LogGroup(this.stack, 'ApiAccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const caller: Record<string, string> =
      props.authMode === 'keystone'
        ? { user: '$context.authorizer.userId', project: '$context.authorizer.projectId' }
        : props.authMode === 'noauth'
          ? {}
          : { user: '$context.authorizer.claims.sub' };
    const format = {
      requestId: '$context.requestId',
      time: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      routeKey: '$context.routeKey',
      path: '$context.path',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      responseLength: '$context.responseLength',
      ...caller,
      error: '$context.error.message',
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
    };
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = { destinationArn: logs.logGroupArn, format: JSON.stringify(format) };
    stage.defaultRouteSettings = { throttlingRateLimit: props.throttleRate, throttlingBurstLimit: props.throttleBurst };
  }
}
