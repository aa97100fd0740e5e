// A cycle of the quarterly example (examples/campaign-quarterly.json) with a yearly plan in front that sets
// targets for two of its figures, on the tree of the fixture archive (./fixture.ts): plans with targets, Q2
// reports with an integer, a decimal aggregated by maximum and a counted figure, a late unit, an overdue one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordEvent, storeSubmission } from '../../activities/archive/store';
import type { Db } from '../../activities/db/database';
import { snapshotCycleTree } from '../../activities/directory/repository';
import { checkCampaignDefinition, type CampaignDefinition } from '../../domain/campaign';
import { CYCLE, ROOT } from './fixture';

const file = JSON.parse(readFileSync(join(__dirname, '../../examples/campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };

export const QUARTERLY_ID = file.id;
export const QUARTERLY_CYCLE = `${CYCLE}~${file.id}`;

/** The example as shipped. */
export function quarterlyExample(): CampaignDefinition {
  const checked = checkCampaignDefinition(file.definition);
  if (!checked.ok) throw new Error(`examples/campaign-quarterly.json: ${JSON.stringify(checked.problems)}`);
  return checked.definition;
}

/** The example with a yearly plan in front that sets targets for trainingSessions and safetyNetworkRate. */
export function quarterlyWithPlan(): CampaignDefinition {
  const def = structuredClone(file.definition) as { forms: Record<string, unknown>[]; phases: Record<string, unknown>[] };
  def.forms.unshift({ key: 'plan', title: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, targets: { form: 'quarter', figures: ['trainingSessions', 'safetyNetworkRate'] } });
  def.phases.unshift({ key: 'plan', name: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, form: 'plan', due: { kind: 'date', date: '02-15' } });
  const checked = checkCampaignDefinition(def);
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return checked.definition;
}

export const Q2_AT = '2027-07-10T03:00:00.000Z';

/** Needs the fixture archive's directory (buildArchive) first. */
export async function buildQuarterlyArchive(db: Db): Promise<void> {
  const cycleId = QUARTERLY_CYCLE;
  await snapshotCycleTree(db, { cycleId, rootId: ROOT, asOf: '2027-01-04' });
  let seq = 0;
  const submit = async (unitId: string, phase: string, content: unknown, late = false) =>
    storeSubmission(db, { cycleId, unitId, phase: phase as 'plan', version: 1, idempotencyKey: `q-${++seq}`, content, channel: 'test', submittedBy: 'test', submittedAt: Q2_AT, late });
  const quarter = (trainingSessions: number, trainedWorkers: number, safetyNetworkRate: number, accidents: number, results = 'Đã huấn luyện.') => ({
    results,
    issues: '',
    figures: { trainingSessions, trainedWorkers, safetyNetworkRate, accidents },
    files: [],
  });
  await submit('CDCS-DG', 'plan', { targets: { trainingSessions: 20, safetyNetworkRate: 90 }, files: [] });
  await submit('CDCS-NT', 'plan', { targets: { trainingSessions: 0, safetyNetworkRate: 50 }, files: [] });
  await submit('CDCS-DG', 'q2', quarter(12, 4800, 87.5, 2));
  await submit('CDCS-NT', 'q2', quarter(3, 150, 62.4, 0), true);
  await submit('CDCS-BD', 'q2', quarter(1, 30, 40.1, 1));
  await submit('LDLD-LB', 'q2', quarter(2, 80, 55, 0, 'Quận tổ chức 2 buổi huấn luyện cho cán bộ công đoàn.\nKiểm tra 12 doanh nghiệp.'));
  await recordEvent(db, { key: `${cycleId}/CDCS-BV:q2-overdue`, cycleId, unitId: 'CDCS-BV', kind: 'q2-overdue', actor: 'system', channel: 'test', at: '2027-07-16T00:00:00.000Z', data: {} });
}
