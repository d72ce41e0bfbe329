import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fsBank } from '../../../../../../shared/features/protection/adapters/fs-bank';

/** Versions, retention and legal hold of the local bank on a real directory (docs/decisions.md §19). */
describe('file-system bank with Object Lock behaviour', () => {
  let now = new Date('2027-01-01T00:00:00.000Z');
  const clock = { now: () => now };
  const setup = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'bank-lock-test-'));
    return { root, bank: fsBank(root, clock) };
  };
  const versionsOf = async (root: string, key: string) =>
    (await readdir(path.join(root, '.versions', key)).catch(() => [] as string[])).filter((n) => !n.endsWith('.json'));
  beforeEach(() => {
    now = new Date('2027-01-01T00:00:00.000Z');
  });

  it('keeps the old content as a noncurrent version when a key is written again, and lists only current keys', async () => {
    // Prepare
    const { root, bank } = setup();
    await bank.put('checkpoints/c1/a.json', 'v1');
    // Act
    await bank.put('checkpoints/c1/a.json', 'v2');
    // Assess
    expect(await bank.get('checkpoints/c1/a.json')).toBe('v2');
    expect(await versionsOf(root, 'checkpoints/c1/a.json')).toHaveLength(1);
    expect(await bank.list('')).toEqual(['checkpoints/c1/a.json']);
  });

  it('a delete keeps a locked version until its date, then a later delete removes it', async () => {
    // Prepare
    const { root, bank } = setup();
    await bank.put('checkpoints/c1/a.json', 'locked data');
    await bank.put('checkpoints/c2/a.json', 'free data');
    await bank.lock('checkpoints/c1/', { mode: 'governance', until: '2027-01-10T00:00:00.000Z' });
    // Act
    await bank.deletePrefix('checkpoints/c1/');
    await bank.deletePrefix('checkpoints/c2/');
    // Assess: both are gone from view; only the locked one's data is kept
    expect(await bank.list('checkpoints/')).toEqual([]);
    expect(await versionsOf(root, 'checkpoints/c1/a.json')).toHaveLength(1);
    expect(await versionsOf(root, 'checkpoints/c2/a.json')).toHaveLength(0);
    // Act: past the date, a new delete of the prefix expires what no lock needs
    now = new Date('2027-01-11T00:00:00.000Z');
    await bank.put('checkpoints/c1/a.json', 'again');
    await bank.deletePrefix('checkpoints/c1/');
    // Assess
    expect(await versionsOf(root, 'checkpoints/c1/a.json')).toHaveLength(0);
  });

  it('a legal hold keeps the version past its retention until it is released', async () => {
    // Prepare
    const { root, bank } = setup();
    await bank.put('checkpoints/c1/a.json', 'held');
    await bank.hold('checkpoints/c1/', true);
    // Act
    await bank.deletePrefix('checkpoints/c1/');
    // Assess
    expect(await versionsOf(root, 'checkpoints/c1/a.json')).toHaveLength(1);
  });

  it('never shortens, lifts or weakens a running compliance retention, but extends it', async () => {
    // Prepare
    const { bank } = setup();
    await bank.put('checkpoints/c1/a.json', 'x');
    await bank.lock('checkpoints/c1/', { mode: 'compliance', until: '2027-02-01T00:00:00.000Z' });
    // Act / Assess
    await expect(bank.lock('checkpoints/c1/', null)).rejects.toThrow('locked in compliance mode until 2027-02-01T00:00:00.000Z');
    await expect(bank.lock('checkpoints/c1/', { mode: 'compliance', until: '2027-01-15T00:00:00.000Z' })).rejects.toThrow('compliance');
    await expect(bank.lock('checkpoints/c1/', { mode: 'governance', until: '2027-03-01T00:00:00.000Z' })).rejects.toThrow('compliance');
    await expect(bank.lock('checkpoints/c1/', { mode: 'compliance', until: '2027-03-01T00:00:00.000Z' })).resolves.toBeUndefined();
  });

  it('lifts a governance retention, so a delete removes the data', async () => {
    // Prepare
    const { root, bank } = setup();
    await bank.put('checkpoints/c1/a.json', 'x');
    await bank.lock('checkpoints/c1/', { mode: 'governance', until: '2027-02-01T00:00:00.000Z' });
    // Act
    await bank.lock('checkpoints/c1/', null);
    await bank.deletePrefix('checkpoints/c1/');
    // Assess
    expect(await versionsOf(root, 'checkpoints/c1/a.json')).toHaveLength(0);
  });
});
