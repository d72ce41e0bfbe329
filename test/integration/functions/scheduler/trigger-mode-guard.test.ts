import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { triggerModeGuard } from '../../../../functions/scheduler/trigger-mode-guard';
import { countRules, eventBridgeRules } from '../../../../shared/features/triggers/adapters/eventbridge-rules';
import { describeMoto, type Moto, startMoto } from '../../../support/moto';

const PREFIX = 'Guarded-trigger-';
const TRIGGER = '0b6f3f0e-8a41-4c6e-9a59-2f4f0d8f5a11';

describeMoto('the Scheduler-mode deploy guard against moto EventBridge', () => {
  let moto: Moto;
  let events: EventBridgeClient;
  let server: Server;
  const answers: Array<{ Status: string; Reason: string; PhysicalResourceId: string }> = [];

  beforeAll(async () => {
    moto = await startMoto('us-east-1');
    events = new EventBridgeClient(moto.clientConfig);
    // CloudFormation's presigned response URL, played by a loopback server.
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        answers.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }, 30000);
  afterAll(async () => {
    events?.destroy();
    await new Promise((resolve) => server?.close(resolve));
    await moto?.stop();
  });

  const event = (RequestType: 'Create' | 'Delete'): CloudFormationCustomResourceEvent =>
    ({
      RequestType,
      ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/answer`,
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Guarded/1',
      RequestId: 'r-1',
      LogicalResourceId: 'TriggerModeGuard',
      ResourceType: 'Custom::KarborTriggerModeGuard',
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:guard',
      ResourceProperties: { ServiceToken: 'x' },
      ...(RequestType === 'Delete' ? { PhysicalResourceId: 'guard-1' } : {}),
    }) as CloudFormationCustomResourceEvent;

  it('lets a stack without trigger rules enter Scheduler mode, and refuses one with rules, naming the way out', async () => {
    // Prepare
    const guard = triggerModeGuard(() => countRules(events, PREFIX));
    // Act: a new stack, then the same stack once a rules-mode trigger exists.
    await guard(event('Create'));
    await eventBridgeRules({ client: events, targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:fire', namePrefix: PREFIX }).put({
      triggerId: TRIGGER,
      projectId: 'p',
      expression: 'cron(0 * * * ? *)',
      windowSeconds: 900,
      start: new Date(),
    });
    await guard(event('Create'));
    await guard(event('Delete'));
    // Assess
    expect(answers.map((a) => a.Status)).toEqual(['SUCCESS', 'FAILED', 'SUCCESS']);
    expect(answers[0].PhysicalResourceId).toBe('arn:aws:cloudformation:us-east-1:123456789012:stack/Guarded/1/trigger-mode-guard');
    expect(answers[1].Reason).toMatch(/has 1 trigger rule\(s\).*karbor:scheduler=migrating.*migrate:triggers/);
    expect(answers[2].PhysicalResourceId).toBe('guard-1');
  }, 30000);
});
