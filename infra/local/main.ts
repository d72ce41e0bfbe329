import { createServer } from 'node:net';
import path from 'node:path';
import * as config from '../../shared/config';
import { checkProviderFiles } from '../../shared/features/providers/config';
import { CONFIG_FILES } from '../../shared/features/providers/registry';
import { setRequestLogHook } from '../../shared/observability/logger';
import { findRepoRoot } from '../repo-root';
import { JavaMissingError } from './dynamo-local';
import { DR, drDataDir } from './dr-region';
import { type LocalRuntime, startLocalRuntime } from './runtime';

/*
 * `npm start`: the whole system on 127.0.0.1. Its settings (PORT,
 * KARBOR_DATA_DIR, KARBOR_IN_MEMORY, DYNAMODB_LOCAL_PORT, KARBOR_KEYSTONE_URL,
 * ...) are in shared/config.ts.
 */

/** Whether something already listens on `port` (0, any free port, never is). */
const portTaken = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (port === 0) return resolve(false);
    const probe = createServer()
      .once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRINUSE'))
      .once('listening', () => probe.close(() => resolve(false)))
      .listen(port, '127.0.0.1');
  });

/**
 * The console, rebuilt when a source is newer than its build (console/build.js,
 * plain JS, loaded from the repo at run time); after the port check, so a taken
 * port is said at once. A console that cannot be built leaves the API running.
 */
const buildConsole = async (repoRoot: string, stage: (line: string) => void): Promise<string | undefined> => {
  const t = performance.now();
  try {
    const { ensureConsole } = require(path.join(repoRoot, 'console', 'build.js')) as { ensureConsole: () => Promise<{ dir: string; built: boolean }> };
    const { dir, built } = await ensureConsole();
    stage(built ? `console built (${((performance.now() - t) / 1000).toFixed(1)} s)` : 'console build up to date');
    return dir;
  } catch (error) {
    console.error(`karbor: the console could not be built, /console/ will be missing: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
};

const main = async (): Promise<void> => {
  try {
    config.checkConfig();
    checkProviderFiles(CONFIG_FILES);
  } catch (error) {
    // A bad setting or provider file stops the start, naming it.
    console.error(`karbor: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const port = config.port();
  // The DR side of the local walk-through (docs/decisions.md §26) keeps its data below the primary's.
  const drSite = config.site() === 'dr';
  const baseDir = config.inMemory() ? undefined : path.resolve(config.dataDir());
  const dataDir = baseDir && drSite ? drDataDir(baseDir) : baseDir;
  const dr = drSite
    ? ({ role: 'dr-site' } as const)
    : config.localDr()
      ? ({ role: 'primary', ...(baseDir ? { dataDir: drDataDir(baseDir) } : {}) } as const)
      : undefined;
  const localKeystoneUrl = config.localKeystoneUrl();
  const jwtIssuer = config.localJwtIssuer();
  let runtime: LocalRuntime | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (runtime) console.log('karbor: stopping (jobs, then DynamoDB Local) ...');
    await runtime?.stop();
    if (runtime) console.log('karbor: stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));
  process.on('uncaughtException', (error) => {
    console.error(error);
    void shutdown(1);
  });
  // The handlers log one JSON line per request (Powertools Logger, as on Lambda); a person at a terminal gets them readable.
  process.env.POWERTOOLS_SERVICE_NAME ??= 'karbor-local';
  if (process.stdout.isTTY) {
    setRequestLogHook((e, level) =>
      console.log(
        [
          new Date().toISOString(),
          level.padEnd(5),
          e.method,
          e.route,
          e.status,
          `${e.latencyMs}ms`,
          e.requestId,
          e.project && `project=${e.project}`,
          e.user && `user=${e.user}`,
          e.fault && `- ${e.fault}`,
        ]
          .filter(Boolean)
          .join(' '),
      ),
    );
  }
  // A taken port is said at once, before DynamoDB Local's JVM takes its seconds to start.
  const taken = await portTaken(port);
  if (taken) {
    console.error(`karbor: start-up failed: port ${port} on 127.0.0.1 is in use (another npm start?); choose another: PORT=${port + 1} npm start`);
    process.exit(1);
  }
  const stage = (line: string) => console.log(`karbor: ${line}`);
  stage(`settings checked; port ${port} on 127.0.0.1 is free`);
  const repoRoot = findRepoRoot(__dirname);
  const consoleDir = await buildConsole(repoRoot, stage);
  try {
    // The build sits beside this file: .build/infra/local/main.js -> .build/
    runtime = await startLocalRuntime({
      stage,
      port,
      dataDir,
      dynamoPort: config.dynamoLocalPort(),
      moduleRoot: path.resolve(__dirname, '..', '..'),
      log: config.logRequests() ? (line) => console.log(line) : undefined,
      eventLog: (line) => console.log(line),
      keystoneUrl: localKeystoneUrl,
      jwt: jwtIssuer ? { issuer: jwtIssuer, audience: config.localJwtAudience(), jwksUrl: config.localJwksUrl() } : undefined,
      consoleDir,
      dr,
    });
  } catch (error) {
    console.error(error instanceof JavaMissingError ? error.message : `karbor: start-up failed: ${String(error)}`);
    process.exit(1);
  }
  const auth = localKeystoneUrl
    ? `keystone: tokens are validated by Keystone at ${localKeystoneUrl}`
    : jwtIssuer
      ? `jwt: tokens are JWTs from ${jwtIssuer} (X-Auth-Token or OS_AUTH_TOKEN)`
      : `noauth: any "<user>:<project>" token; try karbor --os-auth-token admin:demo --os-no-client-auth --karbor-url ${runtime.url}/v1/demo provider-list`;
  console.log(
    [
      `Karbor API on ${runtime.url}/v1/<project>`,
      `  console:        ${runtime.url}/console/ (sign in with a project and a token${localKeystoneUrl || jwtIssuer ? '' : ', e.g. demo and alice:demo'})`,
      `  API docs:       ${runtime.url}/docs/ (OpenAPI: ${runtime.url}/openapi.json)`,
      `  DynamoDB Local: ${runtime.dynamoEndpoint} (table ${config.tableName()})`,
      ...(drSite
        ? [`  DR Region:      this is the DR side (${DR.region}): import its catalog with POST /v1/<project>/catalog/import {"import": {"bank": "${DR.name}"}}`]
        : []),
      ...(runtime.drRegion
        ? [
            `  DR Region:      ${DR.region}, DynamoDB Local ${runtime.drRegion.dynamoEndpoint}, bank ${runtime.drRegion.bankDir} (destination ${DR.name}; npm run start:dr once this is stopped)`,
          ]
        : []),
      ...(config.ec2Endpoint() ? [`  EC2:            ${config.ec2Endpoint()} (AWS provider's EC2 and EBS, region ${config.awsRegion()})`] : []),
      `  data:           ${dataDir ?? 'in memory (KARBOR_IN_MEMORY)'}`,
      `  auth mode:      ${auth}`,
      '  request logs:   one line per request on stdout; find one with grep <req-id the CLI printed>',
      '  stop:           Ctrl+C',
    ].join('\n'),
  );
};

void main();
