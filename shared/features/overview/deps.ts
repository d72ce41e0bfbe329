import { documentClient, tableName } from '../../dynamo/client';
import { systemClock } from '../../kernel/ports';
import { activeJobIndex } from '../jobs/deps';
import { planVerdicts } from '../plans/deps';
import type { OverviewDeps } from './model';
import { dynamoDayProjects, dynamoOverviewCounters } from './store';
import type { DayProjects } from './model';

/** The projects with jobs on some days (the daily reports, docs/decisions.md §22). */
export const dayProjects = (): DayProjects => dynamoDayProjects(documentClient(), tableName());

/** The composition root of the overview function. */
export const overviewDeps = (): OverviewDeps => {
  const doc = documentClient();
  const table = tableName();
  return {
    counters: dynamoOverviewCounters(doc, table),
    planVerdicts: planVerdicts(),
    running: activeJobIndex(),
    clock: systemClock,
  };
};
