import { RESTORE_TABLE_PREFIX, restoreTableName } from '../../../../../shared/features/protection/restore-name';

describe('restoreTableName (the one restore-target naming rule)', () => {
  it('names a restore without restore_name after its source and the restore id, under the prefix', () => {
    expect(restoreTableName(undefined, 'orders', 'rrrrrrrr-1111')).toBe('karbor-restore-orders-rrrrrrrr');
  });

  it('puts a requested name under the prefix, and keeps one that already has it', () => {
    expect(restoreTableName('orders-restored', 'orders', 'r1')).toBe('karbor-restore-orders-restored');
    expect(restoreTableName('karbor-restore-mine', 'orders', 'r1')).toBe('karbor-restore-mine');
  });

  it('never exceeds DynamoDB’s 255 characters, and always starts with the prefix', () => {
    const name = restoreTableName('n'.repeat(300), 'orders', 'r1');
    expect(name).toHaveLength(255);
    expect(name.startsWith(RESTORE_TABLE_PREFIX)).toBe(true);
  });
});
