import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';

export const providerPath = projectPath.extend({ provider_id: z.string() });
