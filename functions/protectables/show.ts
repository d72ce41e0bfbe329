import { route } from '../../shared/http/route';
import { showProtectableType } from '../../shared/features/protectables/use-cases';
import { protectableTypePath } from '../../shared/features/protectables/schemas';

export const handler = route(
  'protectables.show',
  { params: protectableTypePath },
  async ({ params }) => showProtectableType(params.protectable_type),
  (type) => ({ protectable_type: type }),
);
