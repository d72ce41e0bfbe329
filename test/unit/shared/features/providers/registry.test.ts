import { checkProviderFiles } from '../../../../../shared/features/providers/config';
import { CONFIG_FILES, loadProviders } from '../../../../../shared/features/providers/registry';
import { OS_RESOURCE_TYPES } from '../../../../../shared/features/protectables/resource-types';

describe('loadProviders', () => {
  it('loads the shipped No-Op provider exactly as Karbor describes it', () => {
    // Act
    const noop = loadProviders().find((p) => p.id === 'b766f37c-d011-4026-8228-28730d734a3f');
    // Assess
    expect(noop?.name).toBe('No-Op Provider');
    expect(noop?.description).toBe('This provider does nothing for each protect and restore operation. Used for testing');
    for (const key of ['options_schema', 'restore_schema', 'saved_info_schema'] as const) {
      expect(Object.keys(noop!.extendedInfoSchema[key]).slice(0, 8)).toEqual([...OS_RESOURCE_TYPES]);
      expect(noop!.extendedInfoSchema[key]['OS::Nova::Server']).toEqual({});
    }
  });

  it('loads the AWS provider with schemas for its AWS types', () => {
    const aws = loadProviders().find((p) => p.name === 'AWS Provider');
    expect(Object.keys(aws!.extendedInfoSchema.options_schema)).toEqual(['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::DynamoDB::Table']);
    expect(aws!.extendedInfoSchema.options_schema['AWS::EC2::Volume']).toMatchObject({ type: 'object', properties: { snapshot_name: { type: 'string' } } });
  });

  it('refuses a configuration file that does not validate, naming it', () => {
    const bad = { id: 'nope', name: 'x', description: '', enabled: true, bank: 'b', resources: {} };
    expect(() => checkProviderFiles({ 'bad.json': bad })).toThrow(/invalid provider configuration bad\.json/);
  });

  it('refuses an unknown resource type', () => {
    const bad = {
      id: 'b766f37c-d011-4026-8228-28730d734a3f',
      name: 'x',
      description: '',
      enabled: true,
      bank: 'b',
      resources: { 'OS::Foo::Bar': { plugin: 'p', options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} } },
    };
    expect(() => checkProviderFiles({ 'bad.json': bad })).toThrow(/unknown resource type/);
  });

  it('accepts every shipped provider file', () => {
    expect(
      checkProviderFiles(CONFIG_FILES)
        .map((c) => c.name)
        .sort(),
    ).toEqual(['AWS Provider', 'No-Op Provider']);
  });

  it('leaves out disabled providers', () => {
    const off = { id: 'b766f37c-d011-4026-8228-28730d734a3f', name: 'x', description: '', enabled: false, bank: 'b', resources: {} };
    expect(loadProviders({ 'off.json': off })).toEqual([]);
  });
});
