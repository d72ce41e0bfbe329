import * as config from '../../../../../shared/config';
import { catalogOf, defaultDestination, parseDestinations, planDestinations } from '../../../../../shared/features/destinations/model';

const ROLE = 'arn:aws:iam::222222222222:role/KarborCopies';

describe('destinations configuration (docs/decisions.md §25)', () => {
  it('reads destinations by name, with the role account as the account when none is given', () => {
    // Act
    const parsed = parseDestinations(
      JSON.stringify({
        dr: { region: 'eu-west-1', default: true },
        vault: { region: 'us-west-2', role_arn: ROLE, external_id: 'ext-42', bank: 'vault-bank', kms_key_id: 'alias/karbor' },
      }),
    );
    // Assess
    expect(parsed).toEqual([
      { name: 'dr', region: 'eu-west-1', isDefault: true },
      {
        name: 'vault',
        region: 'us-west-2',
        accountId: '222222222222',
        roleArn: ROLE,
        externalId: 'ext-42',
        bank: 'vault-bank',
        kmsKeyId: 'alias/karbor',
        isDefault: false,
      },
    ]);
    expect(parseDestinations(undefined)).toEqual([]);
    expect(parseDestinations('  ')).toEqual([]);
  });

  it.each([
    ['[]', 'destinations must be a JSON object of destinations by name'],
    ['{', 'destinations must be a JSON object of destinations by name'],
    ['{"1dr": {"region": "eu-west-1"}}', 'destination name "1dr" must be a letter, then up to 62 letters, digits, _ or -'],
    ['{"dr": {}}', 'destination dr: region is required'],
    ['{"dr": {"region": "Europe"}}', 'destination dr: region must be an AWS Region such as eu-west-1'],
    ['{"dr": {"region": "eu-west-1", "secret": 1}}', 'destination dr: unknown field secret'],
    [`{"dr": {"region": "eu-west-1", "role_arn": "${ROLE}"}}`, 'destination dr: a role_arn needs an external_id'],
    ['{"dr": {"region": "eu-west-1", "external_id": "abc"}}', 'destination dr: an external_id needs a role_arn'],
    [
      `{"dr": {"region": "eu-west-1", "role_arn": "${ROLE}", "external_id": "abc", "account_id": "333333333333"}}`,
      'destination dr: role_arn is in account 222222222222, not account_id 333333333333',
    ],
    ['{"dr": {"region": "eu-west-1", "account_id": "12"}}', 'destination dr: account_id must be a 12-digit account id'],
    ['{"dr": {"region": "eu-west-1", "kms_key_id": "my key"}}', 'destination dr: kms_key_id must be a KMS key id, key ARN or alias'],
    ['{"a": {"region": "eu-west-1", "default": true}, "b": {"region": "us-west-2", "default": true}}', 'only one destination may be the default, got a, b'],
  ])('refuses %s, naming what is wrong', (text, message) => {
    expect(() => parseDestinations(text)).toThrow(message);
  });

  it('stops the runtime on a bad KARBOR_DESTINATIONS without quoting its value (it holds external ids)', () => {
    // Prepare
    const env = { KARBOR_DESTINATIONS: `{"dr": {"region": "eu-west-1", "role_arn": "${ROLE}", "external_id": "s3cret", "bogus": 1}}` };
    // Act / Assess
    expect(() => config.destinations(env)).toThrow('KARBOR_DESTINATIONS must be valid destinations (destination dr: unknown field bogus');
    expect(() => config.checkConfig(env)).toThrow(/^(?!.*s3cret)/);
  });

  it('sends a plan without destinations to the default for providers that move data, else to the provider itself', () => {
    // Prepare
    const catalog = catalogOf(parseDestinations('{"dr": {"region": "eu-west-1", "default": true}, "vault": {"region": "us-west-2"}}'));
    const aws = { id: 'aws-id', plugins: { 'AWS::EC2::Volume': 'aws-ebs-volume' } };
    const noop = { id: 'noop-id', plugins: { 'OS::Nova::Server': 'noop' } };
    // Assess
    expect(defaultDestination(catalog, aws)).toBe('dr');
    expect(defaultDestination(catalog, noop)).toBe('noop-id');
    expect(defaultDestination(catalogOf([]), aws)).toBe('aws-id');
    expect(planDestinations(catalog, aws, [])).toEqual(['dr']);
    expect(planDestinations(catalog, noop, ['vault'])).toEqual(['vault']);
  });
});
