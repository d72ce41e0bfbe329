/**
 * What /docs/ says of each operation: a summary and a description for
 * people, keyed by route id (shared/http/routes.ts). A test checks that every
 * route has one, so a new route cannot ship undocumented.
 */
const NOOP = 'b766f37c-d011-4026-8228-28730d734a3f';
const ID = '3f6c1e2a-9b7d-4c5e-8a1f-2d4b6c8e0a13';

/**
 * Request bodies to show: their schemas stay as loose as Karbor's jsonschema
 * (the use cases word the refusals), so an example made from them would say
 * little. A test parses each with its route's body schema.
 */
export const REQUEST_EXAMPLES: Record<string, unknown> = {
  'plans.create': {
    plan: { name: 'nightly', provider_id: NOOP, parameters: {}, resources: [{ id: 'orders', type: 'AWS::DynamoDB::Table', name: 'orders' }] },
  },
  'plans.update': { plan: { name: 'nightly (renamed)', status: 'started' } },
  'triggers.create': { trigger_info: { name: 'every night', type: 'time', properties: { format: 'crontab', pattern: '0 2 * * *', window: 3600 } } },
  'reports.create': { report: { since: '2026-12-01T00:00:00Z', until: '2026-12-08T00:00:00Z' } },
  'triggers.update': { trigger_info: { name: 'every night at three', properties: { format: 'crontab', pattern: '0 3 * * *', window: 3600 } } },
  'scheduledOperations.create': {
    scheduled_operation: { name: 'nightly protect', operation_type: 'protect', trigger_id: ID, operation_definition: { provider_id: NOOP, plan_id: ID } },
  },
  'services.update': { status: 'disabled', disabled_reason: 'maintenance' },
  'quotas.update': { quota: { plans: 40, checkpoints: -1 } },
  'quotaClasses.update': { quota_class: { plans: 40 } },
  'checkpoints.create': { checkpoint: { plan_id: ID, extra_info: { note: 'before the upgrade' } } },
  'checkpoints.resetState': { 'os-resetState': { state: 'error' } },
  'checkpoints.copy': { copy: { plan_id: ID, parameters: {} } },
  'checkpoints.lock': { lock: { mode: 'governance', until: '2027-06-30T00:00:00Z' }, legal_hold: false },
  'restores.create': { restore: { provider_id: NOOP, checkpoint_id: ID, restore_target: null, parameters: {} } },
  'verifications.create': { verification: { provider_id: NOOP, checkpoint_id: ID, parameters: {} } },
  'catalog.import': { import: { bank: 'dr' } },
};

export const OPERATION_TEXT: Record<string, { summary: string; description: string }> = {
  'versions.list': { summary: 'List API versions', description: 'The versions this endpoint serves (Karbor answers 300 Multiple Choices).' },
  'versions.show': { summary: 'Show the v1 version', description: 'The v1 version document with its status and links.' },
  'providers.list': { summary: 'List providers', description: 'The protection providers (No-Op, AWS) with their option schemas.' },
  'providers.show': { summary: 'Show a provider', description: "One provider's extended information, saved-info, restore and verify schemas." },
  'protectables.list': { summary: 'List protectable types', description: 'The resource types that plans can protect.' },
  'protectables.show': { summary: 'Show a protectable type', description: 'A type and the types that depend on it.' },
  'protectables.listInstances': {
    summary: 'List resources of a type',
    description: "The project's discovered resources of one type, with their dependent resources (discovery is scoped by the project tag on AWS).",
  },
  'protectables.listUnprotected': {
    summary: 'List unprotected resources of a type (extension)',
    description:
      "The project's discovered resources of one type that no plan of the project covers (named by a plan, or a dependent of a planned resource such as an attached EBS volume), paged by id. Reads the project's plans (one query per 100) and lists the type once; EC2 volumes add one paged DescribeVolumes per 200 planned instances.",
  },
  'protectables.showInstance': { summary: 'Show a resource', description: 'One discovered resource and what depends on it.' },
  'plans.list': { summary: 'List plans', description: "The project's protection plans, filtered, sorted and paged as Karbor does." },
  'plans.create': {
    summary: 'Create a plan',
    description: 'A plan names a provider, the resources to protect and per-type parameters; it counts against the plans quota.',
  },
  'plans.show': { summary: 'Show a plan', description: 'One plan with its resources and parameters.' },
  'plans.update': { summary: 'Update a plan', description: 'Rename, change resources or parameters, or start/suspend a plan.' },
  'plans.delete': { summary: 'Delete a plan', description: 'Refused while scheduled operations still use it.' },
  'triggers.list': { summary: 'List triggers', description: "The project's time triggers." },
  'triggers.create': {
    summary: 'Create a time trigger',
    description:
      'A crontab or calendar (RFC 5545) pattern with a window; it becomes an EventBridge Scheduler schedule (or rule) that fires scheduled operations.',
  },
  'triggers.show': { summary: 'Show a trigger', description: 'One trigger, with its next five runs (extension).' },
  'triggers.update': { summary: 'Update a trigger', description: 'Rename it or change its pattern or window; its schedule follows.' },
  'triggers.delete': { summary: 'Delete a trigger', description: 'Refused with 424 while scheduled operations use it.' },
  'scheduledOperations.list': {
    summary: 'List scheduled operations',
    description: "The project's scheduled operations with their last and next runs (extensions).",
  },
  'scheduledOperations.create': {
    summary: 'Schedule an operation',
    description:
      'Binds a trigger to a protect or retention_protect operation on a plan, or to a drill (verify, an extension) of its newest available checkpoint.',
  },
  'scheduledOperations.show': { summary: 'Show a scheduled operation', description: 'One scheduled operation with its last and next runs.' },
  'scheduledOperations.delete': { summary: 'Delete a scheduled operation', description: 'Stops future runs; runs already started finish.' },
  'operationLogs.list': { summary: 'List operation logs', description: 'One log per checkpoint, restore, verification, delete and scheduled run.' },
  'operationLogs.show': { summary: 'Show an operation log', description: 'One operation log with its times, status and error.' },
  'services.list': { summary: 'List services (admin)', description: 'The operation engine and protection services with their heartbeat state.' },
  'services.update': { summary: 'Enable or disable a service (admin)', description: 'A disabled operation engine skips scheduled runs and logs why.' },
  'quotas.show': { summary: 'Show quotas', description: "A project's plan and checkpoint limits." },
  'destinations.list': {
    summary: 'List copy destinations (admin, extension)',
    description:
      'The destinations the deployment configures for checkpoint copies (Region, account, role, bank, KMS key); external ids are never shown (docs/decisions.md §25).',
  },
  'quotas.update': { summary: 'Set quotas (admin)', description: "Sets a project's limits; -1 is unlimited." },
  'quotas.delete': { summary: 'Reset quotas (admin)', description: "Drops a project's own limits: the defaults apply again." },
  'quotas.detail': { summary: 'Show quota usage', description: 'Limits with what is in use and reserved.' },
  'quotas.defaults': { summary: 'Show default quotas', description: 'The configured default limits.' },
  'quotaClasses.show': { summary: 'Show a quota class', description: "A class's limits, or the defaults where it sets none." },
  'quotaClasses.update': { summary: 'Set a quota class (admin)', description: "Sets a class's limits." },
  'checkpoints.list': { summary: 'List checkpoints', description: "A provider's checkpoints of the project, filtered by plan and date." },
  'checkpoints.create': {
    summary: 'Take a checkpoint',
    description: 'Protects every resource of a plan now; the checkpoint is `protecting` until the job ends `available` or `error`.',
  },
  'checkpoints.show': { summary: 'Show a checkpoint', description: 'One checkpoint with per-resource status and progress (extensions).' },
  'checkpoints.delete': {
    summary: 'Delete a checkpoint',
    description: 'Deletes its backups, then the checkpoint. A checkpoint under a running lock or a legal hold is a 409 (extension, docs/decisions.md §19).',
  },
  'checkpoints.resetState': { summary: 'Reset a checkpoint (admin)', description: 'Sets a stuck checkpoint to `available` or `error`.' },
  'checkpoints.copy': {
    summary: "Copy a plan's checkpoints",
    description:
      "Makes a copy of every available checkpoint of the plan not yet copied to each destination (the plan's `destinations`, else its provider's default: docs/decisions.md §25); each copy is `wait_copying`, then `copying`, then `available` or `error`.",
  },
  'checkpoints.lock': {
    summary: 'Lock or hold a checkpoint (extension)',
    description:
      'Sets, extends or lifts (`lock: null`) a governance or compliance lock and sets or releases a legal hold. Members only add protection; shortening or lifting governance and releasing a hold need the admin role; compliance is only ever extended (docs/decisions.md §19).',
  },
  'restores.list': { summary: 'List restores', description: "The project's restores." },
  'restores.create': {
    summary: 'Restore a checkpoint',
    description: 'Restores every resource of a checkpoint as new resources; the restore runs in the background.',
  },
  'restores.show': { summary: 'Show a restore', description: 'One restore with per-resource status and progress.' },
  'verifications.list': { summary: 'List verifications', description: "The project's verifications." },
  'verifications.create': { summary: 'Verify a checkpoint', description: "Checks a checkpoint's backups; the verification runs in the background." },
  'verifications.show': { summary: 'Show a verification', description: 'One verification with per-resource results.' },
  'overview.show': {
    summary: 'Show the overview',
    description:
      "Extension: the project's plans by compliance, running jobs, jobs of the last 24 hours and of each of the last 30 days by kind and outcome, and the bank's size, from counters the jobs' final writes keep (docs/decisions.md §23). Admins add `all_tenants=1` for every project.",
  },
  'reports.create': {
    summary: 'Make a report (extension)',
    description:
      "Every job that started in the window (default the last day, at most 31 days, at most 10000 jobs) and each plan's compliance, written to the bank as report.json, jobs.csv and plans.csv; answers links that expire in 15 minutes. `all_projects` (admin): every project (docs/decisions.md §22).",
  },
  'reports.show': { summary: 'Show a report (extension)', description: "A report of the caller's project, with fresh links to its files." },
  'catalog.import': {
    summary: 'Import the catalog from a bank (extension)',
    description:
      "Admin only: rebuilds the catalog from the checkpoint records (`checkpoint.json`) in the stack's own bank (`primary`) or a destination's, never overwriting an item the catalog has; a missing plan comes back suspended. With the primary Region gone, a stack in the destination lists and restores the copies after it (docs/decisions.md §26).",
  },
  'reports.list': {
    summary: 'List reports (extension)',
    description: "The caller's project's reports (on demand and daily), by id, paged with `limit` and `marker`; without links (show one for them).",
  },
};
