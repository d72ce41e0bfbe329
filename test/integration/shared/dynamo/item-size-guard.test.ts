import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TooLargeError } from '../../../../shared/kernel/errors';
import { documentClient, localDynamoClient } from '../../../../shared/dynamo/client';
import { createTestTable, testEndpoint } from '../../../support/dynamo';

/** DynamoDB Local refuses items over 400 KB as DynamoDB does; our clients turn that into a 413, and nothing is written. */
describe('the item size guard on every client', () => {
  const doc = documentClient(localDynamoClient(testEndpoint()));
  let table: string;
  beforeAll(async () => {
    table = await createTestTable('size');
  });

  it('refuses a put over 400 KB with a TooLargeError and stores nothing', async () => {
    // Act
    const put = doc.send(new PutCommand({ TableName: table, Item: { PK: 'big', SK: 'A', blob: 'x'.repeat(410 * 1024) } }));
    // Assess
    await expect(put).rejects.toBeInstanceOf(TooLargeError);
    await expect(put).rejects.toThrow("larger than DynamoDB's 400 KB limit");
  });

  it('refuses an update that grows an item past 400 KB, leaving the item as it was', async () => {
    // Prepare
    await doc.send(new PutCommand({ TableName: table, Item: { PK: 'grows', SK: 'A', blob: 'x'.repeat(300 * 1024) } }));
    // Act
    const update = doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { PK: 'grows', SK: 'A' },
        UpdateExpression: 'SET more = :m',
        ExpressionAttributeValues: { ':m': 'y'.repeat(200 * 1024) },
      }),
    );
    // Assess
    await expect(update).rejects.toBeInstanceOf(TooLargeError);
  });

  it('lets other validation errors through unchanged', async () => {
    // Act
    const bad = doc.send(new PutCommand({ TableName: table, Item: { PK: 'no-sort-key' } }));
    // Assess
    await expect(bad).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
