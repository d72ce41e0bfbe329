import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Bank } from '../../../kernel/ports';

/**
 * The local bank: one file per key under `root` (the local runtime puts it
 * in the data dir, `<KARBOR_DATA_DIR>/bank`). Keys never leave the root.
 */
export const fsBank = (root: string): Bank => {
  const file = (key: string) => {
    const full = path.resolve(root, key);
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`bank key ${key} leaves the bank`);
    return full;
  };
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
      if (e.isDirectory()) out.push(...(await walk(full)));
      else if (!e.name.endsWith('.tmp')) out.push(full);
    }
    return out;
  };
  return {
    async put(key, body) {
      const target = file(key);
      await mkdir(path.dirname(target), { recursive: true });
      // Write then rename: a reader never sees half an object.
      const tmp = `${target}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, body, 'utf8');
      await rename(tmp, target);
    },
    async get(key) {
      try {
        return await readFile(file(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async list(prefix) {
      const base = path.resolve(root);
      const keys = (await walk(base)).map((f) => path.relative(base, f).split(path.sep).join('/'));
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
    async deletePrefix(prefix) {
      // Prefixes are folders (`checkpoints/<id>/`); remove the folder itself.
      if (prefix.endsWith('/')) {
        await rm(file(prefix.slice(0, -1)), { recursive: true, force: true });
        return;
      }
      for (const key of await this.list(prefix)) await rm(file(key), { force: true });
    },
  };
};
