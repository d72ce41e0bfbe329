import { InvalidInputError, NotFoundError } from '../../../../../shared/kernel/errors';
import { parseListOptions } from '../../../../../shared/kernel/list-options';
import { listProviders, showProvider } from '../../../../../shared/features/providers/use-cases';
import { type Provider, type ProviderCatalog, providerListRules } from '../../../../../shared/features/providers/model';

const provider = (id: string, name: string): Provider => ({
  id,
  name,
  description: `${name} description`,
  bank: 'default',
  plugins: {},
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
});

const catalog: ProviderCatalog = {
  all: () => [
    provider('cccccccc-0000-0000-0000-000000000003', 'C'),
    provider('aaaaaaaa-0000-0000-0000-000000000001', 'A'),
    provider('bbbbbbbb-0000-0000-0000-000000000002', 'B'),
  ],
};

const list = (query: Record<string, string>, isAdmin = false) => listProviders(catalog, parseListOptions(query, providerListRules, isAdmin)).map((p) => p.name);

describe('listProviders', () => {
  it('lists in id order', () => {
    expect(list({})).toEqual(['A', 'B', 'C']);
  });

  it('pages with limit and marker', () => {
    expect(list({ limit: '2' })).toEqual(['A', 'B']);
    expect(list({ limit: '2', marker: 'bbbbbbbb-0000-0000-0000-000000000002' })).toEqual(['C']);
  });

  it('refuses an unknown marker with 404', () => {
    expect(() => list({ marker: 'dddddddd-0000-0000-0000-000000000004' })).toThrow(NotFoundError);
  });

  it('filters by exact name and ignores filters a member may not use', () => {
    expect(list({ name: 'B' })).toEqual(['B']);
    expect(list({ id: 'aaaaaaaa-0000-0000-0000-000000000001' })).toEqual(['A', 'B', 'C']);
    expect(list({ id: 'aaaaaaaa-0000-0000-0000-000000000001' }, true)).toEqual(['A']);
  });
});

describe('showProvider', () => {
  it('finds a provider by id', () => {
    expect(showProvider(catalog, 'aaaaaaaa-0000-0000-0000-000000000001').name).toBe('A');
  });

  it('refuses a non-uuid id with 400 and an unknown one with 404', () => {
    expect(() => showProvider(catalog, 'not-a-uuid')).toThrow(new InvalidInputError('Invalid provider id provided.'));
    expect(() => showProvider(catalog, '9b1d0f4e-7a3c-4d2e-9f55-000000000001')).toThrow(
      new NotFoundError('Provider 9b1d0f4e-7a3c-4d2e-9f55-000000000001 could not be found.'),
    );
  });
});
