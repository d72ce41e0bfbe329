import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';

/**
 * Who manages a KMS key: `AWS` (an AWS managed key such as alias/aws/ebs,
 * whose key policy nobody can change, so it is never shared with another
 * account) or `CUSTOMER`; undefined when KMS does not say.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 */
export const keyManager = async (kms: KMSClient, keyId: string): Promise<string | undefined> => {
  const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
  return KeyMetadata?.KeyManager;
};
