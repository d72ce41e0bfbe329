import { InvalidInputError, NotFoundError } from '../../kernel/errors';
import type { ListOptions } from '../../kernel/list-options';
import { isUuidLike } from '../../kernel/uuid';
import type { Provider, ProviderCatalog } from './model';

/**
 * Lists providers in id order (sort keys are validated, then ignored, as Karbor).
 * 1. keep the providers whose filtered fields equal the filter value exactly;
 * 2. start after the marker (404 when it names no provider);
 * 3. cut to the limit.
 */
export const listProviders = (catalog: ProviderCatalog, options: ListOptions): Provider[] => {
  let items = [...catalog.all()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((p) =>
      Object.entries(options.filters).every(([key, values]) => {
        const field = key === 'id' ? p.id : key === 'name' ? p.name : key === 'description' ? p.description : undefined;
        return field === undefined || values.includes(field) || values.join(',') === field;
      }),
    );
  if (options.marker !== undefined) {
    const at = items.findIndex((p) => p.id === options.marker);
    if (at < 0) throw new NotFoundError(`Provider ${options.marker} could not be found.`);
    items = items.slice(at + 1);
  }
  return items.slice(options.offset, options.offset + options.limit);
};

/** Finds a provider by id; `id` must be uuid-like (400) and known (404). */
export const showProvider = (catalog: ProviderCatalog, id: string): Provider => {
  if (!isUuidLike(id)) throw new InvalidInputError('Invalid provider id provided.');
  const found = catalog.all().find((p) => p.id === id);
  if (!found) throw new NotFoundError(`Provider ${id} could not be found.`);
  return found;
};
