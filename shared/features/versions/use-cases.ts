/** The API versions document (docs/contract.md §1.1); `base` is the API root without a trailing slash. */
export const versionsDocument = (base: string) => ({
  versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${base}/v1/` }] }],
});
