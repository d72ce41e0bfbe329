import type { ProviderCatalog } from './model';
import { loadProviders } from './registry';

/** The providers of this runtime, loaded and validated once per process. */
export const providerCatalog = (): ProviderCatalog => {
  const providers = loadProviders();
  return { all: () => providers };
};
