// Submissions and small trees for cycle tests, plus waiting on a running cycle without wall-clock sleeps
// (we wait for a condition on real workflow state; each attempt yields to the event loop).
import type { Client } from '@temporalio/client';
import type { UnitInput } from '../../activities/directory/types';
import { unitStatus } from '../../client/cycles';
import type { CycleWorkflowInput } from '../../workflows/cycle';
import { parseCycleId } from '../../workflows/ids';
import type { PlanContent, ReportContent } from '../../workflows/report';

export function planFor(unitId: string, year: number): PlanContent {
  return {
    title: `Kế hoạch thực hiện Chỉ thị 05-CT/TW năm ${year} của ${unitId}`,
    number: `05/KH-${unitId}`,
    body: 'Tổ chức học tập chuyên đề, đăng ký làm theo tấm gương đạo đức Hồ Chí Minh; đưa nội dung vào phong trào thi đua.',
  };
}

/** Figures that differ per unit, so a wrong sum cannot pass by accident. */
export function reportFor(unitId: string, index: number): ReportContent {
  return {
    leadership: `Ban Thường vụ ${unitId} ban hành kế hoạch, hướng dẫn thực hiện.`,
    implementation: 'Tổ chức học tập chuyên đề năm; đoàn viên đăng ký làm theo; tuyên truyền trên bản tin, mạng xã hội.',
    assessment: 'Kết quả tích cực; còn hạn chế ở khu vực doanh nghiệp ngoài nhà nước.',
    recommendations: 'Đề nghị LĐLĐ tỉnh tiếp tục hỗ trợ tài liệu sinh hoạt chuyên đề.',
    figures: { studyClasses: 1 + (index % 4), participants: 20 + index * 7, exemplaryModels: index % 3, exemplaryPeople: index % 5 },
    commendations:
      index % 9 === 0 ? [{ kind: 'individual', name: `Nguyễn Thị Hương (${unitId})`, reason: 'Gương điển hình học tập và làm theo Bác' }] : [],
  };
}

const contact = (name: string, id: string) => ({ name, email: `${id.toLowerCase()}@example.vn` });

/** root R → intermediates I1, I2 → grassroots G11, G12 (under I1) and G21 (under I2). */
export function smallTree(): UnitInput[] {
  const unit = (id: string, name: string, kind: UnitInput['kind'], parentId: string | null): UnitInput => ({
    id,
    name,
    kind,
    parentId,
    chair: contact(`Chủ tịch ${name}`, `chair-${id}`),
    officer: contact(`Cán bộ ${name}`, id),
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: kind === 'root' ? [contact('Tổng Liên đoàn Lao động Việt Nam', 'tld')] : [],
  });
  return [
    unit('R', 'Liên đoàn Lao động tỉnh Thử Nghiệm', 'root', null),
    unit('I1', 'Liên đoàn Lao động huyện Đông', 'intermediate', 'R'),
    unit('I2', 'Công đoàn ngành Giáo dục', 'intermediate', 'R'),
    unit('G11', 'Công đoàn cơ sở Công ty May Đức Giang', 'grassroots', 'I1'),
    unit('G12', 'Công đoàn cơ sở Trường THPT Lý Thái Tổ', 'grassroots', 'I1'),
    unit('G21', 'Công đoàn cơ sở Trường Tiểu học Kim Đồng', 'grassroots', 'I2'),
  ];
}

/** Resolves once the cycle's whole tree has started: the root counts every unit below it (and itself). */
export function untilTreeStarted(client: Client, cycleId: string, units: number): Promise<void> {
  const rootUnitId = parseCycleId(cycleId)!.rootId;
  return until(`the tree of ${cycleId} has started (${units} units)`, async () => {
    const status = await unitStatus(client, cycleId, rootUnitId).catch(() => null);
    return status !== null && status.aggregate.below.plan.expected + 1 === units;
  });
}

/** Resolves once `check` holds, re-evaluated as the system progresses; fails after a bounded number of tries. */
export async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** The directory date test cycles freeze their tree at. */
export const TREE_AS_OF = '2026-11-01';

export function cycleInput(cycleId: string, year: number, rootUnitId: string, extra: Partial<CycleWorkflowInput> = {}): CycleWorkflowInput {
  return { cycleId, year, rootUnitId, firstYear: false, treeAsOf: TREE_AS_OF, ...extra };
}
