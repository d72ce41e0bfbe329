import { route } from '../../shared/http/route';
import { showProtectableType } from '../../shared/domain/protectables';
import { protectableTypePath } from '../../shared/schemas/protectables';

export const handler = route(
  'protectables.show',
  { params: protectableTypePath },
  async ({ params }) => showProtectableType(params.protectable_type),
  (type) => ({ protectable_type: type }),
);
