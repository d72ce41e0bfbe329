import { baseUrl } from '../../shared/http/event';
import { versionsResponse } from '../../shared/features/versions/schemas';
import { route } from '../../shared/http/route';
import { versionsDocument } from '../../shared/features/versions/use-cases';

/** `GET /`: 300 Multiple Choices with the versions document (docs/decisions.md §14; real Karbor answers 500). */
export const handler = route('versions.list', { status: 300, response: versionsResponse }, async ({ event }) => versionsDocument(baseUrl(event)));
