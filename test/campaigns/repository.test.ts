// The campaign store on SQLite and PostgreSQL: versions, the built-in campaign, import/export round trips, and
// refusals that write nothing (a bad definition, an edit of a frozen version, a taken id, a stale editor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addCampaignVersion,
  campaignVersions,
  createCampaign,
  exportCampaign,
  freezeCampaignVersion,
  getCampaignVersion,
  importCampaign,
  listCampaigns,
  updateCampaignVersion,
} from '../../activities/campaigns/repository';
import type { CampaignDefinition } from '../../domain/campaign';
import { BUILTIN_CAMPAIGN, BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { testDatabases, type TestDatabase } from '../db/databases';

const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: CampaignDefinition };
const BY = { by: 'ban-tuyen-giao@ldld-bn.vn', now: new Date('2027-01-08T02:00:00.000Z') };

describe.each(testDatabases())('campaign store on $name', (kind) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await kind.open();
  });
  afterEach(async () => {
    await t.dispose();
  });

  const rowCounts = async () => ({
    campaigns: (await t.db.selectFrom('campaigns').select('id').execute()).length,
    versions: (await t.db.selectFrom('campaign_versions').select('version').execute()).length,
  });

  it('lists the built-in campaign, frozen, from the first use', async () => {
    const list = await listCampaigns(t.db);
    expect(list).toEqual([{ id: BUILTIN_CAMPAIGN_ID, name: BUILTIN_CAMPAIGN.name, latestVersion: 1, versions: 1, latestFrozen: true, builtin: true }]);
    const v1 = await getCampaignVersion(t.db, BUILTIN_CAMPAIGN_ID, 1);
    expect(v1.definition).toEqual(BUILTIN_CAMPAIGN);
    await expect(updateCampaignVersion(t.db, { id: BUILTIN_CAMPAIGN_ID, version: 1, definition: BUILTIN_CAMPAIGN }, BY)).rejects.toMatchObject({ code: 'CampaignVersionFrozenError' });
  });

  it('imports the quarterly example with its diacritics, exports it back, and re-importing it changes nothing', async () => {
    expect(await importCampaign(t.db, EXAMPLE, BY)).toEqual({ campaignId: EXAMPLE.id, version: 1, outcome: 'created' });
    const exported = await exportCampaign(t.db, EXAMPLE.id);
    expect(exported).toMatchObject({ format: 'baocao-campaign/1', id: EXAMPLE.id, version: 1 });
    const def = exported.definition as CampaignDefinition;
    expect(def.document?.issuingBody).toBe('Ban Thường vụ Liên đoàn Lao động tỉnh Bắc Ninh');
    expect(def.phases.map((p) => p.key)).toEqual(['q1', 'q2', 'q3', 'q4']);
    expect(await importCampaign(t.db, exported, BY)).toEqual({ campaignId: EXAMPLE.id, version: 1, outcome: 'unchanged' });

    const edited = structuredClone(def);
    edited.phases[3]!.due = { kind: 'quarter-end', quarter: 4, plusDays: 10 };
    expect(await importCampaign(t.db, { id: EXAMPLE.id, definition: edited }, BY)).toEqual({ campaignId: EXAMPLE.id, version: 2, outcome: 'new-version' });
    expect((await campaignVersions(t.db, EXAMPLE.id)).map((v) => [v.version, v.createdBy, v.frozen])).toEqual([
      [1, BY.by, false],
      [2, BY.by, false],
    ]);
  });

  it('edits an unused version in place; once a cycle uses it, an edit is refused and nothing is written', async () => {
    await createCampaign(t.db, EXAMPLE, BY);
    const edited = structuredClone(EXAMPLE.definition);
    edited.name = { vi: 'Báo cáo quý (sửa)', en: 'Quarterly report (edited)' };
    expect((await updateCampaignVersion(t.db, { id: EXAMPLE.id, version: 1, definition: edited }, BY)).definition.name.vi).toBe('Báo cáo quý (sửa)');

    const frozen = await freezeCampaignVersion(t.db, { id: EXAMPLE.id, version: 1, cycleId: 'cycle-2027-LDLD-BN' });
    expect(frozen).toMatchObject({ frozen: true, frozenBy: 'cycle-2027-LDLD-BN' });
    // a second cycle keeps the first one's name
    expect((await freezeCampaignVersion(t.db, { id: EXAMPLE.id, version: 1, cycleId: 'cycle-2028-LDLD-BN' })).frozenBy).toBe('cycle-2027-LDLD-BN');

    const again = structuredClone(EXAMPLE.definition);
    const before = await t.db.selectFrom('campaign_versions').selectAll().execute();
    const refusal = updateCampaignVersion(t.db, { id: EXAMPLE.id, version: 1, definition: again }, BY);
    await expect(refusal).rejects.toMatchObject({ code: 'CampaignVersionFrozenError' });
    await expect(refusal).rejects.toThrow(/^version: bao-cao-quy-an-toan v1 is used by a cycle \(cycle cycle-2027-LDLD-BN\) and can no longer change: save the edit as a new version \/ phiên bản 1/);
    expect(await t.db.selectFrom('campaign_versions').selectAll().execute()).toEqual(before);
    // the edit goes into a new version instead
    expect((await addCampaignVersion(t.db, { id: EXAMPLE.id, definition: again, after: 1 }, BY)).version).toBe(2);
  });

  it('refuses a bad definition, a taken id and a stale editor, writing nothing', async () => {
    const counts = await rowCounts();
    const noPhase = createCampaign(t.db, { id: 'bao-cao-moi', definition: { ...EXAMPLE.definition, phases: [] } }, BY);
    await expect(noPhase).rejects.toMatchObject({ code: 'CampaignDefinitionError', problems: [{ field: 'phases' }] });
    await expect(noPhase).rejects.toThrow('Invalid campaign definition / Định nghĩa đợt báo cáo không hợp lệ:\nphases: a campaign needs at least one phase / đợt báo cáo cần ít nhất một giai đoạn');
    await expect(createCampaign(t.db, { id: 'Báo cáo', definition: EXAMPLE.definition }, BY)).rejects.toMatchObject({ code: 'CampaignDefinitionError', problems: [{ field: 'id' }] });
    expect(await rowCounts()).toEqual(counts);

    await createCampaign(t.db, EXAMPLE, BY);
    await expect(createCampaign(t.db, EXAMPLE, BY)).rejects.toMatchObject({ code: 'CampaignExistsError' });
    await addCampaignVersion(t.db, { id: EXAMPLE.id, definition: EXAMPLE.definition, after: 1 }, BY);
    // an editor who started from version 1 while version 2 was saved
    await expect(addCampaignVersion(t.db, { id: EXAMPLE.id, definition: EXAMPLE.definition, after: 1 }, BY)).rejects.toMatchObject({ code: 'CampaignVersionConflictError' });
    await expect(getCampaignVersion(t.db, 'khong-co')).rejects.toMatchObject({ code: 'CampaignNotFoundError' });
    expect((await listCampaigns(t.db)).map((c) => [c.id, c.latestVersion])).toEqual([
      [EXAMPLE.id, 2],
      [BUILTIN_CAMPAIGN_ID, 1],
    ]);
  });
});
