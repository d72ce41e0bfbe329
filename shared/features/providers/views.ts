import type { Provider } from './model';

/** The provider view, as Karbor's providers controller returns it. */
export const providerView = (p: Provider) => ({
  id: p.id,
  name: p.name,
  description: p.description,
  extended_info_schema: p.extendedInfoSchema,
});
