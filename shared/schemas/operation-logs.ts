import * as z from 'zod';
import { projectPath } from './common';

export const operationLogPath = projectPath.extend({ operation_log_id: z.string() });
