// Words the documents print, defined once for the DOCX report and the XLSX workbook.
import type { PhaseStanding } from '../../workflows/aggregate';
import type { Figures, Phase } from '../../workflows/report';
import type { UnitKind } from '../directory/types';
import type { ReviewState } from '../archive/status';

export interface Bilingual {
  vi: string;
  en: string;
}

/** The figures the outline asks for (seed 004, sections 2.1 and 2.4). */
export const FIGURE_LABELS: Record<keyof Figures, Bilingual> = {
  studyClasses: { vi: 'Số lớp học tập, quán triệt', en: 'Study classes' },
  participants: { vi: 'Số lượt người tham gia', en: 'Participants' },
  exemplaryModels: { vi: 'Số mô hình điển hình', en: 'Exemplary models' },
  exemplaryPeople: { vi: 'Số gương điển hình', en: 'Exemplary people' },
};

export const STANDING_LABELS: Record<PhaseStanding, Bilingual> = {
  'on-time': { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Nộp muộn', en: 'Late' },
  pending: { vi: 'Chưa nộp', en: 'Not submitted' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
};

export const REVIEW_LABELS: Record<ReviewState, Bilingual> = {
  submitted: { vi: 'Chờ xem xét', en: 'Awaiting review' },
  accepted: { vi: 'Đã chấp nhận', en: 'Accepted' },
  returned: { vi: 'Trả lại', en: 'Returned' },
};

export const PHASE_LABELS: Record<Phase, Bilingual> = {
  plan: { vi: 'Kế hoạch', en: 'Plan' },
  report: { vi: 'Báo cáo', en: 'Report' },
};

export const UNIT_KIND_LABELS: Record<UnitKind, Bilingual> = {
  root: { vi: 'Cấp gốc', en: 'Root' },
  intermediate: { vi: 'Công đoàn cấp trên cơ sở', en: 'Intermediate union' },
  grassroots: { vi: 'Công đoàn cơ sở', en: 'Grassroots union' },
};

export const COMMENDATION_KIND_LABELS: Record<'collective' | 'individual', Bilingual> = {
  collective: { vi: 'Tập thể', en: 'Collective' },
  individual: { vi: 'Cá nhân', en: 'Individual' },
};

/** The report outline (seed 004, section II), then the parts the aggregate adds. */
export const REPORT_SECTIONS = {
  leadership: '1. Công tác lãnh đạo, chỉ đạo',
  implementation: '2. Kết quả tổ chức thực hiện',
  assessment: '3. Đánh giá chung',
  recommendations: '4. Phương hướng, nhiệm vụ; kiến nghị, đề xuất',
  figures: '5. Số liệu tổng hợp của các đơn vị trực thuộc',
  submissions: '6. Tình hình nộp kế hoạch, báo cáo của các đơn vị',
  commendations: '7. Đề xuất khen thưởng',
} as const;

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const NATIONAL_MOTTO = 'Độc lập - Tự do - Hạnh phúc';
export const REPORT_DOCUMENT_TYPE = 'BÁO CÁO';
/** Type code of a report in the document symbol (Decree 30, Appendix III): "Số: 12/BC-LĐLĐ". */
export const REPORT_SYMBOL = 'BC';
export const RECIPIENTS_HEADING = 'Nơi nhận:';
/** The issuer's own copy, last line of "Nơi nhận" (seed 004: "Lưu: VP, TG."). */
export const ARCHIVE_COPY_LINE = 'Lưu: VP, TG.';
/** Who signs for a union body: its standing committee, or a grassroots union's executive committee. */
export const SIGN_ON_BEHALF: Record<UnitKind, string> = {
  root: 'TM. BAN THƯỜNG VỤ',
  intermediate: 'TM. BAN THƯỜNG VỤ',
  grassroots: 'TM. BAN CHẤP HÀNH',
};
export const SIGNER_POSITION = 'CHỦ TỊCH';
/** Where a document without a known place leaves room to write it by hand. */
export const PLACE_PLACEHOLDER = '……………';

/** MIME types of what the documents module produces. */
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
