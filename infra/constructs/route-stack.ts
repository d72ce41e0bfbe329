import { NestedStack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Construct } from 'constructs';
import type { RouteDef } from '../../shared/http/routes';
import { constructName } from '../names';
import type { ApiFunction } from './api-function';

export interface RouteStackProps {
  api: HttpApi;
  routes: readonly RouteDef[];
  /** Every route's authorizer but the public ones'; none in noauth mode. */
  authorizer?: IHttpRouteAuthorizer;
  /** Makes a route's function in the given scope (the stack's one function factory). */
  makeFunction: (scope: Construct, route: RouteDef) => ApiFunction;
}

/**
 * The functions and API routes of one feature, in a nested stack of their
 * own: about 7 resources a route (function, role, policy, log group,
 * permission, integration, route) would pass CloudFormation's 500 in one
 * stack as routes grow. A route never moves between nested stacks (a route
 * key cannot exist twice in an API while one stack adds it and another still
 * holds it), so the split is by feature, not by count.
 */
export class RouteStack extends NestedStack {
  readonly functions = new Map<string, ApiFunction>();

  constructor(scope: Construct, id: string, props: RouteStackProps) {
    super(scope, id, { description: `Karbor routes: ${props.routes.map((r) => r.id).join(', ')}` });
    for (const route of props.routes) {
      const f = props.makeFunction(this, route);
      this.functions.set(route.id, f);
      const name = constructName(route.id);
      new HttpRoute(this, `${name}Route`, {
        httpApi: props.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${name}Integration`, f),
        // The version documents, which Karbor serves without a token, skip the authorizer.
        authorizer: route.public || !props.authorizer ? new HttpNoneAuthorizer() : props.authorizer,
      });
    }
  }
}

/** `plans.create` -> `plans`: routes are grouped by feature. */
export const featureOf = (route: RouteDef): string => route.id.split('.')[0];
