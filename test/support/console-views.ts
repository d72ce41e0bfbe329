import type { Page } from 'playwright-core';

/** The console's views (console/src/router.ts): the section each shows, and its link in the navigation. */
export const VIEWS = [
  ['overview', 'Overview'],
  ['plans', 'Plans'],
  ['jobs', 'Jobs'],
  ['restores', 'Restores'],
  ['copies', 'Copies'],
  ['verifications', 'Verifications'],
  ['schedules', 'Schedules'],
  ['log', 'Operation log'],
  ['coverage', 'Coverage'],
] as const;
export type ViewId = (typeof VIEWS)[number][0];

/** Opens a view from the navigation, with the keyboard (its link focused, Enter), and waits for it or for its failure. */
export const openView = async (p: Page, id: ViewId) => {
  const title = VIEWS.find(([v]) => v === id)![1];
  const link = p.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: title, exact: true });
  await link.focus();
  await link.press('Enter');
  await p.locator(`section#${id}, section.view-failed[aria-label="${title}"]`).first().waitFor();
};
