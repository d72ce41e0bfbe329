import type { Provider } from './model';
import aws from './config/aws.json';
import noop from './config/noop.json';
import { providerConfig, ProviderConfig } from './config';

/** The configuration files, bundled into each Lambda by esbuild. Add a provider by adding its file here. */
const CONFIG_FILES: Record<string, unknown> = { 'noop.json': noop, 'aws.json': aws };

const toProvider = (config: ProviderConfig): Provider => {
  const types = Object.entries(config.resources);
  const schemas = (key: 'options_schema' | 'restore_schema' | 'saved_info_schema') =>
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
    },
  };
};

/** Validates every file (a bad file stops start-up, naming it) and keeps the enabled providers. */
export const loadProviders = (files: Record<string, unknown> = CONFIG_FILES): Provider[] =>
  Object.entries(files)
    .map(([file, raw]) => {
      const parsed = providerConfig.safeParse(raw);
      if (!parsed.success) throw new Error(`invalid provider configuration ${file}: ${parsed.error.message}`);
      return parsed.data;
    })
    .filter((config) => config.enabled)
    .map(toProvider);
