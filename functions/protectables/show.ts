import { route } from '../../shared/http/route';
import { showProtectableType } from '../../shared/features/protectables/use-cases';
import { protectableTypePath, protectableTypeResponse } from '../../shared/features/protectables/schemas';

export const handler = route(
  'protectables.show',
  { params: protectableTypePath, response: protectableTypeResponse },
  async ({ params }) => showProtectableType(params.protectable_type),
  (type) => ({ protectable_type: type }),
);
