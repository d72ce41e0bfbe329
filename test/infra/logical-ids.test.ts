import { type Synth, synthStack } from '../support/synth';

/**
 * The logical ids of what holds state or is known from outside. A changed
 * logical id is a replacement: CloudFormation makes a new, empty table (or
 * bank, user pool, queue) beside the retained old one, a new user pool
 * client invalidates every configured client id, and a route nested stack
 * made anew clashes with the old one's route keys. A refactoring of infra/
 * keeps these (infra/constructs/stack-part.ts); a new resource of these types
 * is pinned here when it is added.
 */
const STATEFUL = [
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  // A new bank key would leave the bank's objects under the old one, which the functions are no longer granted.
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolGroup',
  'AWS::Scheduler::ScheduleGroup',
];

const DATA = {
  TableCD117FA1: 'AWS::DynamoDB::Table',
  BankD5F20898: 'AWS::S3::Bucket',
  BankKey66D876E8: 'AWS::KMS::Key',
  AccessLogs8B620ECA: 'AWS::S3::Bucket',
  BusEA82B648: 'AWS::Events::EventBus',
  SchedulerFireTriggerDeadLetters3EBDCF2F: 'AWS::SQS::Queue',
  ProtectionWorkerDeadLetters6F7EC763: 'AWS::SQS::Queue',
  ComplianceEvaluateDeadLettersC5F9AEBF: 'AWS::SQS::Queue',
  NotificationsNotifyDeadLettersE0E604C7: 'AWS::SQS::Queue',
  ProtectionSweepDeadLettersA43B1146: 'AWS::SQS::Queue',
  ReportsDailyDeadLettersBEA16270: 'AWS::SQS::Queue',
};

const ROUTE_STACKS = [
  'VersionsRoutesNestedStackVersionsRoutesNestedStackResourceE6EAFD74',
  'ProvidersRoutesNestedStackProvidersRoutesNestedStackResourceC10DC112',
  'ProtectablesRoutesNestedStackProtectablesRoutesNestedStackResource257C7A8D',
  'PlansRoutesNestedStackPlansRoutesNestedStackResourceD7A24160',
  'TriggersRoutesNestedStackTriggersRoutesNestedStackResourceA9FD6DC3',
  'ScheduledOperationsRoutesNestedStackScheduledOperationsRoutesNestedStackResourceFE32ED31',
  'OperationLogsRoutesNestedStackOperationLogsRoutesNestedStackResourceD57DA977',
  'ServicesRoutesNestedStackServicesRoutesNestedStackResource8B82724D',
  'QuotasRoutesNestedStackQuotasRoutesNestedStackResource97AA0B11',
  'QuotaClassesRoutesNestedStackQuotaClassesRoutesNestedStackResource19878DB0',
  'CheckpointsRoutesNestedStackCheckpointsRoutesNestedStackResourceBF58442E',
  'RestoresRoutesNestedStackRestoresRoutesNestedStackResource0689C5F0',
  'VerificationsRoutesNestedStackVerificationsRoutesNestedStackResource6D0170EE',
];

/** `{ <logical id>: <Type> }` of the stateful resources in every template (root and nested). */
const statefulOf = (s: Synth): Record<string, string> =>
  Object.fromEntries(Object.entries(s.resources).flatMap(([id, r]) => (STATEFUL.includes(r.Type) ? [[id, r.Type]] : [])));

describe('logical ids of the stateful resources (a change would replace them)', () => {
  it('default (cognito, Scheduler): table, bank, access logs, bus, queues, schedule group, user pool and its client and group', () => {
    // Prepare
    const s = synthStack();
    // Act
    const stateful = statefulOf(s);
    // Assess
    expect(stateful).toEqual({
      ...DATA,
      ScheduleGroup4D377372: 'AWS::Scheduler::ScheduleGroup',
      FireTriggerFiringsFD737DAC: 'AWS::SQS::Queue',
      UserPool6BA7E5F2: 'AWS::Cognito::UserPool',
      UserPoolCliClient1F174B79: 'AWS::Cognito::UserPoolClient',
      AdminGroupCD52047A: 'AWS::Cognito::UserPoolGroup',
    });
    // What is kept on delete is all among them, but the durable worker's versions: each deploy adds one (a new
    // logical id by design) and keeps the old, which executions still waiting replay on.
    const retained = Object.entries(s.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>).filter(
      ([, r]) => r.DeletionPolicy === 'Retain' && r.Type !== 'AWS::Lambda::Version',
    );
    expect(retained.map(([id]) => id).sort()).toEqual(['AccessLogs8B620ECA', 'BankD5F20898', 'BankKey66D876E8', 'TableCD117FA1', 'UserPool6BA7E5F2']);
  });

  it('rules mode has no schedule group and no firings queue; migrating makes the ones Scheduler mode then keeps', () => {
    expect(statefulOf(synthStack({ 'karbor:authMode': 'noauth', 'karbor:scheduler': 'rules' }, {}, 'Test'))).toEqual(DATA);
    const migrating = synthStack({ 'karbor:authMode': 'noauth', 'karbor:scheduler': 'migrating' }, {}, 'Test');
    expect(statefulOf(migrating)).toEqual({
      ...DATA,
      ScheduleGroup4D377372: 'AWS::Scheduler::ScheduleGroup',
      FireTriggerFiringsFD737DAC: 'AWS::SQS::Queue',
    });
  });

  it("keeps each feature's route nested stack (a new one would clash with the old one's route keys)", () => {
    const s = synthStack();
    const nested = Object.entries(s.template.toJSON().Resources as Record<string, { Type: string }>)
      .filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack')
      .map(([id]) => id);
    expect(nested).toEqual(expect.arrayContaining(ROUTE_STACKS));
  });
});
