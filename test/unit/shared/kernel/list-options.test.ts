import { InvalidInputError } from '../../../../shared/kernel/errors';
import { type ListRules, parseListOptions } from '../../../../shared/kernel/list-options';

const rules: ListRules = { sortKeys: ['created_at', 'name', 'id'], memberFilters: ['name', 'status'], adminFilters: ['project_id'], allTenants: true };

const failure = (query: Record<string, string>, isAdmin = false): string => {
  try {
    parseListOptions(query, rules, isAdmin);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('parseListOptions', () => {
  it('defaults to Karbor’s page of 1000 and no sort', () => {
    expect(parseListOptions({}, rules, false)).toEqual({
      limit: 1000,
      marker: undefined,
      offset: 0,
      sort: [],
      filters: {},
      allTenants: false,
    });
  });

  it('clamps a limit over 1000', () => {
    expect(parseListOptions({ limit: '5000' }, rules, false).limit).toBe(1000);
  });

  it.each([
    [{ limit: 'abc' }, 'limit param must be an integer'],
    [{ limit: '1.5' }, 'limit param must be an integer'],
    [{ limit: '0' }, 'limit param must be positive'],
    [{ limit: '-3' }, 'limit param must be positive'],
    [{ offset: 'x' }, 'offset must be an integer.'],
    [{ offset: '-1' }, 'offset must be >= 0'],
    [{ offset: '2147483648' }, 'offset must be <= 2147483647'],
    [{ sort: 'name:asc', sort_key: 'name' }, "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter."],
    [{ sort: 'name:up' }, "Invalid input received: Unknown sort direction, must be 'desc' or 'asc'."],
    [{ sort: 'nosuchkey:asc' }, "Invalid input received: Unknown sort key 'nosuchkey'."],
  ])('refuses %j with Karbor’s message', (query, message) => {
    expect(failure(query)).toBe(message);
  });

  it('parses sort with a default direction of desc, and the legacy pair', () => {
    expect(parseListOptions({ sort: 'name:asc,id' }, rules, false).sort).toEqual([
      { key: 'name', dir: 'asc' },
      { key: 'id', dir: 'desc' },
    ]);
    expect(parseListOptions({ sort_key: 'name' }, rules, false).sort).toEqual([{ key: 'name', dir: 'desc' }]);
  });

  it('drops filters a member may not use and keeps an admin’s', () => {
    const query = { name: 'a,b', project_id: 'p2', foo: 'x' };
    expect(parseListOptions(query, rules, false).filters).toEqual({ name: ['a', 'b'] });
    expect(parseListOptions(query, rules, true).filters).toEqual({ name: ['a', 'b'], project_id: ['p2'] });
  });

  it('honours all_tenants for admins only and refuses a non-boolean', () => {
    expect(parseListOptions({ all_tenants: 'Yes' }, rules, true).allTenants).toBe(true);
    expect(parseListOptions({ all_tenants: '1' }, rules, false).allTenants).toBe(false);
    expect(failure({ all_tenants: 'maybe' }, true)).toBe('Value maybe for all_tenants is not a boolean.');
  });
});
