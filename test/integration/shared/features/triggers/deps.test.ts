import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { triggerScheduler } from '../../../../../shared/features/triggers/deps';
import { describeMoto, type Moto, startMoto } from '../../../../support/moto';

const GROUP = 'karbor-deps';
const PREFIX = 'Deps-trigger-';
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:fire-trigger';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:fire-trigger-firings';
const T1 = '31111111-1111-4111-8111-111111111111';
const T2 = '32222222-2222-4222-8222-222222222222';

/**
 * The schedule adapter the trigger routes get from their settings (what the
 * stack writes: infra/grants.ts), against moto's EventBridge Scheduler.
 */
describeMoto('the trigger routes schedule adapter, from the settings the stack writes', () => {
  let moto: Moto;
  let scheduler: SchedulerClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = await startMoto('us-east-1');
    scheduler = new SchedulerClient(moto.clientConfig);
    await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
    // The SDK clients the adapter makes itself find moto by the standard endpoint variable.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.clientConfig.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      KARBOR_SCHEDULER: 'scheduler',
      SCHEDULE_GROUP: GROUP,
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler-invoke',
      TRIGGER_NAME_PREFIX: PREFIX,
      FIRE_TRIGGER_ARN: FUNCTION,
    });
  }, 30000);
  afterAll(async () => {
    process.env = saved;
    scheduler?.destroy();
    await moto?.stop();
  });

  const put = (triggerId: string) =>
    triggerScheduler().put({ triggerId, projectId: 'p1', expression: 'cron(0 * * * ? *)', windowSeconds: 900, start: new Date() });
  const targetOf = async (triggerId: string) => (await scheduler.send(new GetScheduleCommand({ Name: `${PREFIX}${triggerId}`, GroupName: GROUP }))).Target?.Arn;

  it('targets the firings queue where the stack has one, else fire-trigger itself', async () => {
    process.env.FIRE_TRIGGER_QUEUE_ARN = QUEUE;
    await put(T1);
    delete process.env.FIRE_TRIGGER_QUEUE_ARN;
    await put(T2);
    expect(await targetOf(T1)).toBe(QUEUE);
    expect(await targetOf(T2)).toBe(FUNCTION);
  }, 30000);
});
