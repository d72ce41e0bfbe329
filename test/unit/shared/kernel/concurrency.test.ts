import { mapLimit } from '../../../../shared/kernel/concurrency';

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let most = 0;
    const slow = async (n: number) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, (7 - n) % 3));
      running -= 1;
      return n * 10;
    };
    // Act
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, slow);
    // Assess
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it('answers an empty list without calling, and passes the first failure on', async () => {
    const fn = jest.fn(async (n: number) => n);
    expect(await mapLimit([], 4, fn)).toEqual([]);
    expect(fn).not.toHaveBeenCalled();
    await expect(mapLimit([1, 2], 2, async (n) => (n === 2 ? Promise.reject(new Error('no 2')) : n))).rejects.toThrow('no 2');
  });
});
