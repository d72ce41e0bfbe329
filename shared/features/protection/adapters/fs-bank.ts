import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BankRetention, type Clock, type LockableBank, systemClock } from '../../../kernel/ports';

/** An object version's lock, kept beside it as JSON. */
interface VersionLock {
  retention?: BankRetention;
  legalHold?: boolean;
}

/** Folders under the root that hold no current object: locks of current objects, and noncurrent versions. */
const LOCKS = '.locks';
const VERSIONS = '.versions';

/**
 * The local bank: one file per key under `root` (the local runtime puts it
 * in the data dir, `<KARBOR_DATA_DIR>/bank`). Keys never leave the root.
 *
 * It behaves like an S3 bucket with versioning and Object Lock
 * (docs/decisions.md §19): a write over a key keeps the old content as a
 * noncurrent version (`.versions/<key>/<version>`), a lock or legal hold is
 * a JSON file beside the version (`.locks/<key>.json` for the current one),
 * and a delete turns the current version noncurrent, then removes every
 * noncurrent version no lock needs any more (S3's lifecycle, without its
 * wait). A locked version therefore stays until its date, or its hold's
 * release.
 */
export const fsBank = (root: string, clock: Clock = systemClock): LockableBank => {
  const base = path.resolve(root);
  const file = (key: string) => {
    const full = path.resolve(root, key);
    if (!full.startsWith(base + path.sep)) throw new Error(`bank key ${key} leaves the bank`);
    return full;
  };
  const lockFile = (key: string) => `${file(path.posix.join(LOCKS, key))}.json`;
  const versionDir = (key: string) => file(path.posix.join(VERSIONS, key));
  const walk = async (dir: string): Promise<string[]> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (dir !== base || (e.name !== LOCKS && e.name !== VERSIONS)) out.push(...(await walk(full)));
      } else if (!e.name.endsWith('.tmp')) out.push(full);
    }
    return out;
  };
  const readText = async (full: string): Promise<string | undefined> => {
    try {
      return await readFile(full, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  const writeAtomically = async (target: string, body: string) => {
    await mkdir(path.dirname(target), { recursive: true });
    // Write then rename: a reader never sees half an object.
    const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tmp, body, 'utf8');
    await rename(tmp, target);
  };
  const moveIfThere = async (from: string, to: string) => {
    try {
      await mkdir(path.dirname(to), { recursive: true });
      await rename(from, to);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  const readLock = async (full: string): Promise<VersionLock> => JSON.parse((await readText(full)) ?? '{}') as VersionLock;
  const binds = (lock: VersionLock, now: string) => lock.legalHold === true || (lock.retention !== undefined && lock.retention.until > now);
  /** The current version becomes noncurrent, with its lock. */
  const retire = async (key: string) => {
    const version = path.join(versionDir(key), `${clock.now().getTime()}-${randomUUID()}`);
    await moveIfThere(lockFile(key), `${version}.lock.json`);
    await moveIfThere(file(key), version);
  };
  /** Removes the key's noncurrent versions that no retention or hold keeps. */
  const expire = async (key: string) => {
    const dir = versionDir(key);
    const now = clock.now().toISOString();
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => !n.endsWith('.json'))) {
      if (binds(await readLock(path.join(dir, `${name}.lock.json`)), now)) continue;
      await rm(path.join(dir, `${name}.lock.json`), { force: true });
      await rm(path.join(dir, name), { force: true });
    }
  };
  const list = async (prefix: string) => {
    const keys = (await walk(base)).map((f) => path.relative(base, f).split(path.sep).join('/'));
    return keys.filter((k) => k.startsWith(prefix)).sort();
  };
  return {
    async put(key, body) {
      const target = file(key);
      if ((await readText(target)) !== undefined) await retire(key);
      await writeAtomically(target, body);
    },
    get: (key) => readText(file(key)),
    list,
    async deletePrefix(prefix) {
      for (const key of await list(prefix)) {
        await retire(key);
        await expire(key);
      }
      // A folder prefix (`checkpoints/<id>/`) leaves no empty folders behind.
      if (prefix.endsWith('/')) await rm(file(prefix.slice(0, -1)), { recursive: true, force: true });
    },
    async lock(prefix, retention) {
      const now = clock.now().toISOString();
      for (const key of await list(prefix)) {
        const current = await readLock(lockFile(key));
        const held = current.retention;
        // As S3 Object Lock: a running compliance retention is only extended, and stays compliance.
        if (held?.mode === 'compliance' && held.until > now && (retention === null || retention.mode !== 'compliance' || retention.until < held.until)) {
          throw new Error(`bank object ${key} is locked in compliance mode until ${held.until}`);
        }
        const next: VersionLock = { ...(retention === null ? {} : { retention }), ...(current.legalHold ? { legalHold: true } : {}) };
        await writeAtomically(lockFile(key), JSON.stringify(next));
      }
    },
    async hold(prefix, on) {
      for (const key of await list(prefix)) {
        const current = await readLock(lockFile(key));
        const next: VersionLock = { ...(current.retention ? { retention: current.retention } : {}), ...(on ? { legalHold: true } : {}) };
        await writeAtomically(lockFile(key), JSON.stringify(next));
      }
    },
  };
};
