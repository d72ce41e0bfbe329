import { baseUrl } from '../../shared/http/event';
import { versionsResponse } from '../../shared/features/versions/schemas';
import { route } from '../../shared/http/route';
import { versionsDocument } from '../../shared/features/versions/use-cases';

/** `GET /v1/`: the same document, 200, so discovery that starts from the v1 URL works. */
export const handler = route('versions.show', { response: versionsResponse }, async ({ event }) => versionsDocument(baseUrl(event)));
