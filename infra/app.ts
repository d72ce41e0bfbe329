import { App } from 'aws-cdk-lib';
import { KarborStack } from './stack';

// Env-agnostic on purpose: `cdk synth` needs no credentials and does no lookups.
const app = new App();
new KarborStack(app, 'KarborStack', { description: 'Karbor v1 data-protection API (serverless)' });
app.synth();
