import { App, Validations } from 'aws-cdk-lib';
import { KarborNagChecks } from './nag';
import { KarborStack } from './stack';

// Env-agnostic on purpose: `cdk synth` needs no credentials and does no lookups.
const app = new App();
// cdk-nag's AwsSolutions and Serverless packs: an unacknowledged finding fails the synth (infra/nag.ts).
Validations.of(app).addPlugins(new KarborNagChecks());
new KarborStack(app, 'KarborStack', { description: 'Karbor v1 data-protection API (serverless)' });
app.synth();
