import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';

export const operationLogPath = projectPath.extend({ operation_log_id: z.string() });
