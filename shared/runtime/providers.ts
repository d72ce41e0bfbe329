import type { ProviderCatalog } from '../domain/providers';
import { loadProviders } from '../providers/registry';

/** The providers of this runtime, loaded and validated once per process. */
export const providerCatalog = (): ProviderCatalog => {
  const providers = loadProviders();
  return { all: () => providers };
};
