import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fsBank } from '../../../../../../shared/features/protection/adapters/fs-bank';

describe('file-system bank', () => {
  const root = () => mkdtempSync(path.join(tmpdir(), 'bank-test-'));

  it('puts, gets, lists by prefix and deletes a folder', async () => {
    // Prepare
    const bank = fsBank(root());
    await bank.put('checkpoints/c1/T#a/x.json', '1');
    await bank.put('checkpoints/c1/T#b/y.json', '2');
    await bank.put('checkpoints/c2/T#a/x.json', '3');
    // Act
    const listed = await bank.list('checkpoints/c1/');
    await bank.deletePrefix('checkpoints/c1/');
    // Assess
    expect(listed).toEqual(['checkpoints/c1/T#a/x.json', 'checkpoints/c1/T#b/y.json']);
    expect(await bank.get('checkpoints/c1/T#a/x.json')).toBeUndefined();
    expect(await bank.get('checkpoints/c2/T#a/x.json')).toBe('3');
  });

  it('refuses keys that leave the bank', async () => {
    // Prepare
    const bank = fsBank(root());
    // Act / Assess
    await expect(bank.put('../escape.json', 'x')).rejects.toThrow('leaves the bank');
  });
});
