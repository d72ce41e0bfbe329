import * as config from '../../config';
import { catalogOf, type DestinationCatalog } from './model';

/** The configured destinations (KARBOR_DESTINATIONS), read and checked once per runtime. */
export const destinationCatalog = (): DestinationCatalog => catalogOf(config.destinations());
