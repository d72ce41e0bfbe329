import { scrubEnv } from './hermetic-env';

/** `npm run test:unit`: no DynamoDB Local, only the user's variables scrubbed (./hermetic-env.ts). */
export default async function globalSetup(): Promise<void> {
  scrubEnv();
}
