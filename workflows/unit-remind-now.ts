// "Remind now" (remindNowUpdate) of a unit's task (workflows/unit.ts): a supervisor or the secretariat chases
// a unit between the scheduled reminders. The email is only queued (the dispatcher delivers it); the audit names
// who asked; at most one an hour per phase.
import { patched, setHandler } from '@temporalio/workflow';
import { mail } from './activities-proxy';
import { recordedRemindNowInputSchema, REMIND_NOW_INTERVAL_MS, remindNowInputSchema, remindNowUpdate, type RemindReceipt } from './messages';
import type { Phase } from './report';
import { parseOrReject, rejected, type UnitRun } from './unit-run';
import { phaseOf, reportPhaseOpen } from './unit-state';

/**
 * "Remind now" (remindNowUpdate). A new handler adds commands only to runs that receive the update, so older
 * histories replay without it; the marker tells a later change of this handler which runs it already served.
 */
export const REMIND_NOW_PATCH = 'remind-now';

export function handleRemindNow(run: UnitRun): void {
  const { input, state, workflowId } = run;
  const { cycleId, unitId } = input;
  const remindPhase = (requested: Phase | undefined): Phase | undefined =>
    requested ?? (state.plan.progress.kind === 'open' ? 'plan' : state.report.progress.kind === 'open' ? 'report' : undefined);
  setHandler(
    remindNowUpdate,
    async (raw): Promise<RemindReceipt> => {
      patched(REMIND_NOW_PATCH);
      const r = recordedRemindNowInputSchema.parse(raw);
      const phase = remindPhase(r.phase) ?? 'plan'; // the validator refused a unit with nothing to chase
      const ps = phaseOf(state, phase);
      // set before the first await: a second request in the same moment meets the limit in its validator
      state.remindedNowAtMs = { ...state.remindedNowAtMs, [phase]: Date.now() };
      const number = ps.remindersSent + 1;
      const at = run.calendarNow();
      const key = `remind-now:${phase}:${number}`;
      const email = ps.overdue ? 'overdue-notice' : 'reminder';
      // a reminder says how much time is left and is dropped once the deadline has passed: past it, the overdue notice
      if (email === 'reminder') await mail.sendReminder({ key: `${workflowId}:${key}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: at });
      else await mail.sendOverdueNotice({ key: `${workflowId}:${key}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, asOf: at });
      ps.remindersSent = number;
      run.markDirty();
      await run.audit('reminder-requested', key, r.byUnitId, r.channel, { phase, number, email, dueAt: ps.deadlines.dueAt, requestedBy: r.requestedBy }, at);
      return { unitId, phase, reminderNumber: number, email, remindedAt: at };
    },
    {
      validator: (raw) => {
        const r = parseOrReject(remindNowInputSchema, raw);
        if (state.closed) rejected(`The cycle ${cycleId} is closed / Chu kỳ đã đóng.`);
        if (r.byUnitId !== input.parentUnitId && r.byUnitId !== input.rootUnitId)
          rejected(`${r.byUnitId} may not remind ${unitId}: only its supervisor (${input.parentUnitId ?? '—'}) or the secretariat (${input.rootUnitId}) can / Không có quyền nhắc đơn vị này.`);
        const phase = remindPhase(r.phase);
        if (phase === undefined)
          rejected(`${unitId} has submitted its plan and its report: there is nothing to remind it of / Đơn vị đã nộp kế hoạch và báo cáo, không cần nhắc.`);
        const p = phaseOf(state, phase).progress;
        if (p.kind === 'submitted' || p.kind === 'accepted')
          rejected(`The ${phase} of ${unitId} is already submitted (version ${p.version}): there is nothing to remind it of / Đơn vị đã nộp, không cần nhắc.`);
        if (p.kind === 'returned')
          rejected(`The ${phase} of ${unitId} was returned for revision with a comment; the unit has it: a reminder is for what was never submitted / Bài nộp đã được trả lại kèm ý kiến, không gửi thư nhắc.`);
        if (phase === 'report' && !reportPhaseOpen(state))
          rejected(`The report phase of ${unitId} opens when its plan is submitted or the plan deadline has passed: remind it of its plan / Giai đoạn báo cáo chưa mở, hãy nhắc nộp kế hoạch.`);
        const last = state.remindedNowAtMs?.[phase];
        if (last !== undefined && Date.now() - last < REMIND_NOW_INTERVAL_MS) {
          const ago = Math.floor((Date.now() - last) / 60_000);
          const wait = Math.max(1, Math.ceil((last + REMIND_NOW_INTERVAL_MS - Date.now()) / 60_000));
          rejected(
            `${unitId} was reminded of its ${phase} ${ago} min ago: at most one reminder an hour; try again in ${wait} min / ` +
              `Đơn vị vừa được nhắc ${ago} phút trước; mỗi giờ chỉ nhắc một lần, hãy thử lại sau ${wait} phút.`,
          );
        }
      },
    },
  );
}
