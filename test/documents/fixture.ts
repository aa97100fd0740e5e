// A small closed cycle in the archive: a city federation, a district federation with grassroots unions and an
// intermediate union below it, and a second district that never reported. Figures, late and missing units,
// a returned-and-resubmitted report, commendation proposals and an aggregate recorded as the workflow would.
import { recordEvent, storeSubmission } from '../../activities/archive/store';
import type { Db } from '../../activities/db/database';
import { snapshotCycleTree, upsertUnits } from '../../activities/directory/repository';
import type { UnitInput, UnitKind } from '../../activities/directory/types';
import type { Figures, PlanContent, ReportContent } from '../../workflows/report';

export const CYCLE = 'cycle-2027-LDLD-HN';
export const ROOT = 'LDLD-HN';
export const DISTRICT = 'LDLD-LB';

/** Unit names with every kind of Vietnamese diacritic. One is stored decomposed (NFD), as some keyboards type it. */
export const NAMES = {
  'LDLD-HN': 'Liên đoàn Lao động Thành phố Hà Nội',
  'LDLD-LB': 'Liên đoàn Lao động Quận Long Biên',
  'CDCS-DG': 'Công đoàn cơ sở Công ty CP May Đức Giang',
  'CDCS-NT': 'Công đoàn cơ sở Trường THCS Ngọc Thụy',
  'CDCS-BV': 'Công đoàn cơ sở Bệnh viện Đa khoa Đức Giang',
  'CD-KCQ': 'Công đoàn Khối cơ quan quận Long Biên',
  'CDCS-BD': 'Công đoàn cơ sở Ủy ban nhân dân phường Bồ Đề',
  'CDCS-PGD': 'Công đoàn cơ sở Phòng Giáo dục và Đào tạo quận Long Biên',
  'LDLD-GL': 'Liên đoàn Lao động Huyện Gia Lâm',
} as const;
export type FixtureUnit = keyof typeof NAMES;
export const NFD_UNIT: FixtureUnit = 'CDCS-NT';

export const CHAIR_LB = 'Lê Thị Thu Hằng';
export const DISTRIBUTION_LB = ['Thường trực, Ban Tuyên giáo LĐLĐ Thành phố', 'Ban Dân vận, Ban Tuyên giáo Quận ủy', 'Các công đoàn cơ sở trực thuộc'];

const TREE: [FixtureUnit, UnitKind, FixtureUnit | null][] = [
  ['LDLD-HN', 'root', null],
  ['LDLD-LB', 'intermediate', 'LDLD-HN'],
  ['CDCS-DG', 'grassroots', 'LDLD-LB'],
  ['CDCS-NT', 'grassroots', 'LDLD-LB'],
  ['CDCS-BV', 'grassroots', 'LDLD-LB'],
  ['CD-KCQ', 'intermediate', 'LDLD-LB'],
  ['CDCS-BD', 'grassroots', 'CD-KCQ'],
  ['CDCS-PGD', 'grassroots', 'CD-KCQ'],
  ['LDLD-GL', 'intermediate', 'LDLD-HN'],
];

/** Report figures of each unit's latest report (CDCS-NT's first version had other figures). */
export const FIGURES: Partial<Record<FixtureUnit, Figures>> = {
  'LDLD-LB': { studyClasses: 5, participants: 400, exemplaryModels: 2, exemplaryPeople: 4 },
  'CDCS-DG': { studyClasses: 12, participants: 850, exemplaryModels: 3, exemplaryPeople: 10 },
  'CDCS-NT': { studyClasses: 4, participants: 120, exemplaryModels: 1, exemplaryPeople: 2 },
  'CD-KCQ': { studyClasses: 2, participants: 60, exemplaryModels: 0, exemplaryPeople: 1 },
  'CDCS-BD': { studyClasses: 3, participants: 95, exemplaryModels: 1, exemplaryPeople: 3 },
};

export const PLAN_DUE = '2027-03-31T23:59:59+07:00';
export const REPORT_DUE = '2027-12-01T23:59:59+07:00';
/** the district's aggregate instant: 17:00 on 10 December in Hà Nội */
export const AS_OF = '2027-12-10T10:00:00.000Z';
export const CLOSED_AT = '2027-12-31T23:59:59+07:00';

export function unitInput(id: FixtureUnit, kind: UnitKind, parentId: string | null): UnitInput {
  const name = id === NFD_UNIT ? NAMES[id].normalize('NFD') : NAMES[id];
  return {
    id,
    name,
    kind,
    parentId,
    chair: { name: id === 'LDLD-LB' ? CHAIR_LB : 'Nguyễn Văn Đức', email: `chair.${id.toLowerCase()}@example.vn` },
    officer: { name: 'Trần Thị Bích Ngọc', email: `officer.${id.toLowerCase()}@example.vn` },
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: id === 'LDLD-LB' ? DISTRIBUTION_LB.map((n, i) => ({ name: n, email: `noinhan${i}@example.vn` })) : [],
  };
}

function report(id: FixtureUnit, extra: Partial<ReportContent> = {}): ReportContent {
  return {
    leadership: `Ban Thường vụ ${NAMES[id]} ban hành kế hoạch và hướng dẫn thực hiện.`,
    implementation: 'Tổ chức học tập chuyên đề năm 2027 cho đoàn viên, người lao động.\n- Hình thức: trực tiếp và trực tuyến.',
    assessment: 'Đoàn viên tham gia tích cực; một số đơn vị còn chậm.',
    recommendations: 'Đề nghị Thành phố tăng cường tài liệu hướng dẫn.',
    figures: FIGURES[id]!,
    commendations: [],
    ...extra,
  };
}

const PLAN: PlanContent = { title: 'Kế hoạch học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2027', number: '18/KH-LĐLĐ', body: 'Nội dung kế hoạch.' };

let seq = 0;
async function submit(db: Db, unitId: FixtureUnit, phase: 'plan' | 'report', version: number, submittedAt: string, late: boolean, content: unknown) {
  seq += 1;
  await storeSubmission(db, { cycleId: CYCLE, unitId, phase, version, idempotencyKey: `fixture-${seq}`, content, channel: 'test', submittedBy: 'fixture', submittedAt, late });
  await recordEvent(db, { key: `${CYCLE}/${unitId}:submit:${phase}:${version}`, cycleId: CYCLE, unitId, kind: `${phase}-submitted`, actor: unitId, channel: 'test', at: submittedAt, data: { version, late } });
}

async function event(db: Db, unitId: FixtureUnit, kind: string, at: string, data: Record<string, unknown> = {}, actor = 'system') {
  await recordEvent(db, { key: `${CYCLE}/${unitId}:${kind}:${at}`, cycleId: CYCLE, unitId, kind, actor, channel: 'test', at, data });
}

/** Directory, frozen tree, submissions and audit log of the fixture cycle. */
export async function buildArchive(db: Db): Promise<void> {
  await upsertUnits(db, TREE.map(([id, kind, parent]) => unitInput(id, kind, parent)));
  await snapshotCycleTree(db, { cycleId: CYCLE, rootId: ROOT, asOf: '2027-01-04' });

  // plans: the root's carries the number every report refers to; CDCS-NT late, CDCS-BV never
  await submit(db, 'LDLD-HN', 'plan', 1, '2027-02-20T02:00:00.000Z', false, PLAN);
  for (const id of ['LDLD-LB', 'CDCS-DG', 'CD-KCQ', 'CDCS-BD', 'CDCS-PGD'] as const) {
    await submit(db, id, 'plan', 1, '2027-03-10T03:00:00.000Z', false, { title: `Kế hoạch năm 2027 của ${NAMES[id]}`, number: '', body: 'Nội dung.' });
  }
  await submit(db, 'CDCS-NT', 'plan', 1, '2027-04-05T03:00:00.000Z', true, { title: 'Kế hoạch năm 2027', number: '', body: 'Nội dung.' });
  for (const id of ['CDCS-BV', 'CDCS-NT', 'LDLD-GL'] as const) await event(db, id, 'plan-overdue', PLAN_DUE, { dueAt: PLAN_DUE });
  await event(db, 'CDCS-NT', 'plan-accepted', '2027-04-06T03:00:00.000Z', { version: 1, comment: '' }, 'LDLD-LB');

  // reports: CDCS-DG on time and accepted with commendations; CDCS-NT late, returned, resubmitted (v2)
  await submit(db, 'CDCS-DG', 'report', 1, '2027-11-20T03:00:00.000Z', false, report('CDCS-DG', {
    commendations: [
      { kind: 'collective', name: 'Tổ may số 3, Xí nghiệp may Đức Giang', reason: 'Dẫn đầu phong trào thi đua lao động giỏi' },
      { kind: 'individual', name: 'Nguyễn Thị Ngọc Ánh', reason: 'Gương điển hình làm theo Bác' },
    ],
  }));
  await event(db, 'CDCS-DG', 'report-accepted', '2027-11-22T03:00:00.000Z', { version: 1, comment: '' }, 'LDLD-LB');
  await submit(db, 'CDCS-NT', 'report', 1, '2027-12-03T03:00:00.000Z', true, report('CDCS-NT', { figures: { studyClasses: 1, participants: 10, exemplaryModels: 0, exemplaryPeople: 0 } }));
  await event(db, 'CDCS-NT', 'report-returned', '2027-12-04T03:00:00.000Z', { version: 1, comment: 'Bổ sung số liệu lớp học' }, 'LDLD-LB');
  await submit(db, 'CDCS-NT', 'report', 2, '2027-12-05T03:00:00.000Z', true, report('CDCS-NT'));
  await submit(db, 'CD-KCQ', 'report', 1, '2027-11-25T03:00:00.000Z', false, report('CD-KCQ'));
  // written with the Hà Nội offset: 16:30 local is 09:30Z, before AS_OF although its text sorts after it
  await submit(db, 'CDCS-BD', 'report', 1, '2027-12-10T16:30:00+07:00', false, report('CDCS-BD'));
  await submit(db, 'LDLD-LB', 'report', 1, '2027-12-09T03:00:00.000Z', false, report('LDLD-LB', {
    commendations: [{ kind: 'individual', name: 'Đặng Quốc Việt', reason: 'Cán bộ công đoàn tiêu biểu' }],
  }));
  for (const id of ['CDCS-BV', 'LDLD-GL'] as const) await event(db, id, 'report-overdue', REPORT_DUE, { dueAt: REPORT_DUE });
  // CDCS-PGD got an extension past the report due date: still pending, not overdue, on the district's date
  await event(db, 'CDCS-PGD', 'report-extended', '2027-11-28T03:00:00.000Z', { from: REPORT_DUE, to: '2027-12-20T23:59:59+07:00', reason: 'Tết' }, 'LDLD-LB');
  // a submission after the aggregate's instant: must not count in it
  await submit(db, 'CDCS-PGD', 'report', 1, '2027-12-15T03:00:00.000Z', false, report('CDCS-BD', { figures: { studyClasses: 100, participants: 100, exemplaryModels: 100, exemplaryPeople: 100 } }));
  for (const id of Object.keys(NAMES) as FixtureUnit[]) await event(db, id, 'closed', CLOSED_AT);
}
