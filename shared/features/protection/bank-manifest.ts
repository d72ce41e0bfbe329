import { createHash } from 'node:crypto';
import type { Bank } from '../../kernel/ports';
import { checkpointPrefix } from './bank';

/**
 * The bank manifest (docs/decisions.md, "Verification"): once a checkpoint's
 * resources are protected, every object the protect wrote under its bank
 * folder gets a SHA-256 in `manifest.json` there, and the manifest's own
 * SHA-256 goes onto the checkpoint's item in the table. Someone who can
 * rewrite the bank but not the table then cannot change an object (or the
 * manifest) without a verification naming it.
 */

export const MANIFEST_NAME = 'manifest.json';

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Manifest {
  version: 1;
  algorithm: 'sha256';
  /** Key below the checkpoint's folder (`<type>#<id>/<name>`) -> the object's SHA-256 (hex) at protect. */
  objects: Record<string, string>;
}

/**
 * Writes the manifest of every object now under the checkpoint's folder; returns the manifest's digest and the
 * bytes of the objects it read (the checkpoint's part of the bank's size, docs/decisions.md §23).
 */
export const writeBankManifest = async (bank: Bank, checkpointId: string): Promise<{ digest: string; bytes: number }> => {
  const prefix = checkpointPrefix(checkpointId);
  const objects: Record<string, string> = {};
  let bytes = 0;
  for (const key of await bank.list(prefix)) {
    const name = key.slice(prefix.length);
    if (name === MANIFEST_NAME) continue;
    const body = await bank.get(key);
    if (body === undefined) continue;
    objects[name] = sha256(body);
    bytes += Buffer.byteLength(body, 'utf8');
  }
  const text = JSON.stringify({ version: 1, algorithm: 'sha256', objects } satisfies Manifest);
  await bank.put(prefix + MANIFEST_NAME, text);
  return { digest: sha256(text), bytes: bytes + Buffer.byteLength(text, 'utf8') };
};

/** What a recheck of the bank found (JSON: a job step's result). */
export type BankCheck =
  /** The checkpoint was taken before manifests: nothing to compare against. */
  | { kind: 'none' }
  /** The manifest is missing or differs from the digest in the table: no object can be trusted. */
  | { kind: 'untrusted'; reason: string }
  /** `changed`: names (below the checkpoint's folder) of objects missing or differing from their digest; `count`: objects checked. */
  | { kind: 'checked'; count: number; changed: string[] };

/** Rechecks every object of the manifest against its digest, and the manifest against the table's digest. */
export const checkBankManifest = async (bank: Bank, checkpointId: string, expected: string | undefined): Promise<BankCheck> => {
  if (expected === undefined) return { kind: 'none' };
  const prefix = checkpointPrefix(checkpointId);
  const text = await bank.get(prefix + MANIFEST_NAME);
  if (text === undefined) return { kind: 'untrusted', reason: `bank object ${prefix}${MANIFEST_NAME} is missing` };
  if (sha256(text) !== expected) return { kind: 'untrusted', reason: `bank object ${prefix}${MANIFEST_NAME} differs from the digest kept in the table` };
  const manifest = JSON.parse(text) as Manifest;
  const changed: string[] = [];
  for (const [name, digest] of Object.entries(manifest.objects)) {
    const body = await bank.get(prefix + name);
    if (body === undefined || sha256(body) !== digest) changed.push(name);
  }
  return { kind: 'checked', count: Object.keys(manifest.objects).length, changed };
};
