// What a cycle shows as its issuing document, on SQLite and PostgreSQL: for a cycle of a campaign (id `…~slug`)
// the campaign's document and its files by default, until the secretariat attaches the cycle's own; for today's
// cycles the secretariat's facts, else the root's plan; at most DOCUMENT_LIMITS.attachments files.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCampaignVersion, createCampaign, freezeCampaignVersion } from '../../activities/campaigns/repository';
import { createFsStorage } from '../../activities/files/fs-storage';
import { attachIssuingFile, campaignSlugOfCycle, issuingDocumentOfCycle, setIssuingFacts } from '../../activities/files/issuing-document';
import { filesByIds, insertFile } from '../../activities/files/repository';
import { removeOrphanedUploads } from '../../activities/files/orphans';
import { acceptUpload } from '../../activities/files/uploads';
import { DOCUMENT_LIMITS } from '../../domain/campaign-document';
import { testDatabases, type TestDatabase } from '../db/databases';
import { samplePdf } from './samples';
import { bytesStream } from './support';

const SLUG = 'bao-cao-quy-an-toan';
const CAMPAIGN_CYCLE = `cycle-2027-LDLD-BN~${SLUG}`;
const NOW = new Date('2027-01-10T02:00:00.000Z');

describe.each(testDatabases())('the issuing document of a cycle on $name', (kind) => {
  let t: TestDatabase;
  let dir: string;
  const deps = () => ({ db: t.db, storage: createFsStorage(join(dir, 'files')), stagingDir: join(dir, 'staging'), maxFileBytes: 1 << 20 });

  beforeEach(async () => {
    t = await kind.open();
    dir = mkdtempSync(join(tmpdir(), 'baocao-issuing-'));
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a campaign cycle shows the campaign’s document and files until it has its own', async () => {
    expect(campaignSlugOfCycle(CAMPAIGN_CYCLE)).toBe(SLUG);
    expect(campaignSlugOfCycle('cycle-2027-LDLD-BN')).toBeUndefined();
    const file = JSON.parse(readFileSync(join(__dirname, '../../examples/campaign-quarterly.json'), 'utf8')) as { id: string; definition: { document: { attachments: unknown[] } } };
    const signed = await acceptUpload(deps(), { source: bytesStream(await samplePdf('Ke hoach 27')), name: 'Kế hoạch 27 – bản ký.pdf', owner: { kind: 'issuing-document', cycleId: null, campaignId: SLUG }, uploadedBy: 'tuyengiao@ldld-bn.vn', now: NOW });
    file.definition.document.attachments = [signed];
    await createCampaign(t.db, { id: SLUG, definition: file.definition }, { by: 'test', now: NOW });
    await freezeCampaignVersion(t.db, { id: SLUG, version: 1, cycleId: CAMPAIGN_CYCLE }, { now: NOW });

    const doc = await issuingDocumentOfCycle(t.db, CAMPAIGN_CYCLE);
    expect(doc).toMatchObject({
      number: '27/KH-LĐLĐ',
      title: 'Kế hoạch theo dõi, báo cáo hằng quý công tác an toàn, vệ sinh lao động năm 2027',
      signer: 'TM. BAN THƯỜNG VỤ – PHÓ CHỦ TỊCH Nguyễn Thị Hồng Nhung',
      issuingBody: 'Ban Thường vụ Liên đoàn Lao động tỉnh Bắc Ninh',
      place: 'Bắc Ninh',
      date: '2027-01-08',
      filesFrom: 'campaign',
      campaign: { id: SLUG, version: 1 },
    });
    expect(doc.files.map((f) => f.name)).toEqual(['Kế hoạch 27 – bản ký.pdf']);
    expect(Object.keys(doc.phaseNames).length).toBeGreaterThan(1);
    // the clean-up keeps a file a campaign version names, and takes an upload no version names
    const stray = await acceptUpload(deps(), { source: bytesStream(await samplePdf('Ban nhap')), name: 'nháp.pdf', owner: { kind: 'issuing-document', cycleId: null, campaignId: SLUG }, uploadedBy: 'x', now: NOW });
    expect(await removeOrphanedUploads(t.db, deps().storage, new Date(NOW.getTime() + 30 * 86_400_000))).toMatchObject({ uploads: 1 });
    expect((await filesByIds(t.db, [signed.id, stray.id])).map((f) => f.id)).toEqual([signed.id]);

    await attachIssuingFile(deps(), { cycleId: CAMPAIGN_CYCLE, source: bytesStream(await samplePdf('Cong van rieng')), name: 'Công văn triển khai.pdf', uploadedBy: 'tuyengiao@ldld-bn.vn', now: NOW });
    await setIssuingFacts(t.db, CAMPAIGN_CYCLE, { number: '30/CV-LĐLĐ' }, 'tuyengiao@ldld-bn.vn', NOW);
    const own = await issuingDocumentOfCycle(t.db, CAMPAIGN_CYCLE);
    expect(own.filesFrom).toBe('cycle');
    expect(own.files.map((f) => f.name)).toEqual(['Công văn triển khai.pdf']);
    expect(own.number).toBe('30/CV-LĐLĐ');
    expect(own.title).toBe(doc.title);
  });

  it('a later cycle of a version shows that version’s document, not a newer one another cycle froze', async () => {
    const file = JSON.parse(readFileSync(join(__dirname, '../../examples/campaign-quarterly.json'), 'utf8')) as { id: string; definition: { document: { title: string } } };
    await createCampaign(t.db, { id: SLUG, definition: file.definition }, { by: 'test', now: NOW });
    const v2 = structuredClone(file.definition);
    v2.document.title = 'Kế hoạch báo cáo quý (bản sửa đổi)';
    await addCampaignVersion(t.db, { id: SLUG, definition: v2 }, { by: 'test', now: NOW });
    const nextYear = `cycle-2028-LDLD-BN~${SLUG}`;
    const otherRoot = `cycle-2028-LDLD-TN~${SLUG}`;
    await freezeCampaignVersion(t.db, { id: SLUG, version: 1, cycleId: CAMPAIGN_CYCLE }, { now: NOW });
    await freezeCampaignVersion(t.db, { id: SLUG, version: 2, cycleId: otherRoot }, { now: NOW });
    await freezeCampaignVersion(t.db, { id: SLUG, version: 1, cycleId: nextYear }, { now: NOW });
    await freezeCampaignVersion(t.db, { id: SLUG, version: 1, cycleId: nextYear }, { now: NOW }); // a retried start
    expect((await issuingDocumentOfCycle(t.db, CAMPAIGN_CYCLE)).campaign).toMatchObject({ version: 1 });
    expect(await issuingDocumentOfCycle(t.db, nextYear)).toMatchObject({ campaign: { version: 1 }, title: file.definition.document.title });
    expect(await issuingDocumentOfCycle(t.db, otherRoot)).toMatchObject({ campaign: { version: 2 }, title: 'Kế hoạch báo cáo quý (bản sửa đổi)' });
  });

  it('today’s cycle: nothing known yet, then the secretariat’s facts; a 21st file is refused', async () => {
    const cycleId = 'cycle-2027-LDLD-HN';
    expect(await issuingDocumentOfCycle(t.db, cycleId)).toMatchObject({ number: null, title: null, signer: null, files: [], filesFrom: 'none', campaign: null });
    await setIssuingFacts(t.db, cycleId, { title: 'Kế hoạch năm 2027', signer: 'CHỦ TỊCH Trần Văn Hải' }, 'x@y.vn', NOW);
    await setIssuingFacts(t.db, cycleId, { number: '05/KH' }, 'x@y.vn', NOW);
    expect(await issuingDocumentOfCycle(t.db, cycleId)).toMatchObject({ number: '05/KH', title: 'Kế hoạch năm 2027', signer: 'CHỦ TỊCH Trần Văn Hải' });
    for (let i = 0; i < DOCUMENT_LIMITS.attachments; i++)
      await insertFile(t.db, { id: `doc-file-${String(i).padStart(13, '0')}`, sha256: 'c'.repeat(64), size: 10, mediaType: 'application/pdf', name: `${i}.pdf`, ownerKind: 'issuing-document', cycleId, unitId: null, phase: null, campaignId: null, uploadedBy: 'x', uploadedAt: NOW.toISOString() });
    await expect(attachIssuingFile(deps(), { cycleId, source: bytesStream(await samplePdf()), name: 'thêm.pdf', uploadedBy: 'x', now: NOW })).rejects.toMatchObject({
      code: 'FileRejectedError',
      message: expect.stringMatching(/tối đa 20.*at most 20/s),
    });
  });
});
