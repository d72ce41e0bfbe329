import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { dynamoClient } from '../../../../shared/dynamo/client';
import { withSettings } from '../../../support/settings';

/** X-Ray's middleware on a client: what Tracer.captureAWSv3Client adds (aws-xray-sdk-core's aws3 patcher). */
const hasXRay = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().some((m) => m.startsWith('XRaySDKInstrumentation'));

/** The constant infra/bundling.ts writes into a bundle built with karbor:traceAwsCalls (a global, unbundled). */
const bundledWithTracing = (on: boolean | undefined) => {
  (globalThis as { KARBOR_TRACE_AWS_CALLS?: boolean }).KARBOR_TRACE_AWS_CALLS = on;
  if (on === undefined) delete (globalThis as { KARBOR_TRACE_AWS_CALLS?: boolean }).KARBOR_TRACE_AWS_CALLS;
};

describe('traced(): X-Ray subsegments for AWS SDK calls on Lambda, in bundles built with karbor:traceAwsCalls', () => {
  const saved = { ...process.env };
  beforeEach(() => bundledWithTracing(true));
  afterEach(() => {
    process.env = { ...saved };
    bundledWithTracing(undefined);
  });

  it('leaves every client as it is on Lambda in a bundle built without karbor:traceAwsCalls (the default), or unbundled', () => {
    // Prepare: what Lambda sets
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_REGION: 'eu-west-1' });
    for (const constant of [false, undefined]) {
      bundledWithTracing(constant);
      jest.isolateModules(() => {
        const { traced } = require('../../../../shared/observability/tracing') as typeof import('../../../../shared/observability/tracing');
        // Act + Assess
        expect(hasXRay(traced(new EventBridgeClient({ region: 'eu-west-1' })))).toBe(false);
      });
    }
  });

  it('wraps a client on Lambda (the Tracer sees the Lambda runtime)', () => {
    // Prepare: what Lambda sets
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_REGION: 'eu-west-1' });
    jest.isolateModules(() => {
      const { traced } = require('../../../../shared/observability/tracing') as typeof import('../../../../shared/observability/tracing');
      // Act
      const client = traced(new EventBridgeClient({ region: 'eu-west-1' }));
      // Assess
      expect(hasXRay(client)).toBe(true);
    });
  });

  it('leaves every client as it is off Lambda (npm start, tests), and on Lambda when POWERTOOLS_TRACE_ENABLED=false', () => {
    // Prepare
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    jest.isolateModules(() => {
      const { traced } = require('../../../../shared/observability/tracing') as typeof import('../../../../shared/observability/tracing');
      // Act + Assess
      expect(hasXRay(traced(new EventBridgeClient({ region: 'eu-west-1' })))).toBe(false);
      expect(hasXRay(dynamoClient())).toBe(false);
    });
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'false' });
    jest.isolateModules(() => {
      const { traced } = require('../../../../shared/observability/tracing') as typeof import('../../../../shared/observability/tracing');
      expect(hasXRay(traced(new EventBridgeClient({ region: 'eu-west-1' })))).toBe(false);
    });
  });

  it('wraps the table client made by shared/dynamo/client.ts on Lambda', () => {
    Object.assign(process.env, { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_REGION: 'eu-west-1' });
    jest.isolateModules(() => {
      const dynamo = require('../../../../shared/dynamo/client') as typeof import('../../../../shared/dynamo/client');
      expect(hasXRay(withSettings({ ...process.env, DYNAMODB_ENDPOINT: '' }, () => dynamo.dynamoClient()))).toBe(true);
    });
  });
});
