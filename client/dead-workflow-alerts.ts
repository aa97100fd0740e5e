// The secretariat is emailed once per dead workflow of its cycles (client/cycle-health.ts): a small periodic
// check the worker process runs, off every workflow's path. The email goes through the mail outbox like every
// other (purpose `workflow-dead`, one key per dead run): a crash between the check and the send sends it on the
// next check, never twice. Bilingual, in the root unit's language.
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { Db } from '../activities/db/database';
import { getUnits } from '../activities/directory/repository';
import { composeMessage, envelopeRecipients } from '../activities/mail/compose';
import { createOutboxMessage, deliverOutboxMessage, findOutboxMessage, outboxMessageId } from '../activities/mail/outbox';
import { renderMail, type RenderedMail } from '../activities/mail/templates';
import { closing, cycleContext, footer, salutation, subjectLine } from '../activities/mail/templates/common';
import { formatDateTime } from '../activities/mail/templates/format';
import { senderAddress } from '../activities/mail/transport';
import type { Language } from '../activities/directory/types';
import type { Config } from '../common/config';
import { parseCycleId } from '../workflows/ids';
import { deadStatusText, listDeadWorkflows, type DeadWorkflow } from './cycle-health';

export const WORKFLOW_DEAD_PURPOSE = 'workflow-dead';
/** How often the worker checks (docs: ARCHITECTURE "A dead workflow is never silent"). */
export const DEAD_WORKFLOW_CHECK_EVERY_MS = 5 * 60_000;
/** Cycles closed longer ago than this are not checked any more. */
const CHECK_CLOSED_CYCLES_FOR_MS = 30 * 24 * 3600_000;

export interface DeadWorkflowAlertDeps {
  client: Client;
  db: Db;
  mailer: Transporter<unknown>;
  config: Pick<Config, 'mail'>;
  now?: () => Date;
}

/** One email per dead run, whatever the number of checks. */
export function workflowDeadAlertKey(dead: Pick<DeadWorkflow, 'workflowId' | 'runId'>): string {
  return `${dead.workflowId}:${dead.runId}:${WORKFLOW_DEAD_PURPOSE}`;
}

export function renderWorkflowDeadAlert(d: { lang: Language; cycleId: string; rootName: string; dead: DeadWorkflow; unitName: string | null }): RenderedMail {
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

/** Cycles worth checking: running, or closed within the last 30 days (one visibility query). */
async function cyclesToCheck(client: Client, now: Date): Promise<string[]> {
  const since = new Date(now.getTime() - CHECK_CLOSED_CYCLES_FOR_MS).toISOString();
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'cycleWorkflow' AND (ExecutionStatus = 'Running' OR CloseTime > '${since}')` })) {
    if (parseCycleId(wf.workflowId) && !ids.includes(wf.workflowId)) ids.push(wf.workflowId);
  }
  return ids;
}

/**
 * Emails the secretariat (the root unit's officer) of each cycle once per dead workflow not yet alerted.
 * `cycleIds`: only these (default: every running or recently closed cycle). Returns what it sent.
 */
export async function alertDeadWorkflows(deps: DeadWorkflowAlertDeps, cycleIds?: string[]): Promise<{ cycles: number; dead: number; sent: string[] }> {
  const now = deps.now ?? (() => new Date());
  const sender = senderAddress(deps.config.mail.from);
  const cycles = cycleIds ?? (await cyclesToCheck(deps.client, now()));
  const sent: string[] = [];
  let deadCount = 0;
  for (const cycleId of cycles) {
    const dead = await listDeadWorkflows(deps.client, cycleId);
    deadCount += dead.length;
    const rootId = parseCycleId(cycleId)!.rootId;
    for (const d of dead) {
      const key = workflowDeadAlertKey(d);
      let row = await findOutboxMessage(deps.db, key);
      if (row && row.status !== 'sending') continue; // told already (or refused for good: a bounce alert exists)
      if (!row) {
        const units = new Map((await getUnits(deps.db, [rootId, ...(d.unitId ? [d.unitId] : [])])).map((u) => [u.id, u]));
        const root = units.get(rootId);
        if (!root?.officer.email.trim()) throw new Error(`Cannot alert about ${d.workflowId}: the root unit ${rootId} has no officer email in the directory: add one.`);
        const rendered = renderWorkflowDeadAlert({ lang: root.language, cycleId, rootName: root.name, dead: d, unitName: d.unitId ? (units.get(d.unitId)?.name ?? null) : null });
        const messageId = outboxMessageId(key, sender.domain);
        const raw = await composeMessage({ from: deps.config.mail.from, replyTo: deps.config.mail.replyTo, to: [root.officer], cc: [], rendered, messageId, date: now() });
        row = await createOutboxMessage(
          deps.db,
          { key, messageId, purpose: WORKFLOW_DEAD_PURPOSE, cycleId, unitId: root.id, envelopeFrom: sender.address, recipients: envelopeRecipients([root.officer]), subject: rendered.subject, raw },
          now(),
        );
      }
      const delivery = await deliverOutboxMessage({ db: deps.db, mailer: deps.mailer, now }, row);
      if (delivery.status === 'sent') sent.push(d.workflowId);
    }
  }
  return { cycles: cycles.length, dead: deadCount, sent };
}

/**
 * The periodic check for worker/main.ts: runs now, then every `everyMs`; a failed check is logged and tried
 * again at the next tick (SMTP or visibility down is not a reason to stop the worker). Returns `stop`.
 */
export function startDeadWorkflowWatch(deps: DeadWorkflowAlertDeps, options: { everyMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // the previous check is still going: skip this tick
    running = alertDeadWorkflows(deps)
      .then(
        (r) => {
          if (r.sent.length) log(`[dead-workflows] ${r.sent.length} alert(s) sent to the secretariat: ${r.sent.join(', ')}`);
        },
        (err: unknown) => log(`[dead-workflows] check failed, trying again later: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, options.everyMs ?? DEAD_WORKFLOW_CHECK_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
