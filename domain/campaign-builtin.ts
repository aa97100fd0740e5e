// The built-in campaign, version 1: today's fixed yearly cycle as one campaign among others — the plan (title,
// number, body) and the results report with the outline of seed 004 (four sections), its four figures and the
// commendation proposals, with the limits of workflows/report.ts (test/campaigns/builtin.test.ts proves the two
// forms equivalent). Cycles started before campaigns existed run this campaign.
import type { CampaignDefinition } from './campaign';
import {
  COMMENDATION_NAME_MAX_BYTES,
  COMMENDATION_REASON_MAX_BYTES,
  MAX_COMMENDATIONS,
  PLAN_BODY_MAX_BYTES,
  PLAN_NUMBER_MAX_BYTES,
  SECTION_MAX_BYTES,
  TITLE_MAX_BYTES,
  UNIT_FIGURE_MAX,
} from './submission-limits';
import type { Figure, Section } from './campaign-form';

export const BUILTIN_CAMPAIGN_ID = 'builtin-yearly';
export const BUILTIN_CAMPAIGN_VERSION = 1;
/** who "created" the built-in campaign in the store */
export const BUILTIN_CREATED_BY = 'system';

const noGuidance = { vi: '', en: '' };

const section = (key: string, maxBytes: number, required: boolean, title: Section['title'], guidance: Section['guidance'] = noGuidance): Section => ({
  key,
  title,
  guidance,
  required,
  maxBytes,
});

const count = (key: string, label: Figure['label'], unit: Figure['unit']): Figure => ({
  key,
  label,
  unit,
  type: 'integer',
  decimals: 2,
  min: 0,
  max: UNIT_FIGURE_MAX,
  aggregation: 'sum',
});

export const BUILTIN_CAMPAIGN: CampaignDefinition = Object.freeze({
  name: { vi: 'Kế hoạch và báo cáo kết quả năm (mẫu có sẵn)', en: 'Yearly plan and results report (built-in)' },
  // the root's own plan is the issuing document, as before campaigns
  document: null,
  schedule: {},
  checkedLevels: 5,
  forms: [
    {
      key: 'plan',
      title: { vi: 'Kế hoạch năm', en: 'Yearly plan' },
      sections: [
        section('title', TITLE_MAX_BYTES, true, { vi: 'Tên kế hoạch', en: 'Title' }),
        section('number', PLAN_NUMBER_MAX_BYTES, false, { vi: 'Số, ký hiệu', en: 'Number and symbol' }, { vi: 'Ví dụ 05/KH-CĐCS', en: 'e.g. 05/KH-CĐCS' }),
        section('body', PLAN_BODY_MAX_BYTES, true, { vi: 'Nội dung kế hoạch', en: 'Body of the plan' }),
      ],
      figures: [],
      rules: [],
      lists: [],
    },
    {
      key: 'report',
      title: { vi: 'Báo cáo kết quả', en: 'Results report' },
      sections: [
        section('leadership', SECTION_MAX_BYTES, false, { vi: '1. Công tác lãnh đạo, chỉ đạo', en: '1. Leadership and direction' }, {
          vi: 'Việc ban hành văn bản lãnh đạo, chỉ đạo; việc cụ thể hóa nội dung vào kế hoạch, chương trình hành động.',
          en: 'Documents issued; how the content was built into plans and programmes.',
        }),
        section('implementation', SECTION_MAX_BYTES, false, { vi: '2. Kết quả tổ chức thực hiện', en: '2. Implementation' }, {
          vi: '2.1 Học tập, quán triệt (hình thức, số lớp, số người tham gia); 2.2 Kế hoạch làm theo; 2.3 Gắn với phong trào thi đua; 2.4 Tuyên truyền, gương điển hình; 2.5 Sơ kết, kiểm tra, giám sát.',
          en: '2.1 Study sessions (form, classes, participants); 2.2 Follow-up plans; 2.3 Emulation movements; 2.4 Communication, exemplary models and people; 2.5 Review, inspection, supervision.',
        }),
        section('assessment', SECTION_MAX_BYTES, false, { vi: '3. Đánh giá chung', en: '3. Overall assessment' }, {
          vi: 'Kết quả, ưu điểm, hạn chế, nguyên nhân, bài học kinh nghiệm.',
          en: 'Results, strengths, shortcomings, causes, lessons.',
        }),
        section('recommendations', SECTION_MAX_BYTES, false, { vi: '4. Phương hướng, kiến nghị, đề xuất', en: '4. Directions and recommendations' }, {
          vi: 'Đề xuất, kiến nghị với Trung ương, với Thành phố, với Quận.',
          en: 'To the central level, the city or province, the district.',
        }),
      ],
      figures: [
        count('studyClasses', { vi: 'Số lớp học tập, quán triệt', en: 'Study classes' }, { vi: 'lớp', en: 'classes' }),
        count('participants', { vi: 'Số lượt người tham gia', en: 'Participants' }, { vi: 'người', en: 'people' }),
        count('exemplaryModels', { vi: 'Mô hình hay, cách làm sáng tạo', en: 'Exemplary models' }, { vi: 'mô hình', en: 'models' }),
        count('exemplaryPeople', { vi: 'Gương điển hình tiêu biểu', en: 'Exemplary people' }, { vi: 'người', en: 'people' }),
      ],
      rules: [],
      lists: [
        {
          kind: 'commendations',
          key: 'commendations',
          title: { vi: 'Đề nghị khen thưởng', en: 'Commendation proposals' },
          guidance: { vi: 'Tập thể, cá nhân tiêu biểu đề nghị biểu dương, khen thưởng.', en: 'Exemplary collectives and individuals proposed for commendation.' },
          maxItems: MAX_COMMENDATIONS,
          nameMaxBytes: COMMENDATION_NAME_MAX_BYTES,
          reasonMaxBytes: COMMENDATION_REASON_MAX_BYTES,
        },
      ],
    },
  ],
  phases: [
    { key: 'plan', name: { vi: 'Kế hoạch năm', en: 'Yearly plan' }, form: 'plan', due: { kind: 'yearly-plan' } },
    // `cycle start --report-due may-review|DATE` overrides this rule for one cycle, as today
    { key: 'report', name: { vi: 'Báo cáo kết quả năm', en: 'Yearly results report' }, form: 'report', due: { kind: 'year-end' } },
  ],
}) as CampaignDefinition;
