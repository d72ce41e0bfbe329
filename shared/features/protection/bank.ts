import type { Bank } from '../../kernel/ports';

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
