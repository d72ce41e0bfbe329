import * as z from 'zod';
import { projectPath } from './common';

export const providerPath = projectPath.extend({ provider_id: z.string() });
