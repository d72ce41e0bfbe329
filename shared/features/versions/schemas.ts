import * as z from 'zod';

/** The versions document (shared/features/versions/use-cases.ts), for the OpenAPI document. */
export const versionsResponse = z.object({
  versions: z.array(
    z
      .object({
        id: z.string(),
        status: z.string(),
        links: z.array(z.object({ rel: z.string(), href: z.string() })),
      })
      .meta({ title: 'Version' }),
  ),
});
