// The task of one unit in one cycle: its task email, its plan and its results report with deadlines,
// reminders and overdue marks, the reviews of its supervisor — and, for a unit with units below it, starting
// their tasks, chasing them (escalation digests) and aggregating what they report.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  ExternalWorkflowHandle,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  log,
  patched,
} from '@temporalio/workflow';
import { mail, store } from './activities-proxy';
import { toAggregate } from './aggregate';
import { RunningAggregate } from './aggregate-running';
import { ESCALATION_ROUNDS_PATCH, EscalationRounds, scanEscalationRounds, type ListedRound } from './escalation-rounds';
import { COALESCE_UPWARD_REPORTS_PATCH, UPWARD_WINDOW_MS, UpwardPacer } from './upward-pacing';
import { ARCHIVE_AND_DOCX_PATCH, sendAggregateUpward } from './upward';
import { AGGREGATE_LIST_CAP } from './aggregate-types';
import type { Aggregate } from './aggregate-types';
import { childReportSignal, unitStatusQuery, type UnitStatus } from './messages';
import { PHASES, ZERO_FIGURES, type Phase } from './report';
import { OVERDUE, PHASE } from './search-attributes';
import { toCalendarIso, toWallMs } from './timeline';
import { takeChildren } from './unit-children';
import { startChildren } from './unit-fan-out';
import { handleRemindNow } from './unit-remind-now';
import { HISTORY_BYTES_BUDGET, HISTORY_EVENTS_BUDGET, reminderKey, type ResumedState, type RunState, type UnitRun, type UnitWorkflowInput } from './unit-run';
import { childReportOf, dueMarkApplies, escalationApplies, initialPhase, isSubmitted, phaseOf, phaseView, reminderApplies, upgradeState, type UnitState } from './unit-state';
import { fanOutMessage, MAX_FAN_OUT } from './unit-state-packing';
import { handleSubmissions } from './unit-submissions';
import { WakeTimer } from './wake-timer';

// The parts of a unit's task in their own modules, re-exported under the names other modules and tests use.
export { HISTORY_BYTES_BUDGET, HISTORY_EVENTS_BUDGET, MAX_DIRECT_CHILDREN, START_PAGE } from './unit-run';
export type { ResumedState, RunState, UnitBatchWorkflowInput, UnitWorkflowInput } from './unit-run';
export { BATCH_CYCLE_ATTRIBUTE_PATCH, unitBatchWorkflow } from './unit-fan-out';
export { KEEP_EARLY_CHILD_REPORTS_PATCH, PACK_CHILDREN_PATCH } from './unit-children';
export { REMIND_NOW_PATCH } from './unit-remind-now';

/** The root no longer signals the cycle workflow on every change (the cycle reads the root when asked). */
export const ROOT_REPORTS_TO_NOBODY_PATCH = 'root-reports-to-nobody';
/** A due event (reminder, overdue mark, digest) re-checks, when it runs, that it still applies. */
export const RECHECK_DUE_EVENTS_PATCH = 'recheck-due-events';
/** Continue-as-new also on the history's own size, not only when the server suggests it. */
export const CONTINUE_ON_HISTORY_SIZE_PATCH = 'continue-on-history-size';
/** A unit with more than MAX_FAN_OUT direct children fails at once, saying why, instead of being terminated later. */
export const REFUSE_FAN_OUT_PATCH = 'refuse-fan-out';
/**
 * A resumed run reports its state upward once: a child's report that came in while the previous run finished its
 * handlers before continuing as new set only that run's `dirty`, and the parent would otherwise wait for the next
 * change to hear of it.
 */
export const REPORT_AFTER_CONTINUE_PATCH = 'v5-report-after-continue-as-new';

export async function unitWorkflow(input: UnitWorkflowInput): Promise<Aggregate> {
  const { cycleId, unitId, plan } = input;
  const timeline = plan.timeline;
  const level = plan.levels[Math.min(input.depth, plan.levels.length - 1)]!;
  const childLevel = plan.levels[Math.min(input.depth + 1, plan.levels.length - 1)]!;
  const wall = (instant: string) => toWallMs(instant, timeline);
  const calendarNow = () => toCalendarIso(Date.now(), timeline);
  const closesAtMs = wall(plan.closesAt);

  // ids of each child's subtree kept in this state per list: AGGREGATE_LIST_CAP shared by all children
  const sampleQuota = Math.floor(AGGREGATE_LIST_CAP / Math.max(1, input.childCount));
  const { packedChildren, ...resumed } = input.resume ?? { packedChildren: undefined };
  const state: RunState = input.resume ? upgradeState(resumed as ResumedState, sampleQuota) : {
    plan: initialPhase(level.plan),
    report: initialPhase(level.report),
    ownReport: null,
    receipts: {},
    done: [],
    children: {},
    seq: 0,
    bounces: 0,
    closed: false,
    taskSent: false,
    childrenStarted: false,
  };
  const done = new Set(state.done);
  // the aggregate below, as running totals over state.children: every write to an entry goes through setChild
  const below = new RunningAggregate(state.children);
  // the escalation rounds over the same entries (read instead of every entry since ESCALATION_ROUNDS_PATCH)
  const rounds = new EscalationRounds(state.children, childLevel, (key) => done.has(key));
  const setChild = (id: string, entry: UnitState['children'][string]) => {
    state.children[id] = entry;
    below.set(id, entry);
    rounds.set(id, entry);
  };
  let dirty = false;
  const wake = new WakeTimer(); // the loop's wait keeps its timer across passes
  let lastSentReport = '';
  const pacer = new UpwardPacer(input.upwardBurst);
  let lastSearchAttributes = '';

  const workflowId = workflowInfo().workflowId;
  const parent: ExternalWorkflowHandle = getExternalWorkflowHandle(input.reportToWorkflowId);

  /** `at`: the scheduled instant for timer events (exact, whatever the worker's delay), else now. */
  const audit = (kind: string, key: string, actor: string, channel: string, data: Record<string, unknown>, at = calendarNow()) =>
    store.recordEvent({ key: `${workflowId}:${key}`, cycleId, unitId, kind, actor, channel, at, data });

  // Events scheduled before the task existed (a cycle started mid-year, or an extension) are not replayed as
  // a burst of stale reminders; only the due marks are kept, so a unit past its deadline is overdue at once.
  const skipPast = (keys: { key: string; atMs: number }[]) => {
    for (const k of keys) if (k.atMs < Date.now()) done.add(k.key);
  };

  // ---------------- messages ----------------

  const run: UnitRun = { input, state, workflowId, sampleQuota, done, wall, calendarNow, audit, setChild, markDirty: () => void (dirty = true), skipPast };
  handleSubmissions(run, sendUpward);
  handleRemindNow(run);
  const children = takeChildren(run, packedChildren);

  setHandler(unitStatusQuery, (): UnitStatus => ({
    cycleId,
    unitId,
    parentUnitId: input.parentUnitId,
    depth: input.depth,
    closed: state.closed,
    asOf: calendarNow(),
    plan: phaseView(state.plan),
    report: phaseView(state.report),
    bounces: state.bounces,
    children: Object.entries(state.children).map(([id, c]) => ({ unitId: id, plan: c.plan, report: c.report })),
    aggregate: aggregateNow(),
  }));

  function aggregateNow(): Aggregate {
    return toAggregate(cycleId, unitId, calendarNow(), below.rollup(), state.ownReport?.figures ?? { ...ZERO_FIGURES });
  }

  async function sendUpward(final: boolean, round: string) {
    await sendAggregateUpward(`${workflowId}:upward:${round}`, aggregateNow(), final, calendarNow());
  }

  // ---------------- scheduled events ----------------

  interface ScheduledEvent {
    key: string;
    atMs: number;
    /** whether it still applies now (a submission or an extension may have arrived since the batch was listed) */
    stillDue: () => boolean;
    run: () => Promise<void>;
  }

  function ownEvents(): ScheduledEvent[] {
    const events: ScheduledEvent[] = [];
    for (const phase of PHASES) {
      const ps = phaseOf(state, phase);
      if (ps.progress.kind !== 'open') continue;
      ps.deadlines.reminders.forEach((at) =>
        events.push({
          key: reminderKey(phase, at),
          atMs: wall(at),
          stillDue: () => reminderApplies(ps, at),
          run: async () => {
            const number = ps.remindersSent + 1;
            await mail.sendReminder({ key: `${workflowId}:${reminderKey(phase, at)}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, reminderNumber: number, asOf: calendarNow() });
            ps.remindersSent = number;
            dirty = true;
            await audit('reminder-sent', reminderKey(phase, at), 'system', 'timer', { phase, number, dueAt: ps.deadlines.dueAt }, at);
          },
        }),
      );
      const dueAt = ps.deadlines.dueAt;
      events.push({
        key: `due:${phase}:${dueAt}`,
        atMs: wall(dueAt),
        stillDue: () => dueMarkApplies(ps, dueAt),
        run: async () => {
          ps.overdue = true;
          dirty = true;
          await audit(`${phase}-overdue`, `overdue:${phase}:${ps.deadlines.dueAt}`, 'system', 'timer', { dueAt: ps.deadlines.dueAt }, ps.deadlines.dueAt);
          await mail.sendOverdueNotice({ key: `${workflowId}:overdue:${phase}:${ps.deadlines.dueAt}`, cycleId, unitId, phase, dueAt: ps.deadlines.dueAt, asOf: calendarNow() });
        },
      });
    }
    return events;
  }

  /**
   * One digest per supervisor per escalation round, listing every unit below still missing at that instant. The
   * rounds due by `dueBy` list their units as they stand now (a unit that submits or is extended before its
   * round's turn in the batch is left out, patched); the others are listed only when they come due.
   */
  function escalationEvents(dueBy = -Infinity): ScheduledEvent[] {
    if (input.childCount === 0) return []; // nobody below to chase (and no patch marker in a grassroots history)
    if (!patched(ESCALATION_ROUNDS_PATCH)) {
      // runs that started before it: every round rebuilt from every child entry on each pass
      const stillMissing = (id: string, phase: Phase, key: string) => escalationApplies(state.children[id]?.[phase], childLevel[phase], phase, key);
      return scanEscalationRounds(state.children, childLevel).map((round) => escalationEvent(round.key, wall(round.escalation.at), () => round, (id) => stillMissing(id, round.phase, round.key)));
    }
    return rounds.pending().map(({ key, at }) => {
      const atMs = wall(at);
      const listed = atMs <= dueBy && !done.has(key) ? rounds.listed(key) : null;
      return escalationEvent(key, atMs, () => listed ?? rounds.listed(key)!, (id) => rounds.lists(key, id));
    });
  }

  /** The digest of round `key`: `round()` lists the units when the batch was computed. */
  function escalationEvent(key: string, atMs: number, round: () => ListedRound, stillMissing: (id: string) => boolean): ScheduledEvent {
    return {
      key,
      atMs,
      stillDue: () => round().unitIds.some(stillMissing),
      run: async () => {
        const { phase, escalation, unitIds: listed } = round();
        const climbed = escalation.target === 'grandparent';
        const recipientUnitId = climbed ? (input.parentUnitId ?? unitId) : unitId;
        // listed when the batch was computed; those that submitted or were extended since are left out (patched)
        const current = listed.filter(stillMissing);
        const unitIds = current.length === listed.length || !patched(RECHECK_DUE_EVENTS_PATCH) ? listed : current;
        const units = unitIds.map((id) => {
          const view = state.children[id]![phase];
          return { unitId: id, dueAt: (view.deadlines ?? childLevel[phase]).dueAt, remindersSent: view.remindersSent };
        });
        await audit('escalation', key, 'system', 'timer', { phase, round: escalation.round, recipientUnitId, climbed, unitIds }, escalation.at);
        await mail.sendEscalationDigest({
          key: `${workflowId}:${key}`,
          cycleId,
          supervisorUnitId: unitId,
          recipientUnitId,
          climbed,
          phase,
          round: escalation.round,
          units,
          asOf: calendarNow(),
        });
      },
    };
  }

  /** `flush`: send whatever the pacer holds back (before a continue-as-new, at the close). */
  async function reportUpward(flush = false) {
    // the cycle workflow keeps nothing of the root's reports: it asks the root when a client asks it
    if (input.parentUnitId === null && patched(ROOT_REPORTS_TO_NOBODY_PATCH)) return;
    const report = childReportOf(unitId, state, below.rollup());
    const { seq: _seq, ...comparable } = report;
    const text = JSON.stringify(comparable);
    if (text === lastSentReport) {
      pacer.held = false; // back to what the parent has: nothing to send
      return;
    }
    // past its burst, the report waits for the window (workflows/upward-pacing.ts); the loop wakes for it
    // (never in the last window before the close: a report held past it could reach the parent after its final)
    const nearClose = Date.now() >= closesAtMs - UPWARD_WINDOW_MS;
    if (!flush && !nearClose && !pacer.mayReport(Date.now()) && patched(COALESCE_UPWARD_REPORTS_PATCH)) {
      pacer.held = true;
      return;
    }
    state.seq += 1;
    lastSentReport = text;
    pacer.sent(Date.now());
    try {
      await parent.signal(childReportSignal, { ...report, seq: state.seq });
    } catch (err) {
      // The parent has closed (the cycle is over): nothing above is listening any more.
      log.warn('could not report upward', { error: String(err) });
    }
  }

  function updateSearchAttributes() {
    const phase = state.closed ? 'closed' : !isSubmitted(state.plan.progress) && !state.plan.overdue ? 'plan' : !isSubmitted(state.report.progress) ? 'report' : 'done';
    const overdue = !state.closed && (state.plan.overdue || state.report.overdue);
    const text = `${phase}/${overdue}`;
    if (text === lastSearchAttributes) return;
    lastSearchAttributes = text;
    upsertSearchAttributes([
      { key: PHASE, value: phase },
      { key: OVERDUE, value: overdue },
    ]);
  }

  // ---------------- the life of the task ----------------

  if (!input.resume && input.childCount > MAX_FAN_OUT && patched(REFUSE_FAN_OUT_PATCH))
    throw ApplicationFailure.create({ type: 'FanOutTooLargeError', message: fanOutMessage(unitId, input.childCount), nonRetryable: true });
  if (packedChildren) await children.unpackResumedChildren(packedChildren);
  if (input.resume && patched(REPORT_AFTER_CONTINUE_PATCH)) dirty = true;

  if (!state.childrenStarted) {
    await startChildren(input, workflowId, (ref) => children.addStartedChild(ref));
    state.childrenStarted = true;
    dirty = true;
    skipPast([...ownEvents(), ...escalationEvents()].filter((e) => !e.key.startsWith('due:')));
  }
  if (!state.taskSent) {
    await mail.sendTaskAssignment({
      key: `${workflowId}:task`,
      cycleId,
      year: input.year,
      unitId,
      planDueAt: state.plan.deadlines.dueAt,
      reportDueAt: state.report.deadlines.dueAt,
      closesAt: plan.closesAt,
      asOf: calendarNow(),
    });
    state.taskSent = true;
    await audit('task-sent', 'task', 'system', 'email', {});
  }

  for (;;) {
    // Handle everything that is due, oldest first, each exactly once.
    const due = [...ownEvents(), ...escalationEvents(Date.now())]
      .filter((e) => !done.has(e.key) && e.atMs <= Date.now())
      .sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key));
    for (const event of due) {
      done.add(event.key);
      // an earlier event of this batch awaited an activity, during which a submission or an extension may have
      // come in: a due mark, a reminder or a digest that no longer applies is dropped
      if (!event.stillDue() && patched(RECHECK_DUE_EVENTS_PATCH)) continue;
      await event.run();
    }
    if (Date.now() >= closesAtMs) break;

    updateSearchAttributes();
    if (dirty || pacer.held) {
      dirty = false;
      await reportUpward();
    }

    const info = workflowInfo();
    const historyLarge = info.historyLength > (input.continueAsNewAfterEvents ?? HISTORY_EVENTS_BUDGET) || info.historySize > HISTORY_BYTES_BUDGET;
    if (info.continueAsNewSuggested || (historyLarge && patched(CONTINUE_ON_HISTORY_SIZE_PATCH))) {
      if (pacer.held) await reportUpward(true); // the next run knows nothing of a held report
      await condition(allHandlersFinished);
      state.done = [...done];
      await continueAsNew<typeof unitWorkflow>({ ...input, resume: await children.carriedState() });
    }

    const upcoming = [...ownEvents(), ...escalationEvents()].filter((e) => !done.has(e.key)).map((e) => e.atMs);
    const release = pacer.releaseAtMs();
    if (release !== undefined) upcoming.push(release);
    const nextAt = Math.min(closesAtMs, ...upcoming);
    await wake.waitUntil(nextAt, () => dirty);
  }

  state.closed = true;
  await condition(allHandlersFinished);
  updateSearchAttributes();
  await audit('closed', 'closed', 'system', 'timer', {});
  await reportUpward(true);
  const final = aggregateNow();
  // every node's final aggregate is archived: the cycle stays readable after Temporal's retention
  if (patched(ARCHIVE_AND_DOCX_PATCH)) await store.recordAggregate({ key: `${workflowId}:final`, aggregate: final, final: true });
  return final;
}
