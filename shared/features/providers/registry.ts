import type { Provider } from './model';
import aws from './config/aws.json';
import noop from './config/noop.json';
import type { ProviderConfig } from './config';

/** The configuration files, bundled into each Lambda by esbuild. Add a provider by adding its file here. */
export const CONFIG_FILES: Record<string, unknown> = { 'noop.json': noop, 'aws.json': aws };

const toProvider = (config: ProviderConfig): Provider => {
  const types = Object.entries(config.resources);
  const schemas = (key: 'options_schema' | 'restore_schema' | 'saved_info_schema' | 'verify_schema') =>
    Object.fromEntries(types.map(([type, r]) => [type, r[key]]));
  return {
    id: config.id,
    name: config.name,
    description: config.description,
    bank: config.bank,
    plugins: Object.fromEntries(types.map(([type, r]) => [type, r.plugin])),
    extendedInfoSchema: {
      options_schema: schemas('options_schema'),
      restore_schema: schemas('restore_schema'),
      saved_info_schema: schemas('saved_info_schema'),
      verify_schema: schemas('verify_schema'),
    },
  };
};

/**
 * The enabled providers of the bundled files. The files are checked by
 * `checkProviderFiles` (./config.ts) when the stack is synthesised and when
 * `npm start` starts, so a bad file never reaches a Lambda, which then needs
 * no validator (zod) at run time.
 */
export const loadProviders = (files: Record<string, unknown> = CONFIG_FILES): Provider[] =>
  Object.values(files as Record<string, ProviderConfig>)
    .filter((config) => config.enabled)
    .map(toProvider);
