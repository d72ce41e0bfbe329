import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { queryItems } from '../../../../shared/dynamo/query';
import { createTestTable, testClients } from '../../../support/dynamo';

/** 250 items in one GSI1 partition, in the order of their number; every third is of kind `three`. */
const item = (n: number) => ({
  PK: `ITEM#${n}`,
  SK: 'A',
  GSI1PK: 'LIST',
  GSI1SK: String(n).padStart(4, '0'),
  n,
  kind: n % 3 === 0 ? 'three' : 'other',
});

describe('queryItems', () => {
  const { doc } = testClients();
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('query');
    const items = Array.from({ length: 250 }, (_, i) => item(i));
    for (let i = 0; i < items.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  });
  const base = () => ({ doc, table, index: 'GSI1' as const, pk: 'LIST', map: (i: Record<string, unknown>) => i.n as number });

  it('skips an item its mapper cannot read, logging its key and not its content', async () => {
    // Prepare: every item readable but 5, whose mapper throws
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const map = (i: Record<string, unknown>) => {
      if (i.n === 5) throw new SyntaxError('secret content');
      return i.n as number;
    };
    // Act
    const page = await queryItems({ ...base(), map, ascending: true, limit: 7 });
    // Assess
    expect(page.items).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toContain('ITEM#5');
    expect(errors.mock.calls[0][0]).not.toContain('secret');
    errors.mockRestore();
  });

  it('reads a page in index order, either way', async () => {
    expect((await queryItems({ ...base(), ascending: true, limit: 3 })).items).toEqual([0, 1, 2]);
    expect((await queryItems({ ...base(), ascending: false, limit: 3 })).items).toEqual([249, 248, 247]);
  });

  it('resumes after the marker item, whatever the direction', async () => {
    const after = item(10);
    expect((await queryItems({ ...base(), ascending: true, limit: 2, after })).items).toEqual([11, 12]);
    expect((await queryItems({ ...base(), ascending: false, limit: 2, after })).items).toEqual([9, 8]);
  });

  it('fills a filtered page across Query pages, after an offset, within a sort key range', async () => {
    // Act
    const page = await queryItems({
      ...base(),
      ascending: true,
      between: ['0100', '0249'],
      filter: { expression: 'kind = :k', values: { ':k': 'three' } },
      keep: (n) => n % 2 === 0,
      offset: 1,
      limit: 5,
    });
    // Assess: multiples of 6 from 100 on, the first skipped
    expect(page.items).toEqual([108, 114, 120, 126, 132]);
  });

  it('stops at its read budget and says where, so the next page resumes there', async () => {
    // Act
    const page = await queryItems({ ...base(), ascending: true, keep: (n) => n > 1000, limit: 10, budget: 150 });
    // Assess
    expect(page.items).toEqual([]);
    expect(page.stoppedAt).toMatchObject({ GSI1PK: 'LIST' });
    const next = await queryItems({ ...base(), ascending: true, limit: 1, after: page.stoppedAt });
    expect(next.items[0]).toBeGreaterThanOrEqual(150);
  });

  it('reads a whole partition when the limit is unbounded', async () => {
    expect((await queryItems({ ...base(), ascending: true, limit: Infinity })).items).toHaveLength(250);
  });
});
