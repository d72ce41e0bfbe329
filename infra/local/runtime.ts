import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTHORIZER_MODULE } from '../../shared/auth/authorizer-context';
import { type ApiServerOptions, createApiServer } from './api-server';
import { type JwtVerifierOptions, jwtVerifier } from './jwt-verifier';
import { type DynamoLocal, ensureTable, startDynamoLocal } from './dynamo-local';
import { DR, drSiteSettings, primaryDrSettings } from './dr-region';
import { documentClient } from '../../shared/dynamo/client';
import { SERVICE_BINARIES } from '../../shared/features/services/model';
import { dynamoServiceStore } from '../../shared/features/services/store';
import * as config from '../../shared/config';
import type { Settings } from '../../shared/runtime-host';
import { setDynamoClientHook } from '../../shared/dynamo/client';
import { meter, meterInvocation } from './dynamo-metering';
import { type LocalEventBusHandle, startLocalEventBus } from './event-bus';
import { eventTime, type LocalScheduler, startLocalScheduler, storedSchedules } from './scheduler';
import { type WorkerDef, workers } from '../../shared/workers';
import { lambdaContext } from './http-api-event';
import { type LocalHost, localHost } from './host';

/** A job the sweep redelivered at start (functions/protection/sweep.ts). */
interface ResumedJob {
  kind: string;
  id: string;
  status: string;
}

type PeriodicHandler = (event: { restart?: boolean; time?: string }, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/**
 * Runs the fixed-rate workers of shared/workers.ts (the protection sweep):
 * every minute locally, whatever their rate on AWS, and once at start with
 * `restart`, so a job the previous process left running resumes at once.
 * A daily worker (the daily reports) runs only at its UTC minute, with the
 * scheduled `time` as EventBridge's cron rule sends it; never at start.
 */
/** Whether the local scheduler runs this worker at `minute` (undefined: at start): fixed-rate ones always, daily ones at their UTC minute. */
export const dueLocally = (w: WorkerDef, minute: Date | undefined): boolean =>
  w.source.kind === 'every' ||
  (w.source.kind === 'daily' && minute !== undefined && minute.getUTCHours() === w.source.hour && minute.getUTCMinutes() === w.source.minute);

const periodicWorkers = (host: LocalHost) => {
  const handlers = new Map<string, PeriodicHandler>();
  /** Each worker's answer (the sweep's: the jobs it redelivered). */
  return (event: { restart?: boolean; time?: string }, minute?: Date): Promise<unknown[]> =>
    Promise.all(
      workers
        .filter((w) => dueLocally(w, minute))
        .map(async (w) => {
          let h = handlers.get(w.id);
          if (!h) {
            h = host.load<{ handler: PeriodicHandler }>(w.module).handler;
            handlers.set(w.id, h);
          }
          return host.run(() => meterInvocation(w.id, () => h(event, lambdaContext(w.id, w.timeout ?? 60))));
        }),
    );
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
  /** Told each start-up stage as it ends (npm start prints them): what started, where, and what it resumed. */
  stage?: (line: string) => void;
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
  /** The environment the handlers' settings are built from (shared/config.ts); default this process's. */
  env?: Settings;
  /**
   * The local DR walk-through (./dr-region.ts, docs/decisions.md §26). `primary`: also run the DR Region (a second
   * DynamoDB Local, with its data in `dataDir` here, or in memory; a bank folder there; the built-in destination `dr`).
   * `dr-site`: this runtime is the DR Region's own Karbor (its data dir is the DR Region's).
   */
  dr?: { role: 'primary'; dataDir?: string; dynamoPort?: number } | { role: 'dr-site' };
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
  /** With `dr: { role: 'primary' }`: the DR Region's DynamoDB Local and bank folder. */
  drRegion?: { dynamoEndpoint: string; bankDir: string };
  /** The runtime's host: the settings its handlers run with, built once as it started (shared/runtime-host.ts). */
  host: LocalHost;
  stop(): Promise<void>;
}

/**
 * What the handlers of a runtime read (shared/config.ts), built once before
 * any handler loads: the local defaults, the user's environment over them,
 * and what the runtime itself decides over both.
 */
const runtimeSettings = (env: Settings, decided: config.SettingValues): Settings => {
  const defaults: config.SettingValues = {
    // No EC2 on a laptop, unless an EC2 emulator is named (AWS_ENDPOINT_URL_EC2: moto_server, docs/operations.md).
    KARBOR_DISCOVERY: config.ec2Endpoint(env) ? 'ec2,dynamodb' : 'dynamodb',
    // DynamoDB Local answers every tagging call with UnknownOperationException:
    // tables cannot carry a project tag, so discovery does not scope by it here.
    KARBOR_TENANT_SCOPING: 'none',
    // DynamoDB Local has no on-demand backups: the AWS provider protects tables by export into the bank.
    KARBOR_DYNAMODB_TABLE_PLUGIN: 'export',
    // Signs the local server's report links (docs/decisions.md §22): a fresh key per start, so old links die with the runtime.
    KARBOR_REPORT_LINK_SECRET: randomBytes(32).toString('hex'),
  };
  return { ...defaults, ...env, ...decided };
};

/**
 * Starts the whole system on one machine: DynamoDB Local, the table, the
 * settings the handlers read, and the API server. Anything started before
 * a failure is stopped again.
 */
export const startLocalRuntime = async (opts: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const env = opts.env ?? process.env;
  const stage = opts.stage ?? (() => undefined);
  const since = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)} s`;
  // npm run bench (KARBOR_DYNAMO_METER=1): every client the handlers make records its consumed capacity.
  if (config.dynamoMeter(env)) setDynamoClientHook(meter);
  let dynamo: DynamoLocal | undefined;
  let drDynamo: DynamoLocal | undefined;
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
    if (drDynamo) await drDynamo.stop();
    drDynamo = undefined;
  };
  try {
    let endpoint = opts.dynamoEndpoint;
    const tableName = opts.tableName ?? config.DEFAULT_TABLE_NAME;
    if (!endpoint) {
      if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
      const t = performance.now();
      stage('starting DynamoDB Local (a JVM: a few seconds) ...');
      dynamo = await startDynamoLocal({ dataDir: opts.dataDir, port: opts.dynamoPort, table: tableName });
      endpoint = dynamo.endpoint;
      stage(`DynamoDB Local ready on ${endpoint} (${opts.dataDir ? `data in ${opts.dataDir}` : 'in memory'}), ${since(t)}`);
    }
    await ensureTable(endpoint, tableName);
    stage(`table ${tableName} ready`);
    const bankDir = opts.dataDir ? path.join(opts.dataDir, 'bank') : mkdtempSync(path.join(tmpdir(), 'karbor-bank-'));
    let drRegion: LocalRuntime['drRegion'];
    let drSettings: config.SettingValues = {};
    if (opts.dr?.role === 'primary') {
      const t = performance.now();
      const drDir = opts.dr.dataDir;
      if (drDir) mkdirSync(drDir, { recursive: true });
      stage(`starting the DR Region's DynamoDB Local (${DR.region}) ...`);
      drDynamo = await startDynamoLocal({ dataDir: drDir, port: opts.dr.dynamoPort, table: tableName });
      // The DR side's own table (npm run start:dr), made now: it is also what the commit barrier of this instance reads.
      await ensureTable(drDynamo.endpoint, tableName);
      drRegion = { dynamoEndpoint: drDynamo.endpoint, bankDir: drDir ? path.join(drDir, 'bank') : mkdtempSync(path.join(tmpdir(), 'karbor-dr-bank-')) };
      drSettings = primaryDrSettings(env, drRegion.bankDir, drRegion.dynamoEndpoint);
      stage(`DR Region ${DR.region} ready: DynamoDB Local on ${drRegion.dynamoEndpoint}, bank ${drRegion.bankDir} (destination ${DR.name}), ${since(t)}`);
    } else if (opts.dr?.role === 'dr-site') drSettings = drSiteSettings(env, bankDir);
    if (opts.keystoneUrl && opts.jwt) throw new Error('choose one auth mode: keystone or jwt');
    const host = localHost(
      runtimeSettings(env, {
        DYNAMODB_ENDPOINT: endpoint,
        TABLE_NAME: tableName,
        // Trigger schedules go to the in-process scheduler, never to AWS.
        KARBOR_SCHEDULER: 'local',
        // Protection: the in-process bus, a file bank in the data dir.
        KARBOR_EVENTS: 'local',
        KARBOR_BANK: 'local',
        KARBOR_BANK_DIR: bankDir,
        ...drSettings,
        // As the stack in each mode: jwt (API Gateway verifies the token, the routes read its claims),
        // keystone (the authorizer runs first, the routes read its context), or noauth.
        ...(opts.jwt
          ? { KARBOR_AUTH_MODE: 'jwt' }
          : opts.keystoneUrl
            ? { KARBOR_AUTH_MODE: 'authorizer', KEYSTONE_URL: opts.keystoneUrl }
            : { KARBOR_AUTH_MODE: 'noauth' }),
      }),
      opts.moduleRoot,
    );
    // Everything below runs as this runtime: what it starts (the scheduler's timer, the bus's deliveries) too.
    return await host.run(async () => {
      const serviceHost = config.serviceHost();
      const services = dynamoServiceStore(documentClient(), tableName);
      const periodic = periodicWorkers(host);
      scheduler = await startLocalScheduler({
        host,
        everyMinute: (minute) => periodic({ time: eventTime(minute) }, minute).then(() => undefined),
        load: storedSchedules,
        log: opts.log,
        minuteMs: opts.schedulerMinuteMs,
        // Each minute, as the stack's heartbeat rule: the engine, and the protection worker while the bus runs.
        heartbeat: async () => {
          await services.report(SERVICE_BINARIES.operationEngine, serviceHost, new Date());
          if (bus) await services.report(SERVICE_BINARIES.protection, serviceHost, new Date());
        },
      });
      stage(`scheduler running: ${scheduler.rules().length} trigger schedule(s) rebuilt from the stored triggers`);
      bus = startLocalEventBus({ host, log: opts.eventLog });
      // Jobs the previous run of this data dir left in `protecting`, `deleting`, `in_progress`: resume them now.
      const resumed = (await periodic({ restart: true })).flatMap((r) => (r as { redelivered?: ResumedJob[] } | undefined)?.redelivered ?? []);
      stage(
        resumed.length === 0
          ? 'jobs: none left running to resume'
          : `jobs: resumed ${resumed.length} left running: ${resumed.map((j) => `${j.kind} ${j.id} (${j.status})`).join(', ')}`,
      );
      await services.report(SERVICE_BINARIES.protection, serviceHost, new Date());
      const bind = opts.host ?? '127.0.0.1';
      let authorize: ApiServerOptions['authorize'];
      if (opts.keystoneUrl) {
        const authorizer = host.load<{ handler: NonNullable<ApiServerOptions['authorize']> }>(AUTHORIZER_MODULE).handler;
        authorize = (event) => host.run(() => authorizer(event));
      }
      const verifyJwt = opts.jwt ? jwtVerifier(opts.jwt) : undefined;
      const created = createApiServer({ moduleRoot: opts.moduleRoot, host, log: opts.log, authorize, verifyJwt, consoleDir: opts.consoleDir });
      server = created;
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(opts.port, bind, () => resolve());
      });
      const address = created.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      return { url: `http://${bind}:${port}`, port, scheduler, bus, dynamoEndpoint: endpoint, ...(drRegion ? { drRegion } : {}), host, stop };
    });
  } catch (error) {
    await stop();
    throw error;
  }
};
