/**
 * The bank port: where plugins keep a checkpoint's bulk data (S3 on AWS, a
 * directory under the data dir locally). Keys are relative paths such as
 * `checkpoints/<id>/<type>#<resource id>/items-00000.json`.
 */
export interface Bank {
  put(key: string, body: string): Promise<void>;
  /** The object's text, or undefined when it does not exist. */
  get(key: string): Promise<string | undefined>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes every key under a prefix (nothing there is fine). */
  deletePrefix(prefix: string): Promise<void>;
}

/** A bank seen through one checkpoint resource's folder. */
export interface BankSection {
  readonly prefix: string;
  put(name: string, body: string): Promise<void>;
  get(name: string): Promise<string | undefined>;
  list(): Promise<string[]>;
}

export const checkpointPrefix = (checkpointId: string): string => `checkpoints/${checkpointId}/`;

export const bankSection = (bank: Bank, checkpointId: string, resourceKey: string): BankSection => {
  const prefix = `${checkpointPrefix(checkpointId)}${resourceKey}/`;
  return {
    prefix,
    put: (name, body) => bank.put(prefix + name, body),
    get: (name) => bank.get(prefix + name),
    list: async () => (await bank.list(prefix)).map((k) => k.slice(prefix.length)),
  };
};
