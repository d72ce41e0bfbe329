import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTHORIZER_MODULE } from '../../shared/auth/authorizer-context';
import { type ApiServerOptions, createApiServer } from './api-server';
import { type JwtVerifierOptions, jwtVerifier } from './jwt-verifier';
import { type DynamoLocal, ensureTable, startDynamoLocal } from './dynamo-local';
import { documentClient } from '../../shared/dynamo/client';
import { SERVICE_BINARIES } from '../../shared/features/services/model';
import { dynamoServiceStore } from '../../shared/features/services/store';
import * as config from '../../shared/config';
import { setDynamoClientHook } from '../../shared/dynamo/client';
import { meter, meterInvocation } from './dynamo-metering';
import { type LocalEventBusHandle, startLocalEventBus } from './event-bus';
import { type LocalScheduler, startLocalScheduler, storedSchedules } from './scheduler';
import { workers } from '../../shared/workers';
import { lambdaContext } from './http-api-event';

type PeriodicHandler = (event: { restart?: boolean }, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * Runs the fixed-rate workers of shared/workers.ts (the protection sweep):
 * every minute locally, whatever their rate on AWS, and once at start with
 * `restart`, so a job the previous process left running resumes at once.
 */
const periodicWorkers = (moduleRoot: string) => {
  const defs = workers.filter((w) => w.source.kind === 'every');
  const handlers = new Map<string, PeriodicHandler>();
  return (event: { restart?: boolean }) =>
    Promise.all(
      defs.map(async (w) => {
        let h = handlers.get(w.id);
        if (!h) {
          h = (require(path.join(moduleRoot, w.module)) as { handler: PeriodicHandler }).handler;
          handlers.set(w.id, h);
        }
        await meterInvocation(w.id, () => h(event, lambdaContext(w.id, w.timeout ?? 60)));
      }),
    ).then(() => undefined);
};

export interface LocalRuntimeOptions {
  port: number;
  host?: string;
  /** Keep DynamoDB Local's data here; undefined = in memory. */
  dataDir?: string;
  /** Use this DynamoDB (tests share one); otherwise start DynamoDB Local. */
  dynamoEndpoint?: string;
  /** Port for the DynamoDB Local this starts; default a free one. */
  dynamoPort?: number;
  tableName?: string;
  moduleRoot: string;
  log?: (line: string) => void;
  /** Where the in-process bus writes each event (npm start: stdout). */
  eventLog?: (line: string) => void;
  /** Keystone mode: validate tokens with this Keystone through the API's authorizer; default noauth. */
  keystoneUrl?: string;
  /** JWT mode: verify tokens from this issuer, as the stack's JWT authorizer; default noauth. */
  jwt?: JwtVerifierOptions;
  /** Real milliseconds one scheduled minute lasts (tests); default the UTC minutes. */
  schedulerMinuteMs?: number;
  /** The built console to serve at /console/; none when undefined. */
  consoleDir?: string;
}

export interface LocalRuntime {
  url: string;
  port: number;
  /** The local EventBridge of time triggers (infra/local/scheduler.ts). */
  scheduler?: LocalScheduler;
  /** The in-process karbor bus (infra/local/event-bus.ts). */
  bus?: LocalEventBusHandle;
  /** The DynamoDB endpoint the handlers use. */
  dynamoEndpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole system on one machine: DynamoDB Local, the table, the
 * environment the handlers read, and the API server. Anything started before
 * a failure is stopped again.
 */
export const startLocalRuntime = async (opts: LocalRuntimeOptions): Promise<LocalRuntime> => {
  // npm run bench (KARBOR_DYNAMO_METER=1): every client the handlers make records its consumed capacity.
  if (config.dynamoMeter()) setDynamoClientHook(meter);
  let dynamo: DynamoLocal | undefined;
  let server: Server | undefined;
  let scheduler: LocalScheduler | undefined;
  let bus: LocalEventBusHandle | undefined;
  const stop = async () => {
    await bus?.stop();
    bus = undefined;
    scheduler?.stop();
    scheduler = undefined;
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    if (dynamo) await dynamo.stop();
    dynamo = undefined;
  };
  try {
    let endpoint = opts.dynamoEndpoint;
    const tableName = opts.tableName ?? config.DEFAULT_TABLE_NAME;
    if (!endpoint) {
      if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
      dynamo = await startDynamoLocal({ dataDir: opts.dataDir, port: opts.dynamoPort, table: tableName });
      endpoint = dynamo.endpoint;
    }
    await ensureTable(endpoint, tableName);
    // The handlers read their configuration from the environment, as on Lambda.
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.TABLE_NAME = tableName;
    process.env.KARBOR_DISCOVERY ??= 'dynamodb';
    // DynamoDB Local answers every tagging call with UnknownOperationException:
    // tables cannot carry a project tag, so discovery does not scope by it here.
    process.env.KARBOR_TENANT_SCOPING ??= 'none';
    // Trigger schedules go to the in-process scheduler, never to AWS.
    process.env.KARBOR_SCHEDULER = 'local';
    const services = dynamoServiceStore(documentClient(), tableName);
    const periodic = periodicWorkers(opts.moduleRoot);
    scheduler = await startLocalScheduler({
      everyMinute: () => periodic({}),
      moduleRoot: opts.moduleRoot,
      load: storedSchedules,
      log: opts.log,
      minuteMs: opts.schedulerMinuteMs,
      // Each minute, as the stack's heartbeat rule: the engine, and the protection worker while the bus runs.
      heartbeat: async () => {
        await services.report(SERVICE_BINARIES.operationEngine, config.serviceHost(), new Date());
        if (bus) await services.report(SERVICE_BINARIES.protection, config.serviceHost(), new Date());
      },
    });
    // Protection: the in-process bus, a file bank in the data dir, DynamoDB tables protected by export.
    process.env.KARBOR_EVENTS = 'local';
    process.env.KARBOR_BANK = 'local';
    process.env.KARBOR_BANK_DIR = opts.dataDir ? path.join(opts.dataDir, 'bank') : mkdtempSync(path.join(tmpdir(), 'karbor-bank-'));
    process.env.KARBOR_DYNAMODB_TABLE_PLUGIN ??= 'export';
    bus = startLocalEventBus({ moduleRoot: opts.moduleRoot, log: opts.eventLog });
    // Jobs the previous run of this data dir left in `protecting`, `deleting`, `in_progress`: resume them now.
    await periodic({ restart: true });
    await services.report(SERVICE_BINARIES.protection, config.serviceHost(), new Date());
    const host = opts.host ?? '127.0.0.1';
    let authorize: ApiServerOptions['authorize'];
    let verifyJwt: ApiServerOptions['verifyJwt'];
    if (opts.keystoneUrl && opts.jwt) throw new Error('choose one auth mode: keystone or jwt');
    if (opts.jwt) {
      // As the stack in jwt mode: API Gateway verifies the token, the routes read its claims.
      process.env.KARBOR_AUTH_MODE = 'jwt';
      verifyJwt = jwtVerifier(opts.jwt);
    } else if (opts.keystoneUrl) {
      // As the stack in keystone mode: the authorizer runs first, the routes read its context.
      process.env.KEYSTONE_URL = opts.keystoneUrl;
      process.env.KARBOR_AUTH_MODE = 'authorizer';
      authorize = (require(path.join(opts.moduleRoot, AUTHORIZER_MODULE)) as { handler: NonNullable<ApiServerOptions['authorize']> }).handler;
    } else {
      process.env.KARBOR_AUTH_MODE = 'noauth';
    }
    const created = createApiServer({ moduleRoot: opts.moduleRoot, log: opts.log, authorize, verifyJwt, consoleDir: opts.consoleDir });
    server = created;
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(opts.port, host, () => resolve());
    });
    const address = created.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    return { url: `http://${host}:${port}`, port, scheduler, bus, dynamoEndpoint: endpoint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
