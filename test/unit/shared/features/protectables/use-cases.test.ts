import { InvalidInputError, NotFoundError, ServiceError } from '../../../../../shared/kernel/errors';
import { emptySource, projectSource } from '../../../../../shared/features/protectables/sources';
import {
  dependentTypes,
  listProtectableInstances,
  parseInstanceParameters,
  showProtectableInstance,
  showProtectableType,
  unseenResource,
} from '../../../../../shared/features/protectables/use-cases';
import { type InstanceSource, type InstanceSources, PROTECTABLE_TYPES } from '../../../../../shared/features/protectables/model';

/** An in-memory source: instances of one type, dependents by parent id. */
const fakeSource = (type: string, ids: string[], dependents: Record<string, string[]> = {}): InstanceSource => ({
  notFoundReason: 'not here',
  list: async () => ids.map((id) => ({ id, type, name: id, extra_info: null })),
  show: async (_ctx, id) => (ids.includes(id) ? { id, type, name: id, extra_info: null } : undefined),
  dependentsOf: async (_ctx, parent) => (dependents[parent.id] ?? []).map((id) => ({ id, type, name: id, extra_info: null })),
});

const sources = (): InstanceSources => {
  const all: InstanceSources = Object.fromEntries(PROTECTABLE_TYPES.map((t) => [t, emptySource(t)]));
  all['OS::Keystone::Project'] = projectSource;
  all['AWS::EC2::Instance'] = fakeSource('AWS::EC2::Instance', ['i-1', 'i-2', 'i-3'], { p1: ['i-1', 'i-2', 'i-3'] });
  all['AWS::EC2::Volume'] = fakeSource('AWS::EC2::Volume', ['vol-1'], { 'i-1': ['vol-1'] });
  return all;
};
const ctx = { projectId: 'p1' };

describe('protectable types', () => {
  it('lists Karbor’s types in plugin-name order, then the AWS types', () => {
    expect(PROTECTABLE_TYPES.slice(0, 8)).toEqual([
      'OS::Trove::Instance',
      'OS::Glance::Image',
      'OS::Neutron::Network',
      'OS::Kubernetes::Pod',
      'OS::Keystone::Project',
      'OS::Nova::Server',
      'OS::Manila::Share',
      'OS::Cinder::Volume',
    ]);
    expect(PROTECTABLE_TYPES).toEqual(expect.arrayContaining(['AWS::EC2::Instance', 'AWS::EC2::Volume', 'AWS::DynamoDB::Table']));
  });

  it('derives dependent types from parent types', () => {
    expect(dependentTypes('OS::Nova::Server')).toEqual(['OS::Glance::Image', 'OS::Cinder::Volume']);
    expect(dependentTypes('OS::Kubernetes::Pod')).toEqual(['OS::Cinder::Volume']);
    expect(dependentTypes('AWS::EC2::Instance')).toEqual(['AWS::EC2::Volume']);
    expect(dependentTypes('OS::Cinder::Volume')).toEqual([]);
    expect(dependentTypes('OS::Keystone::Project')).toHaveLength(PROTECTABLE_TYPES.length - 1);
  });

  it('refuses an unknown type with Karbor’s 400', () => {
    expect(() => showProtectableType('OS::Foo::Bar')).toThrow(new InvalidInputError('Invalid input received: Invalid protectable type provided.'));
  });
});

describe('protectable instances', () => {
  it('shows the caller’s project as the one project instance, with its dependents', async () => {
    const view = await showProtectableInstance(sources(), ctx, 'OS::Keystone::Project', 'p1');
    expect(view).toMatchObject({ id: 'p1', type: 'OS::Keystone::Project', name: null, extra_info: null });
    expect(view.dependent_resources.map((d) => d.id)).toEqual(['i-1', 'i-2', 'i-3']);
  });

  it('lists a server’s attached volumes as its dependents', async () => {
    const list = await listProtectableInstances(sources(), ctx, 'AWS::EC2::Instance', { limit: 1000 });
    expect(list.map((i) => [i.id, i.dependent_resources.map((d) => d.id)])).toEqual([
      ['i-1', ['vol-1']],
      ['i-2', []],
      ['i-3', []],
    ]);
  });

  it('pages instances after the marker', async () => {
    const list = await listProtectableInstances(sources(), ctx, 'AWS::EC2::Instance', { limit: 1, marker: 'i-1' });
    expect(list.map((i) => i.id)).toEqual(['i-2']);
  });

  it('answers an unknown instance with Karbor’s 404 text', async () => {
    await expect(showProtectableInstance(sources(), ctx, 'OS::Nova::Server', 'x')).rejects.toThrow(
      new NotFoundError('The resource x of type OS::Nova::Server could not be found: no OS::Nova::Server inventory is available here'),
    );
    await expect(showProtectableInstance(sources(), ctx, 'OS::Keystone::Project', 'other')).rejects.toThrow(NotFoundError);
  });

  it('reports a failing inventory as Karbor’s list failure', async () => {
    const broken = sources();
    broken['AWS::EC2::Instance'] = {
      ...fakeSource('AWS::EC2::Instance', []),
      list: async () => {
        throw new Error('throttled');
      },
    };
    await expect(listProtectableInstances(broken, ctx, 'AWS::EC2::Instance', { limit: 5 })).rejects.toThrow(
      new ServiceError('List protectable resources of type AWS::EC2::Instance failed: throttled'),
    );
  });
});

describe('parseInstanceParameters', () => {
  it('accepts a JSON object or a Python dict literal', () => {
    expect(parseInstanceParameters('{"a": 1}')).toEqual({ a: 1 });
    expect(parseInstanceParameters("{'a': True}")).toEqual({ a: true });
    expect(parseInstanceParameters(undefined)).toBeUndefined();
  });

  it.each(['abc', '[1]', '5'])('refuses %s with Karbor’s 400', (raw) => {
    expect(() => parseInstanceParameters(raw)).toThrow(new InvalidInputError('Invalid input received: The parameters must be a dict.'));
  });
});

describe('unseenResource (the plan check)', () => {
  it('answers the first resource the project’s member view does not show, with the source’s reason', async () => {
    // Prepare
    const seenAs: unknown[] = [];
    const all = sources();
    const ec2 = all['AWS::EC2::Instance'];
    all['AWS::EC2::Instance'] = {
      ...ec2,
      show: async (c, id) => {
        seenAs.push(c);
        return ec2.show(c, id);
      },
    };
    // Act
    const found = await unseenResource(all, 'p1', [
      { type: 'AWS::EC2::Instance', id: 'i-1' },
      { type: 'OS::Keystone::Project', id: 'p2' },
      { type: 'AWS::EC2::Instance', id: 'i-9' },
    ]);
    // Assess
    expect(found).toEqual({ type: 'OS::Keystone::Project', id: 'p2', reason: "only the caller's own project can be protected" });
    expect(seenAs).toEqual([
      { projectId: 'p1', isAdmin: false },
      { projectId: 'p1', isAdmin: false },
    ]);
  });

  it('refuses an inventoried type this runtime has no inventory of, and takes Karbor’s other OpenStack types on trust', async () => {
    expect(
      await unseenResource(sources(), 'p1', [
        { type: 'OS::Nova::Server', id: 'vm' },
        { type: 'OS::Keystone::Project', id: 'p1' },
      ]),
    ).toBeUndefined();
    expect(await unseenResource(sources(), 'p1', [{ type: 'AWS::DynamoDB::Table', id: 't' }])).toEqual({
      type: 'AWS::DynamoDB::Table',
      id: 't',
      reason: 'no AWS::DynamoDB::Table inventory is available here',
    });
  });

  it('turns a discovery failure into a 500 naming the resource', async () => {
    const all = sources();
    all['AWS::EC2::Volume'] = { ...all['AWS::EC2::Volume'], show: async () => Promise.reject(new Error('throttled')) };
    await expect(unseenResource(all, 'p1', [{ type: 'AWS::EC2::Volume', id: 'vol-1' }])).rejects.toThrow(
      new ServiceError('Show protectable resource vol-1 of type AWS::EC2::Volume failed: throttled'),
    );
  });
});
