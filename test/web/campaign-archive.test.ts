// A closed cycle of a campaign on the web after its workflows are gone. A cycle of the quarterly example with a
// yearly plan setting targets (as test/campaigns/campaign-cycle.test.ts builds it) runs to its close on the real
// time-skipping server over the web tree, CDCS-KD missing the fourth quarter; every node archives its final
// aggregate. Then that server is torn down and the web app is started against a fresh one that never saw the
// cycle: the dashboard lists the cycle with its campaign and version, the cycle page and a unit's page are read
// from the archive alone (final aggregates per phase and figure with target, achieved and %, the units below
// with their standing, drill-down), read-only, in both languages, and the workbook (streamed) and each unit's
// and level's DOCX per phase still download, their contents checked against the archive. Each unit's deadline per
// phase (due from the archived plan, the extension and its reason) and the comment of each returned version show
// on its archived page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalCampaignAggregates } from '../../activities/campaigns/aggregates';
import { importCampaign } from '../../activities/campaigns/repository';
import { formatFigure } from '../../activities/documents/campaign-docx';
import { DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE } from '../../activities/documents/labels';
import { campaignCyclePlan, campaignExtend, campaignReview, campaignSubmit, campaignUnitStatus, startCampaignCycle } from '../../client/campaign-cycles';
import { dateTime, localDate } from '../../client/web/format';
import type { PhasedDeadlinePlan } from '../../domain/calendar';
import { CLOSED_CYCLE_REFUSAL } from '../../client/web/ops/scope';
import { percent } from '../../client/web/format';
import { percentAchieved } from '../../domain/campaign-aggregation';
import type { Figure } from '../../domain/campaign-form';
import type { CampaignAggregate } from '../../workflows/campaign-state';
import { unitWorkflowId } from '../../workflows/ids';
import { createCycleHarness, type CycleHarness } from '../support/cycle-harness';
import { until } from '../support/cycle-fixtures';
import { createTimeSkippingEnv } from '../support/temporal';
import { CookieClient, officerEmail, signInByEmail, startWebApp, webTree, type RunningWebApp } from './support';

const DAY = 24 * 3600 * 1000;
const EXAMPLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'campaign-quarterly.json'), 'utf8')) as { id: string; definition: Record<string, unknown> };
const UNITS = webTree();
const ALL = UNITS.map((u) => u.id);
const ROOT = 'LDLD-TN';
const QUARTERS = ['q1', 'q2', 'q3', 'q4'] as const;
type FigureKey = 'trainingSessions' | 'trainedWorkers' | 'safetyNetworkRate' | 'accidents';
const FIGURES = (EXAMPLE.definition as { forms: { figures: Figure[] }[] }).forms[0]!.figures;
/** a figure's value as the Vietnamese pages and documents print it */
const vi = (key: FigureKey, v: number | null) => formatFigure(FIGURES.find((f) => f.key === key)!, v);

/** The quarterly example with a yearly plan before it that sets targets for two of the quarters' figures. */
function withYearlyPlan(): Record<string, unknown> {
  const def = structuredClone(EXAMPLE.definition) as { forms: Record<string, unknown>[]; phases: Record<string, unknown>[] };
  def.forms.unshift({ key: 'yearPlan', title: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, sections: [{ key: 'plan', title: { vi: 'Nội dung', en: 'Content' }, maxBytes: 5000 }], targets: { form: 'quarter', figures: ['trainedWorkers', 'safetyNetworkRate'] } });
  def.phases.unshift({ key: 'ke-hoach', name: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, form: 'yearPlan', due: { kind: 'yearly-plan' } });
  return def;
}

const targetsOf = (id: string) => ({ trainedWorkers: 100 * (ALL.indexOf(id) + 1), safetyNetworkRate: 60 + ALL.indexOf(id) });
const figuresOf = (id: string, q: number) => {
  const i = ALL.indexOf(id);
  return { trainingSessions: i + q, trainedWorkers: 90 * (i + 1) + 10 * q, safetyNetworkRate: 50 + i + q / 2, accidents: (i + q) % 3 === 0 ? 1 : 0 };
};
/** CDCS-KD never sends the fourth quarter */
const reported = (id: string, q: number) => !(id === 'CDCS-KD' && q === 4);

let first: TestWorkflowEnvironment;
let second: TestWorkflowEnvironment;
let h: CycleHarness;
let web: RunningWebApp;
let cycleId: string;
let finals: Map<string, CampaignAggregate>;
let plan: PhasedDeadlinePlan;
let year: number;
let secretariat: CookieClient;
let district: CookieClient;

beforeAll(async () => {
  first = await createTimeSkippingEnv();
  const client = first.client;
  year = new Date(await first.currentTimeMs()).getUTCFullYear() + 1;
  h = await createCycleHarness(first, { units: UNITS }, 'web-campaign-archive');
  const worker = await h.newWorker();
  await worker.runUntil(async () => {
    await importCampaign(h.db, { id: EXAMPLE.id, definition: withYearlyPlan() }, { by: 'test' });
    ({ cycleId } = await startCampaignCycle(client, h.taskQueue, h.db, { year, rootUnitId: ROOT, campaign: EXAMPLE.id }));
    await until('the whole tree has started', async () => (await campaignUnitStatus(client, cycleId, ROOT).catch(() => null))?.aggregate.phases.q1!.expected === ALL.length);
    plan = (await campaignCyclePlan(client, cycleId))!;
    // a phase opens once the one before is in: each unit sends its plan, then its quarters one after the other
    for (const id of ALL) {
      await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: 'ke-hoach', content: { plan: `Kế hoạch năm của ${id}: huấn luyện an toàn lao động.`, targets: targetsOf(id) }, channel: 'test' });
      for (const [n, q] of QUARTERS.entries())
        if (reported(id, n + 1))
          await campaignSubmit(client, h.db, { cycleId, unitId: id, phase: q, content: { results: `Quý ${n + 1}: kết quả của ${id}, tiếng Việt có dấu.`, figures: figuresOf(id, n + 1) }, channel: 'test' });
    }
    // the secretariat accepts LDLD-DONG's first quarter
    await campaignReview(client, cycleId, 'LDLD-DONG', { phase: 'q1', version: 1, decision: 'accept', comment: 'Đạt yêu cầu', reviewerUnitId: ROOT, channel: 'test' });
    // CDCS-MAY's first quarter is returned once, sent again and accepted; CDCS-KD's fourth is extended (and still missed)
    await campaignReview(client, cycleId, 'CDCS-MAY', { phase: 'q1', version: 1, decision: 'return', comment: 'Bổ sung số liệu tổ an toàn vệ sinh viên', reviewerUnitId: 'LDLD-DONG', channel: 'test' });
    await campaignSubmit(client, h.db, { cycleId, unitId: 'CDCS-MAY', phase: 'q1', content: { results: 'Quý 1: kết quả của CDCS-MAY, đã bổ sung.', figures: figuresOf('CDCS-MAY', 1) }, channel: 'test' });
    await campaignReview(client, cycleId, 'CDCS-MAY', { phase: 'q1', version: 2, decision: 'accept', comment: '', reviewerUnitId: 'LDLD-DONG', channel: 'test' });
    await campaignExtend(client, cycleId, 'CDCS-KD', { phase: 'q4', until: `${year + 1}-01-19`, reason: 'Trường nghỉ Tết sớm', byUnitId: 'CDN-GD', channel: 'test' });
    while ((await first.currentTimeMs()) < Date.parse(plan.closesAt) - 31 * DAY) await first.sleep(30 * DAY);
    await client.workflow.getHandle(cycleId).result();
    // a unit archives its final aggregate as it closes, which may come after the cycle's own result
    await Promise.all(ALL.map((id) => client.workflow.getHandle(unitWorkflowId(cycleId, id)).result()));
  });
  finals = await finalCampaignAggregates(h.db, cycleId);
  // the workflows are gone: the web app talks to a server that never ran them
  await first.teardown();
  second = await createTimeSkippingEnv();
  web = await startWebApp({ config: h.config, db: h.db, client: second.client, taskQueue: h.taskQueue, mailer: h.mailer });
  secretariat = await signInByEmail(web.url, h.sink, officerEmail(ROOT));
  district = await signInByEmail(web.url, h.sink, officerEmail('LDLD-DONG'));
}, 300_000);

afterAll(async () => {
  await web?.close();
  await h?.close();
  await second?.teardown();
}, 120_000);

const base = () => `/cycles/${encodeURIComponent(cycleId)}`;
/** The text of the first element matching a `data-…` path like `#phase-q1 tr[data-figure=x] [data-field=y]`, crudely. */
function cell(page: string, ...markers: string[]): string {
  let at = 0;
  for (const m of markers) {
    at = page.indexOf(m, at);
    if (at < 0) throw new Error(`${m} not found on the page`);
  }
  const open = page.indexOf('>', at) + 1;
  return page.slice(open, page.indexOf('</', open)).trim();
}

describe('a closed campaign cycle, from the archive, after its workflows are gone', () => {
  it('every node archived its final aggregate, the plan’s targets carried into each quarter', () => {
    expect([...finals.keys()].sort()).toEqual([...ALL].sort());
    const q1 = finals.get(ROOT)!.phases.q1!.figures.trainedWorkers!;
    expect(q1.target).toBe(ALL.reduce((n, id) => n + targetsOf(id).trainedWorkers, 0));
    expect(q1.value).toBe(ALL.reduce((n, id) => n + figuresOf(id, 1).trainedWorkers, 0));
    expect(finals.get(ROOT)!.phases.q4!.notSubmitted.total).toBe(1);
  });

  it('the dashboard lists it as closed, with its campaign and version', async () => {
    const res = await secretariat.request('/');
    expect(res.status).toBe(200);
    const row = res.text.slice(res.text.indexOf(`data-cycle="${cycleId}"`), res.text.indexOf('</tr>', res.text.indexOf(`data-cycle="${cycleId}"`)));
    expect(row).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
    expect(row).toContain(`(${EXAMPLE.id} v1)`);
    expect(row).toContain('Liên đoàn Lao động tỉnh Thái Nguyên');
    expect(row).toContain('<span class="badge ">Đã đóng</span>'); // the engine no longer knows it: closed
  });

  it('the cycle page: the campaign, the root’s final aggregate per phase and figure (target, achieved, %), the units below', async () => {
    const res = await secretariat.request(base());
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain('id="archive-note"');
    expect(cell(page, 'data-field="campaign-name"')).toContain('Báo cáo quý về an toàn, vệ sinh lao động');
    expect(page).toContain(`(${EXAMPLE.id} v1)`);
    expect(cell(page, 'data-field="year"')).toBe(/^cycle-(\d{4})-/.exec(cycleId)![1]);
    expect(cell(page, 'data-field="root"')).toContain('Liên đoàn Lao động tỉnh Thái Nguyên');
    // each phase of the version, in order; figures with target, achieved and % where the plan set targets
    const root = finals.get(ROOT)!;
    for (const key of ['ke-hoach', ...QUARTERS]) expect(page).toContain(`id="phase-${key}"`);
    const q1 = root.phases.q1!;
    expect(cell(page, 'id="phase-q1"', 'data-field="expected"')).toBe(String(ALL.length));
    const tw = q1.figures.trainedWorkers!;
    expect(cell(page, 'id="phase-q1"', 'data-figure="trainedWorkers"', 'data-field="target"')).toBe(vi('trainedWorkers', tw.target));
    expect(cell(page, 'id="phase-q1"', 'data-figure="trainedWorkers"', 'data-field="achieved"')).toBe(vi('trainedWorkers', tw.value));
    expect(percentAchieved(tw.target, tw.value)).toBeGreaterThan(0);
    expect(cell(page, 'id="phase-q1"', 'data-figure="trainedWorkers"', 'data-field="percent"')).toBe(percent(percentAchieved(tw.target, tw.value), 'vi'));
    // a figure the plan set no target for shows no target
    expect(cell(page, 'id="phase-q1"', 'data-figure="accidents"', 'data-field="target"')).toBe('—');
    expect(cell(page, 'id="phase-q4"', 'data-field="not-submitted"')).toBe('1');
    // the units below, each phase's standing as the archive has it
    expect(cell(page, 'id="unit-rows"', 'data-unit="LDLD-DONG"', 'data-phase="q1"')).toBe('Đã được chấp nhận');
    expect(cell(page, 'id="unit-rows"', 'data-unit="CDN-GD"', 'data-phase="q4"')).toBe('Đã nộp, chờ xem xét');
    // read-only: no review or extension form; the secretariat's workbook link and the phases' DOCX
    expect(page).not.toContain('<form method="post" action="/cycles');
    expect(page).toContain('data-download="xlsx"');
    expect(page).toContain(`${base()}/units/${ROOT}/phases/q4/report.docx`);

    // in English
    const en = (await secretariat.request(`${base()}?lang=en`)).text;
    expect(en).toContain('Closed cycle — from the archive');
    expect(en).toContain('Q1 report');
    expect(cell(en, 'id="unit-rows"', 'data-unit="LDLD-DONG"', 'data-phase="q1"')).toBe('Accepted');
    expect((await secretariat.request(`${base()}?lang=vi`)).status).toBe(200); // back to Vietnamese for the rest
  });

  it('drill-down: a level’s final aggregate and its units; a unit’s own report per phase with its targets', async () => {
    const gd = (await secretariat.request(`${base()}?unit=CDN-GD`)).text;
    const agg = finals.get('CDN-GD')!;
    expect(cell(gd, 'id="phase-q4"', 'data-figure="trainedWorkers"', 'data-field="achieved"')).toBe(vi('trainedWorkers', agg.phases.q4!.figures.trainedWorkers!.value));
    expect(cell(gd, 'id="phase-q1"', 'data-figure="trainedWorkers"', 'data-field="target"')).toBe(vi('trainedWorkers', targetsOf('CDN-GD').trainedWorkers + targetsOf('CDCS-KD').trainedWorkers));
    expect(cell(gd, 'id="unit-rows"', 'data-unit="CDCS-KD"', 'data-phase="q4"')).toBe(`Chưa nộp (quá hạn, gia hạn đến 19/01/${year + 1})`);
    expect(cell(gd, 'id="unit-rows"', 'data-unit="CDCS-KD"', 'data-phase="q3"')).toBe('Đã nộp, chờ xem xét');

    const may = await secretariat.request(`${base()}/units/CDCS-MAY`);
    expect(may.status).toBe(200);
    expect(may.text).toContain('id="archive-note"');
    expect(cell(may.text, 'data-field="unit-name"')).toContain('Công đoàn cơ sở Công ty May Đức Giang');
    const q2 = figuresOf('CDCS-MAY', 2);
    expect(cell(may.text, 'id="phase-q2"', 'data-figure="trainedWorkers"', 'data-field="value"')).toBe(vi('trainedWorkers', q2.trainedWorkers));
    expect(cell(may.text, 'id="phase-q2"', 'data-figure="safetyNetworkRate"', 'data-field="value"')).toBe(vi('safetyNetworkRate', q2.safetyNetworkRate));
    expect(cell(may.text, 'id="phase-q2"', 'data-targets="q2"', 'data-figure="trainedWorkers"', 'data-field="target"')).toBe(vi('trainedWorkers', targetsOf('CDCS-MAY').trainedWorkers));
    expect(cell(may.text, 'id="phase-ke-hoach"', 'data-targets="ke-hoach"', 'data-figure="safetyNetworkRate"', 'data-field="target"')).toBe(vi('safetyNetworkRate', targetsOf('CDCS-MAY').safetyNetworkRate));
    expect(cell(may.text, 'id="phase-q2"', 'data-field="status"')).toContain('Đã nộp, chờ xem xét');
    const kd = (await secretariat.request(`${base()}/units/CDCS-KD`)).text;
    expect(cell(kd, 'id="phase-q4"', 'data-field="status"')).toBe(`Chưa nộp (quá hạn, gia hạn đến 19/01/${year + 1})`);

    // a review posted to the closed cycle is refused on the archived page, nothing else happens
    const dong = await secretariat.request(`${base()}/units/LDLD-DONG`);
    expect(cell(dong.text, 'id="phase-q1"', 'data-field="status"')).toContain('Đã được chấp nhận');
    expect(dong.text).toContain('data-phase-figures="q1"');
    const refused = await secretariat.request(`${base()}/units/LDLD-DONG/review`, { form: { _csrf: CookieClient.csrfOf((await secretariat.request('/cycles/new')).text), decision: 'return', phase: 'q2', version: '1', comment: 'Bổ sung số liệu' } });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(CLOSED_CYCLE_REFUSAL.split(':')[0]!);
    expect(refused.text).toContain('id="archive-note"');
  });

  it('a district’s staff see their own subtree only, and not the cycle’s workbook', async () => {
    const own = await district.request(base());
    expect(own.status).toBe(200);
    expect(own.text).toContain('data-unit="CDCS-MAY"');
    expect(own.text).not.toContain('data-download="xlsx"');
    expect((await district.request(`${base()}/units/CDCS-KD`)).status).toBe(403);
    expect((await district.request(`${base()}?unit=CDN-GD`)).status).toBe(403);
    expect((await district.download(`${base()}/campaign.xlsx`)).status).toBe(403);
    expect((await district.download(`${base()}/units/CDCS-MAY/phases/q1/report.docx`)).status).toBe(200);
  });

  it('the workbook streams from the archive: a sheet per phase, a row per unit, the totals the aggregate has', async () => {
    const xlsx = await secretariat.download(`${base()}/campaign.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain(XLSX_CONTENT_TYPE);
    // streamed as it is written: no length known in advance
    expect(xlsx.headers.get('content-length')).toBeNull();
    expect(xlsx.headers.get('transfer-encoding')).toBe('chunked');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Kế hoạch năm', 'Báo cáo quý I', 'Báo cáo quý II', 'Báo cáo quý III', 'Báo cáo quý IV']);
    const rowsOf = (ws: ExcelJS.Worksheet) => {
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return rows;
    };
    const q4 = wb.worksheets[4]!;
    const header = rowsOf(q4)[0]!.map(String);
    const col = (label: string) => header.findIndex((h) => h === label);
    const achieved = col('Số người lao động được huấn luyện (người): thực hiện');
    const target = col('Số người lao động được huấn luyện (người): kế hoạch');
    expect(achieved).toBeGreaterThan(0);
    expect(target).toBeGreaterThan(0);
    const rows = rowsOf(q4);
    const byUnit = new Map(rows.filter((r) => typeof r[0] === 'string' && ALL.includes(r[0])).map((r) => [r[0] as string, r]));
    // depth-first, in the frozen tree's order (units below a node by name)
    expect([...byUnit.keys()]).toEqual(['LDLD-TN', 'CDN-GD', 'CDCS-KD', 'LDLD-DONG', 'CDCS-MAY', 'CDCS-THPT']);
    expect(byUnit.get('CDCS-MAY')![1]).toBe('Công đoàn cơ sở Công ty May Đức Giang');
    expect(byUnit.get('CDCS-MAY')![achieved]).toBe(figuresOf('CDCS-MAY', 4).trainedWorkers);
    expect(byUnit.get('CDCS-MAY')![target]).toBe(targetsOf('CDCS-MAY').trainedWorkers);
    expect(byUnit.get('CDCS-KD')![achieved] ?? null).toBeNull();
    const total = rows.find((r) => r[1] === 'Tổng cộng / Total')!;
    expect((total[achieved] as { result: number }).result).toBe(finals.get(ROOT)!.phases.q4!.figures.trainedWorkers!.value);
  });

  it('a level’s and a unit’s DOCX per phase still download, built from the archive', async () => {
    const level = await secretariat.download(`${base()}/units/LDLD-DONG/phases/q3/report.docx`);
    expect(level.status).toBe(200);
    expect(level.headers.get('content-type')).toContain(DOCX_CONTENT_TYPE);
    const xml = await (await JSZip.loadAsync(level.bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Báo cáo quý III');
    expect(xml).toContain('Công đoàn cơ sở Trường THPT Lý Thái Tổ');
    expect(xml).toContain(vi('trainedWorkers', finals.get('LDLD-DONG')!.phases.q3!.figures.trainedWorkers!.value));
    const unit = await secretariat.download(`${base()}/units/CDCS-THPT/phases/q3/report.docx`);
    expect(unit.status).toBe(200);
    const unitXml = await (await JSZip.loadAsync(unit.bytes)).file('word/document.xml')!.async('string');
    expect(unitXml).toContain('Quý 3: kết quả của CDCS-THPT, tiếng Việt có dấu.');
    expect((await secretariat.download(`${base()}/units/CDCS-THPT/phases/q9/report.docx`)).status).toBe(404);
  });

  it('a unit’s archived page: each phase’s deadline (due, extended, why) and the comment of every returned version', async () => {
    const due = (depth: number, phase: string) => plan.levels[depth]!.phases[phase]!.dueAt;
    const kd = (await secretariat.request(`${base()}/units/CDCS-KD`)).text;
    // due as the cycle's plan set it for the unit's level, kept in the archive
    expect(cell(kd, 'id="phase-q1"', 'data-field="due"')).toBe(dateTime(due(2, 'q1'), 'vi'));
    expect(cell(kd, 'id="phase-q4"', 'data-field="due"')).toBe(dateTime(due(2, 'q4'), 'vi'));
    expect(cell(kd, 'id="phase-q4"', 'data-field="extended"')).toContain(`19/01/${year + 1}`);
    expect(cell(kd, 'id="phase-q4"', 'data-field="extended-reason"')).toBe('Trường nghỉ Tết sớm');
    expect(kd.slice(kd.indexOf('id="phase-q3"'), kd.indexOf('id="phase-q4"'))).not.toContain('data-field="extended"');
    // the cycle page: the focus's due per phase in each phase's heading
    const gd = (await secretariat.request(`${base()}?unit=CDN-GD`)).text;
    expect(gd.slice(gd.indexOf('id="phase-q2"'), gd.indexOf('id="phase-q3"'))).toContain(`Hạn nộp ${localDate(plan.levels[1]!.phases.q2!.dueDate)}</h3>`);

    const may = (await secretariat.request(`${base()}/units/CDCS-MAY`)).text;
    const q1 = may.slice(may.indexOf('id="phase-q1"'), may.indexOf('id="phase-q2"'));
    expect(cell(q1, 'data-field="status"')).toContain('Đã được chấp nhận');
    expect(cell(q1, 'data-field="status"')).toContain('Phiên bản 2');
    expect(q1).toContain('data-field="returns"');
    expect(cell(q1, 'data-field="returns"', 'data-version="1"', 'data-field="comment"')).toBe('Bổ sung số liệu tổ an toàn vệ sinh viên');
    expect(q1).not.toContain('data-version="2"');
    // in English
    const en = (await secretariat.request(`${base()}/units/CDCS-MAY?lang=en`)).text;
    expect(en).toContain('Returned versions');
    expect((await secretariat.request(`${base()}?lang=vi`)).status).toBe(200);
    // the JSON API carries the same
    const api = JSON.parse((await secretariat.request(`/api/cycles/${encodeURIComponent(cycleId)}/units/CDCS-MAY`)).text);
    expect(api.source).toBe('archive');
    expect(api.phases[1].own.deadline).toMatchObject({ dueAt: due(2, 'q1'), extended: null, returns: [{ version: 1, comment: 'Bổ sung số liệu tổ an toàn vệ sinh viên' }] });
  });

  it('a cycle archived without its plan: the due instant its audit log names (the extension’s “from”)', async () => {
    await h.db.deleteFrom('campaign_cycle_plans').where('cycle_id', '=', cycleId).execute();
    const kd = (await secretariat.request(`${base()}/units/CDCS-KD`)).text;
    expect(cell(kd, 'id="phase-q4"', 'data-field="due"')).toBe(dateTime(plan.levels[2]!.phases.q4!.dueAt, 'vi'));
  });
});
