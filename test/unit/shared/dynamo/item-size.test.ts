import { itemSize, storedSize } from '../../../../shared/dynamo/item-size';

describe('item-size', () => {
  it('estimates item sizes from UTF-8 lengths of names and values', () => {
    expect(itemSize('héllo')).toBe(6);
    expect(itemSize({ ab: 'xyz' })).toBe(3 + 1 + 2 + 3);
    expect(itemSize(['x', null])).toBe(3 + 2 + 2);
  });

  it('counts every attribute name of a whole item', () => {
    expect(storedSize({ PK: 'ab', n: 1 })).toBe(2 + 2 + 1 + 21);
  });
});
