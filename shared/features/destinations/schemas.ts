import * as z from 'zod';

// Response bodies (./views.ts), for the OpenAPI document.

export const destinationViewSchema = z
  .object({
    name: z.string().meta({ description: "What a plan's `destinations` field names." }),
    region: z.string(),
    account_id: z.string().nullable().meta({ description: "The destination's account; null: the stack's own." }),
    role_arn: z.string().nullable().meta({ description: 'The role assumed there (its external id is never shown); null: the worker’s own credentials.' }),
    bank: z.string().nullable(),
    kms_key_id: z
      .string()
      .nullable()
      .meta({ description: 'The KMS key copies are encrypted with there; null: the default EBS key of that account and Region.' }),
    default: z.boolean().meta({ description: 'Plans that name no destination copy here (providers that move data).' }),
  })
  .meta({ title: 'Destination' });

export const destinationsResponse = z.object({
  destinations: z
    .array(destinationViewSchema)
    .meta({ description: 'Extension (docs/decisions.md §25): the configured copy destinations.', 'x-karbor-extension': true }),
});
