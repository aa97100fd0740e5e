// To the secretariat: a workflow of its cycle is dead (worker/dead-workflow-alerts.ts queues it, one per dead run).
import { deadStatusText, type DeadWorkflow } from '../../../common/dead-workflows';
import type { Language } from '../../directory/types';
import { renderMail, type RenderedMail } from './blocks';
import { closing, cycleContext, footer, salutation, subjectLine } from './common';
import { formatDateTime } from './format';

export interface WorkflowDeadAlertData {
  lang: Language;
  cycleId: string;
  /** the secretariat's unit (the cycle's root) */
  rootName: string;
  dead: DeadWorkflow;
  /** the name of the dead workflow's unit, null for a workflow of the cycle itself */
  unitName: string | null;
}

export function renderWorkflowDeadAlert(d: WorkflowDeadAlertData): RenderedMail {
  const { lang, dead } = d;
  const vi = lang === 'vi';
  const what = dead.unitId ? `${d.unitName ?? dead.unitId} (${dead.unitId})` : vi ? `quy trình ${dead.workflowType} của chu kỳ` : `the cycle's ${dead.workflowType}`;
  return renderMail({
    lang,
    subject: subjectLine(lang, cycleContext(d.cycleId), vi ? `Cảnh báo: theo dõi đã dừng — ${what}` : `Alert: follow-up stopped — ${what}`),
    salutation: salutation(lang, d.rootName),
    blocks: [
      {
        kind: 'paragraph',
        content: vi
          ? [`Việc theo dõi nhiệm vụ của `, { strong: what }, ` đã dừng${dead.closedAt ? ` lúc ${formatDateTime(dead.closedAt, lang)}` : ''}: không còn nhắc hạn, không còn ghi nhận bài nộp, và số liệu của đơn vị (cùng các đơn vị trực thuộc) không còn được tổng hợp lên trên.`]
          : [`Follow-up of the task of `, { strong: what }, ` has stopped${dead.closedAt ? ` at ${formatDateTime(dead.closedAt, lang)}` : ''}: no more reminders, no more submissions recorded, and its figures (and those of the units below it) no longer reach the totals above.`],
      },
      {
        kind: 'facts',
        rows: [
          { label: vi ? 'Trạng thái' : 'Status', value: deadStatusText(dead.status) },
          { label: vi ? 'Lý do' : 'Reason', value: dead.reason },
          { label: vi ? 'Mã quy trình' : 'Workflow id', value: dead.workflowId },
        ],
      },
      {
        kind: 'paragraph',
        content: vi
          ? 'Đề nghị báo ngay cho bộ phận kỹ thuật. Lệnh `baocao cycle status` liệt kê mọi quy trình đã dừng của chu kỳ.'
          : 'Please tell the technical team at once. `baocao cycle status` lists every stopped workflow of the cycle.',
      },
    ],
    closing: closing(lang),
    footer: footer(lang),
  });
}
