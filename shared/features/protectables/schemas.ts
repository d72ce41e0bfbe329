import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';

export const protectableTypePath = projectPath.extend({ protectable_type: z.string() });
export const protectableInstancePath = protectableTypePath.extend({ protectable_id: z.string() });
