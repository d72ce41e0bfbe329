import { route } from '../../shared/http/route';
import { protectableTypesResponse } from '../../shared/features/protectables/schemas';
import { PROTECTABLE_TYPES } from '../../shared/features/protectables/model';

/** Karbor ignores every query parameter here (docs/contract.md §6.1). */
export const handler = route('protectables.list', { response: protectableTypesResponse }, async () => ({ protectable_type: [...PROTECTABLE_TYPES] }));
