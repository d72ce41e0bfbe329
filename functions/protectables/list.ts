import { route } from '../../shared/http/route';
import { PROTECTABLE_TYPES } from '../../shared/features/protectables/model';

/** Karbor ignores every query parameter here (docs/contract.md §6.1). */
export const handler = route('protectables.list', {}, async () => ({ protectable_type: [...PROTECTABLE_TYPES] }));
