// A unit whose units below are held by groups (workflows/campaign-group.ts), for the web tests: a root with 60
// grassroots unions under a campaign whose workflows keep fewer entries than that (the many-figure form of
// test/campaigns/fan-out-fixture.ts), so it starts two groups; optionally some of those units have units of their
// own (`below`), so that something lies under the groups too. The cycle is started on the time-skipping server and
// returned once every unit's workflow has reported; the pages' tables are read with their tags stripped.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'vitest';
import type { UnitInput } from '../../activities/directory/types';
import { importCampaign } from '../../activities/campaigns/repository';
import { campaignCyclePlan, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { workflowViewOf } from '../../domain/campaign-view';
import { groupRanges } from '../../workflows/campaign-fan-out';
import { campaignMaxChildren } from '../../workflows/campaign-unit';
import { wideCampaign, WIDE_CAMPAIGN_ID, WIDE_FIGURES } from '../campaigns/fan-out-fixture';
import type { CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { officerEmail, webTree } from './support';

const ROOT_UNIT = webTree()[0]!;
export const GROUPED_ROOT = ROOT_UNIT.id;
/** The root's 60 units, in the tree's order. */
export const GROUPED_IDS = Array.from({ length: 60 }, (_, i) => `CDCS-${String(i).padStart(3, '0')}`);
export const groupedName = (i: number) => `Công đoàn cơ sở Trường Tiểu học số ${i} – Đồng Hỷ`;
export const GROUPED_DEFINITION = wideCampaign();
/** A phase's content that passes the wide form. */
export const groupedContent = (id: string) => ({ results: `Kết quả của ${id}.`, figures: Object.fromEntries(WIDE_FIGURES.map((f) => [f.key, 1])) });

/** A unit below one of the root's units. */
export interface BelowUnit {
  id: string;
  name: string;
  parentId: string;
}

/** The directory: the root, its 60 units (those with units `below` as intermediate unions), and those below. */
export function groupedUnits(below: readonly BelowUnit[] = []): UnitInput[] {
  const parents = new Set(below.map((b) => b.parentId));
  const unit = (id: string, name: string, parentId: string, kind: UnitInput['kind']): UnitInput => ({ ...ROOT_UNIT, id, name, kind, parentId, distribution: [], officer: { name: `Cán bộ ${id}`, email: officerEmail(id) } });
  return [
    { ...ROOT_UNIT, parentId: null },
    ...GROUPED_IDS.map((id, i) => unit(id, groupedName(i), GROUPED_ROOT, parents.has(id) ? 'intermediate' : 'grassroots')),
    ...below.map((b) => unit(b.id, b.name, b.parentId, 'grassroots')),
  ];
}

export interface GroupedCycle {
  cycleId: string;
  plan: PhasedDeadlinePlan;
  /** entries one workflow keeps: the size of the first group */
  capacity: number;
}

/** Starts the wide campaign's cycle at the root and waits until every unit of `units` has reported; checks the root is grouped. */
export async function startGroupedCycle(env: TestWorkflowEnvironment, h: CycleHarness, units: readonly UnitInput[]): Promise<GroupedCycle> {
  const client = env.client;
  const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
  await importCampaign(h.db, { id: WIDE_CAMPAIGN_ID, definition: GROUPED_DEFINITION }, { by: 'test' });
  const { cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: GROUPED_ROOT, campaign: WIDE_CAMPAIGN_ID });
  await until('the plan', async () => (await campaignCyclePlan(client, cycleId).catch(() => null)) !== null);
  const plan = (await campaignCyclePlan(client, cycleId))!;
  const capacity = campaignMaxChildren(workflowViewOf(WIDE_CAMPAIGN_ID, 1, GROUPED_DEFINITION), plan);
  expect(capacity).toBeLessThan(GROUPED_IDS.length); // held by groups
  await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, GROUPED_ROOT).catch(() => null))?.aggregate.phases.q1!.expected === units.length);
  const status = await campaignUnitStatus(client, cycleId, GROUPED_ROOT);
  expect(status.children).toEqual([]);
  expect(status.groups).toEqual(groupRanges(0, GROUPED_IDS.length, capacity));
  return { cycleId, plan, capacity };
}

/** A row of the table `tableId` of a page, its tags stripped (each cell's text followed by " | "). */
export function tableRow(page: string, unitId: string, tableId = 'unit-rows'): string {
  const table = page.slice(page.indexOf(`id="${tableId}"`));
  const at = table.search(new RegExp(`<tr data-unit="${unitId}"[ >]`));
  if (at < 0) return '';
  const tr = table.slice(at, table.indexOf('</tr>', at));
  return tr
    .replace(/<\/td>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The unit ids of the rows of the table `tableId`, in order. */
export function tableRowIds(page: string, tableId = 'unit-rows'): string[] {
  const start = page.indexOf(`id="${tableId}"`);
  if (start < 0) return [];
  const table = page.slice(start, page.indexOf('</table>', start));
  return [...table.matchAll(/<tr data-unit="([^"]+)"/g)].map((m) => m[1]!);
}
