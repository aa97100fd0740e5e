// What the workflows of a campaign's cycle carry because of its definition, at the largest legal values,
// computed from the definition alone (as domain/campaign-budget.ts does for one submission) — so a definition
// whose cycles could not keep every payload within PAYLOAD_BUDGET_BYTES is refused when it is defined, not when a
// unit of a running cycle meets the problem:
// - the deadline plan every unit's workflow input carries (domain/calendar.ts PhasedDeadlinePlan);
// - a unit's entry in its parent's state, which is also what its report upward (the child report signal) weighs,
//   and how many of them one workflow keeps (workflows/campaign-state.ts campaignFanOutLimit);
// - the part of a unit's continue-as-new state the definition fixes: its own phases and the events of its year;
// - a node's aggregate, which the cycle returns with its plan when it closes.
// domain/ imports nothing from workflows/, so the shapes below mirror workflows/campaign-state.ts;
// test/campaigns/payload-budget.test.ts pins each one to the workflows' own measure.
import { DEFAULT_SCHEDULE_RULES, type PhaseDeadlines, type PhasedDeadlinePlan, type ScheduleRules, type Timeline } from './calendar';
import { figureJsonChars } from './campaign-budget';
import type { Figure, Form } from './campaign-form';
import { workflowViewBytes } from './campaign-view';
import { groupDigits, jsonBytes, PAYLOAD_BUDGET_BYTES } from './text';
import { AGGREGATE_LIST_CAP, CAMPAIGN_OWN_RESERVE_BYTES, MAX_FAN_OUT } from './workflow-limits';

/** What the payload checks read of a definition. */
export interface PayloadSource {
  phases: readonly { key: string; form: string }[];
  forms: readonly Form[];
  schedule: Partial<ScheduleRules>;
  /** the deepest tree the definition is checked for: the plan has one level per depth */
  checkedLevels: number;
}

// ---------------- the bounds ----------------

/**
 * The most the deadline plan may weigh. Every unit's input carries it whole beside the view (at most
 * WORKFLOW_VIEW_MAX_BYTES, 64 KiB) and the unit's own reserve (CAMPAIGN_OWN_RESERVE_BYTES, 48 KiB), and the cycle's
 * result carries it beside the root's aggregate: 96 KiB leaves at least 48 KiB of every input for entries.
 */
export const DEADLINE_PLAN_MAX_BYTES = 96 * 1024;

/**
 * What a campaign unit keeps of its own in its continue-as-new input besides its children, the view and the plan
 * (which campaignFanOutLimit, workflows/campaign-state.ts, leaves free). The workflow's input stays within the
 * budget only if its own part does.
 */
export { CAMPAIGN_OWN_RESERVE_BYTES } from './workflow-limits';

/**
 * The part of that reserve the definition may not take: what a unit's year adds whatever the definition — receipts
 * of its submissions (≈ 360 bytes each at their longest, ≈ 250 with ordinary keys), the review comment of a
 * returned phase, the escalation rounds of its children's extended deadlines. 12 KiB: ≈ 34 submissions at their
 * longest, or two returns with a full comment; the definition may then take 35 KiB, which a monthly campaign of
 * 12 phases and 20 figures needs with the default schedule.
 */
export const OWN_USE_RESERVE_BYTES = 12 * 1024;

/** Units directly below one unit a campaign cycle supports (workflows/campaign-fan-out.ts CAMPAIGN_MAX_FAN_OUT). */
export const CAMPAIGN_FAN_OUT_UNITS = MAX_FAN_OUT;

/**
 * Levels of groups (workflows/campaign-group.ts) at most between a unit and its units: each level is one more
 * signal on the way up for every report and more workflows for a wide unit, so entries so large that a workflow
 * keeps only a handful would turn a wide unit into a tall tree of groups.
 */
export const MAX_GROUP_LEVELS = 3;

/**
 * The fewest entries one workflow of a cycle must be able to keep: with as many, CAMPAIGN_FAN_OUT_UNITS units below
 * one unit are held by at most MAX_GROUP_LEVELS levels of groups (capacity^(levels + 1) ≥ units). 7 today.
 */
export const MIN_ENTRIES_PER_WORKFLOW = (() => {
  let c = 2;
  while (c ** (MAX_GROUP_LEVELS + 1) < CAMPAIGN_FAN_OUT_UNITS) c++;
  return c;
})();

// ---------------- largest legal values ----------------

/** Ids of the longest legal form: unit ids ≤ 64 characters (domain/directory.ts), campaign ids ≤ 48 (CAMPAIGN_ID). */
const UNIT_ID = 'U'.repeat(64);
const CAMPAIGN_ID = 'c'.repeat(48);
/** `rehearsal-YYYY-<root>-<stamp>~<campaign>` (workflows/ids.ts) */
const CYCLE_ID = `rehearsal-2100-${UNIT_ID}-${'0'.repeat(14)}~${CAMPAIGN_ID}`;
/** a group's workflow id, the longest a unit reports to (workflows/ids.ts campaignGroupWorkflowId) */
const REPORT_TO_ID = `${CYCLE_ID}/${UNIT_ID}#group-${CAMPAIGN_FAN_OUT_UNITS}-${CAMPAIGN_FAN_OUT_UNITS}`;
/** every instant of a plan is ISO-8601 with milliseconds: 24 characters */
const INSTANT = '2100-12-31T16:59:59.999Z';
const LOCAL_DATE = '2100-12-31';
/** counters of a 130,000-unit country fit in 6 digits (workflows/campaign-state.ts campaignEntryAtMost) */
const BIG = 999_999;
/** the longest JSON number a figure aggregate can hold (a sum over the largest tree of the largest values) */
const MAX_AGGREGATE_NUMBER = -Number.MAX_SAFE_INTEGER / 7;
/**
 * The holiday data file's version, recorded in every plan: its schema sets no length (activities/calendar/
 * holiday-data.ts), so the bound assumes one this long — the shipped file's is 9 (a test checks it stays within).
 */
export const CALENDAR_VERSION_MAX_CHARS = 64;

/** The schedule rules a plan is computed with: the definition's over the defaults, reminders once each. */
export function scheduleRulesOf(schedule: Partial<ScheduleRules>): ScheduleRules {
  const given = Object.fromEntries(Object.entries(schedule).filter(([, v]) => v !== undefined)) as Partial<ScheduleRules>;
  const rules = { ...DEFAULT_SCHEDULE_RULES, ...given };
  return { ...rules, reminderWorkingDaysBefore: [...new Set(rules.reminderWorkingDaysBefore)].sort((a, b) => b - a) };
}

/** Escalation rounds of one deadline: at the deadline, then every `escalationEveryWorkingDays` up to the horizon. */
export function escalationRounds(rules: ScheduleRules): number {
  return Math.floor(rules.escalationHorizonWorkingDays / rules.escalationEveryWorkingDays) + 1;
}

/** One phase's deadlines with every instant at its longest, as many reminders and rounds as the rules give. */
function largestPhaseDeadlines(rules: ScheduleRules): PhaseDeadlines {
  const rounds = escalationRounds(rules);
  return {
    dueDate: LOCAL_DATE,
    dueAt: INSTANT,
    reminders: rules.reminderWorkingDaysBefore.map(() => INSTANT),
    escalations: Array.from({ length: rounds }, () => ({ at: INSTANT, round: rounds, target: 'grandparent' as const })),
  };
}

/** A rehearsal's timeline, the longer of the two kinds: three instants and a fraction of minutes. */
const LARGEST_TIMELINE: Timeline = { kind: 'rehearsal', calendarStart: INSTANT, calendarEnd: INSTANT, wallStart: INSTANT, minutes: 10_079.999999999998 };

/** The deadline plan of a cycle of this definition on a tree of `checkedLevels` levels, every value at its longest. */
export function largestDeadlinePlan(def: PayloadSource): PhasedDeadlinePlan {
  const rules = scheduleRulesOf(def.schedule);
  const deadlines = largestPhaseDeadlines(rules);
  return {
    year: 2100,
    firstYear: false,
    timeZone: 'Asia/Ho_Chi_Minh',
    calendarVersion: 'v'.repeat(CALENDAR_VERSION_MAX_CHARS),
    rules,
    phaseKeys: def.phases.map((p) => p.key),
    levels: Array.from({ length: def.checkedLevels }, (_, depth) => ({ depth, phases: Object.fromEntries(def.phases.map((p) => [p.key, deadlines])) })),
    closesAt: INSTANT,
    timeline: LARGEST_TIMELINE,
  };
}

export function maxDeadlinePlanBytes(def: PayloadSource): number {
  return jsonBytes(largestDeadlinePlan(def));
}

/** A phase's figures and, for a plan form, the figures its targets name (as the target form defines them). */
function phaseFigures(def: PayloadSource, formKey: string): { figures: readonly Figure[]; targets: readonly Figure[] } {
  const form = def.forms.find((f) => f.key === formKey);
  if (!form) return { figures: [], targets: [] };
  const target = form.targets ? def.forms.find((f) => f.key === form.targets!.form) : undefined;
  const targets = form.targets && target ? form.targets.figures.map((k) => target.figures.find((f) => f.key === k)).filter((f): f is Figure => f !== undefined) : [];
  return { figures: form.figures, targets };
}

/**
 * A unit's entry in its parent's state at its largest legal values, keyed by its 64-character id: per phase its
 * summary, its subtree's counts, figure aggregates, targets and list items (workflows/campaign-state.ts
 * campaignEntryAtMost). The report it sends upward (the child report signal) weighs the same within a few bytes.
 */
export function maxChildEntryBytes(def: PayloadSource): number {
  const fig = { value: MAX_AGGREGATE_NUMBER, reporting: BIG };
  const entry = { kind: 'intermediate', seq: Number.MAX_SAFE_INTEGER, phases: {} as Record<string, unknown>, subtree: { counts: {} as Record<string, unknown>, figures: {} as Record<string, unknown>, targets: {} as Record<string, unknown>, listItems: {} as Record<string, unknown> } };
  for (const p of def.phases) {
    const { figures, targets } = phaseFigures(def, p.form);
    entry.phases[p.key] = { progress: 'accepted', version: BIG, late: false, overdue: false, extendedDueDate: '2099-12-31', remindersSent: BIG };
    entry.subtree.counts[p.key] = [BIG, BIG, BIG, BIG, BIG];
    entry.subtree.figures[p.key] = Object.fromEntries(figures.map((f) => [f.key, fig]));
    if (targets.length > 0) entry.subtree.targets[p.key] = Object.fromEntries(targets.map((f) => [f.key, fig]));
    entry.subtree.listItems[p.key] = BIG;
  }
  return jsonBytes({ [UNIT_ID]: entry }) - 1;
}

/** A unit workflow's input without its view, plan and state: its ids and counters at their longest. */
export function unitInputEnvelopeBytes(): number {
  const envelope = {
    cycleId: CYCLE_ID,
    campaignId: CAMPAIGN_ID,
    version: BIG,
    year: 2100,
    unitId: UNIT_ID,
    kind: 'intermediate',
    depth: 99,
    parentUnitId: UNIT_ID,
    grandparentUnitId: UNIT_ID,
    rootUnitId: UNIT_ID,
    reportToWorkflowId: REPORT_TO_ID,
    view: 0,
    plan: 0,
    childCount: CAMPAIGN_FAN_OUT_UNITS,
    continueAsNewAfterEvents: Number.MAX_SAFE_INTEGER,
    resume: 0,
  };
  return jsonBytes(envelope) - 3; // the three placeholders
}

/** A unit's own figures (or targets) at their longest as JSON: `null` when its form has none. */
function ownFiguresBytes(figures: readonly Figure[]): number {
  if (figures.length === 0) return jsonBytes(null);
  return jsonBytes(Object.fromEntries(figures.map((f) => [f.key, 0]))) + figures.reduce((n, f) => n + figureJsonChars(f) - 1, 0);
}

/**
 * What the definition fixes of a unit's own state (workflows/campaign-state.ts CampaignUnitState) at its largest:
 * per phase its progress, deadlines (its level's, or an extension's: as many rounds), counters and its own figures
 * and targets at their longest; the keys of every scheduled event of its year (its reminders and due marks, the
 * escalation rounds of its children at their level's deadlines); "remind now" per phase. Without receipts or a
 * review's comment: those are the year's use (OWN_USE_RESERVE_BYTES).
 */
export function maxOwnStateBytes(def: PayloadSource): number {
  const rules = scheduleRulesOf(def.schedule);
  const deadlines = largestPhaseDeadlines(rules);
  const phases: Record<string, unknown> = {};
  let figureBytes = 0;
  const done: string[] = [];
  for (const p of def.phases) {
    const { figures, targets } = phaseFigures(def, p.form);
    phases[p.key] = {
      progress: { kind: 'returned', version: BIG, firstSubmittedAt: INSTANT, lastSubmittedAt: INSTANT, late: false, comment: '', returnedAt: INSTANT },
      deadlines,
      extended: false,
      overdue: false,
      remindersSent: BIG,
      escalationsSent: BIG,
      figures: 0,
      targets: 0,
      listItems: BIG,
    };
    // each `0` above stands for an object of the figures at their longest
    figureBytes += ownFiguresBytes(figures) - 1 + ownFiguresBytes(targets) - 1;
    done.push(...deadlines.reminders.map((at) => `reminder:${p.key}:${at}`), `due:${p.key}:${INSTANT}`);
    done.push(...deadlines.escalations.map((e) => `escalation:${p.key}:${e.at}:${e.target}`));
  }
  const state = {
    phases,
    receipts: {},
    done,
    children: {},
    seq: Number.MAX_SAFE_INTEGER,
    closed: false,
    taskSent: false,
    childrenStarted: false,
    remindedNowAtMs: Object.fromEntries(def.phases.map((p) => [p.key, 8.64e15])),
  };
  return jsonBytes(state) + figureBytes;
}

/** Ids each list of an aggregate names per phase. */
export const AGGREGATE_LIST_IDS = AGGREGATE_LIST_CAP;

/**
 * A node's aggregate at its largest (workflows/campaign-state.ts campaignAggregateOf): per phase its four lists
 * full of 64-character ids (campaignListCap: AGGREGATE_LIST_IDS × 2 shared by the phases, at least 5 each), every
 * figure with its target, a plan phase's targets. It is the root's result, an activity's input when archived and
 * part of the status query.
 */
export function largestAggregate(def: PayloadSource): unknown {
  const cap = Math.max(5, Math.floor((2 * AGGREGATE_LIST_IDS) / Math.max(1, def.phases.length)));
  const list = { ids: Array.from({ length: cap }, () => UNIT_ID), total: BIG };
  const phases: Record<string, unknown> = {};
  for (const p of def.phases) {
    const { figures, targets } = phaseFigures(def, p.form);
    phases[p.key] = {
      expected: BIG,
      submittedOnTime: list,
      submittedLate: list,
      notSubmitted: list,
      overdue: list,
      rates: { completeness: 99.9, timeliness: 99.9 },
      figures: Object.fromEntries(figures.map((f) => [f.key, { value: MAX_AGGREGATE_NUMBER, reporting: BIG, target: MAX_AGGREGATE_NUMBER }])),
      targets: targets.length > 0 ? Object.fromEntries(targets.map((f) => [f.key, { value: MAX_AGGREGATE_NUMBER, reporting: BIG }])) : null,
      listItems: BIG,
    };
  }
  return { cycleId: CYCLE_ID, unitId: UNIT_ID, campaignId: CAMPAIGN_ID, version: BIG, asOf: INSTANT, phases };
}

/** What the cycle's workflow returns when it closes: its plan and the root's final aggregate. */
export function maxCycleResultBytes(def: PayloadSource): number {
  return jsonBytes({ cycleId: CYCLE_ID, plan: largestDeadlinePlan(def), aggregate: largestAggregate(def) });
}

/**
 * How many entries one workflow of a cycle of this definition keeps at least: what campaignFanOutLimit
 * (workflows/campaign-state.ts) computes with the largest view and plan, before its own cap of 500.
 */
export function minEntriesPerWorkflow(def: PayloadSource): number {
  const room = PAYLOAD_BUDGET_BYTES - workflowViewBytes(def) - maxDeadlinePlanBytes(def) - CAMPAIGN_OWN_RESERVE_BYTES;
  return Math.max(0, Math.floor(room / maxChildEntryBytes(def)));
}

// ---------------- the checks: one per bound ----------------

/** Reports one problem of a definition: its field and the reason in English and Vietnamese. */
export type AddPayloadIssue = (path: (string | number)[], en: string, vi: string) => void;

const en = (n: number) => groupDigits(n, ',');
const vi = (n: number) => groupDigits(n, '.');

/** "60 phases × 50 figures (and 50 targets)": what makes a definition's entries and state heavy. */
function figuresSummary(def: PayloadSource): { en: string; vi: string } {
  let figures = 0;
  let targets = 0;
  for (const p of def.phases) {
    const f = phaseFigures(def, p.form);
    figures = Math.max(figures, f.figures.length);
    targets = Math.max(targets, f.targets.length);
  }
  return {
    en: `${def.phases.length} phases × ${figures} figures${targets > 0 ? ` (and ${targets} targets)` : ''}`,
    vi: `${def.phases.length} giai đoạn × ${figures} chỉ tiêu${targets > 0 ? ` (và ${targets} chỉ tiêu kế hoạch)` : ''}`,
  };
}

/** The deadline plan every unit's workflow input (and the cycle's result) carries: ≤ DEADLINE_PLAN_MAX_BYTES. */
export function checkDeadlinePlanBudget(def: PayloadSource, add: AddPayloadIssue): void {
  const bytes = maxDeadlinePlanBytes(def);
  if (bytes <= DEADLINE_PLAN_MAX_BYTES) return;
  const rules = scheduleRulesOf(def.schedule);
  const reminders = rules.reminderWorkingDaysBefore.length;
  const rounds = escalationRounds(rules);
  add(
    ['phases'],
    `${def.phases.length} phases × ${def.checkedLevels} levels, each deadline with ${reminders} reminders and ${rounds} escalation rounds: the deadline plan every unit's task carries would weigh ${en(bytes)} bytes, over the ${en(DEADLINE_PLAN_MAX_BYTES)} allowed; use fewer phases, fewer checked levels (checkedLevels), or fewer reminders or escalation rounds (schedule)`,
    `${def.phases.length} giai đoạn × ${def.checkedLevels} cấp, mỗi hạn có ${reminders} lần đôn đốc và ${rounds} lần báo quá hạn lên cấp trên: kế hoạch hạn nộp mà nhiệm vụ của mỗi đơn vị mang theo sẽ nặng ${vi(bytes)} byte, vượt mức cho phép ${vi(DEADLINE_PLAN_MAX_BYTES)} byte; hãy dùng ít giai đoạn hơn, ít cấp kiểm tra hơn (checkedLevels), hoặc ít lần đôn đốc hay báo quá hạn hơn (schedule)`,
  );
}

/**
 * A unit's entry in its parent's state and its report upward: a workflow must keep at least
 * MIN_ENTRIES_PER_WORKFLOW of them beside the view, the plan and its own reserve in one payload, so that the
 * fan-out limit the workflows derive from the entry (campaignFanOutLimit) never falls below it.
 */
export function checkChildEntryBudget(def: PayloadSource, add: AddPayloadIssue): void {
  const entries = minEntriesPerWorkflow(def);
  if (entries >= MIN_ENTRIES_PER_WORKFLOW) return;
  const bytes = maxChildEntryBytes(def);
  const room = Math.max(0, PAYLOAD_BUDGET_BYTES - workflowViewBytes(def) - maxDeadlinePlanBytes(def) - CAMPAIGN_OWN_RESERVE_BYTES);
  const what = figuresSummary(def);
  add(
    ['forms'],
    `${what.en}: a unit's entry in its parent's state (and its report upward) would weigh ${en(bytes)} bytes at the largest legal values; a parent must keep at least ${MIN_ENTRIES_PER_WORKFLOW} of them in one payload of ${en(PAYLOAD_BUDGET_BYTES)} bytes, where the plan, the forms and its own state leave ${en(room)}; use fewer phases, figures or targets, or shorter figure keys`,
    `${what.vi}: phần của mỗi đơn vị trong trạng thái của đơn vị cấp trên (và báo cáo gửi lên) sẽ nặng ${vi(bytes)} byte ở giá trị lớn nhất hợp lệ; đơn vị cấp trên phải giữ được ít nhất ${MIN_ENTRIES_PER_WORKFLOW} phần như vậy trong một gói ${vi(PAYLOAD_BUDGET_BYTES)} byte, nơi kế hoạch hạn nộp, mẫu biểu và trạng thái riêng chỉ để lại ${vi(room)} byte; hãy dùng ít giai đoạn, chỉ tiêu hoặc chỉ tiêu kế hoạch hơn, hoặc mã chỉ tiêu ngắn hơn`,
  );
}

/**
 * A unit's own part of its continue-as-new input (ids and what the definition fixes of its state) must leave
 * OWN_USE_RESERVE_BYTES of CAMPAIGN_OWN_RESERVE_BYTES to its year's receipts and comments: the fan-out limit
 * keeps only that reserve free, so a larger own part would push the input past the payload budget.
 */
export function checkOwnStateBudget(def: PayloadSource, add: AddPayloadIssue): void {
  const bytes = unitInputEnvelopeBytes() + maxOwnStateBytes(def);
  const allowed = CAMPAIGN_OWN_RESERVE_BYTES - OWN_USE_RESERVE_BYTES;
  if (bytes <= allowed) return;
  const rules = scheduleRulesOf(def.schedule);
  const events = rules.reminderWorkingDaysBefore.length + 1 + escalationRounds(rules);
  const what = figuresSummary(def);
  add(
    ['phases'],
    `${what.en}, ${events} scheduled events per phase (reminders, the due mark, escalation rounds): each unit's own state would keep ${en(bytes)} bytes of deadlines, figures and events, over the ${en(allowed)} allowed beside its submissions' receipts; use fewer phases or figures, or fewer reminders or escalation rounds (schedule)`,
    `${what.vi}, ${events} sự kiện theo lịch mỗi giai đoạn (đôn đốc, hạn nộp, báo quá hạn): trạng thái riêng của mỗi đơn vị sẽ giữ ${vi(bytes)} byte hạn nộp, số liệu và sự kiện, vượt mức cho phép ${vi(allowed)} byte bên cạnh biên nhận các bài nộp; hãy dùng ít giai đoạn hoặc chỉ tiêu hơn, hoặc ít lần đôn đốc hay báo quá hạn hơn (schedule)`,
  );
}

/** The cycle's result (its plan and the root's aggregate, which the status query and the archive carry too): ≤ the payload budget. */
export function checkCycleResultBudget(def: PayloadSource, add: AddPayloadIssue): void {
  const bytes = maxCycleResultBytes(def);
  if (bytes <= PAYLOAD_BUDGET_BYTES) return;
  const what = figuresSummary(def);
  add(
    ['forms'],
    `${what.en}: a cycle's aggregate with its deadline plan, as the cycle returns it when it closes, would weigh ${en(bytes)} bytes at the largest legal values, over the ${en(PAYLOAD_BUDGET_BYTES)} allowed; use fewer phases, figures or targets, or shorter figure keys`,
    `${what.vi}: tổng hợp của chu kỳ kèm kế hoạch hạn nộp, như chu kỳ trả về khi kết thúc, sẽ nặng ${vi(bytes)} byte ở giá trị lớn nhất hợp lệ, vượt mức cho phép ${vi(PAYLOAD_BUDGET_BYTES)} byte; hãy dùng ít giai đoạn, chỉ tiêu hoặc chỉ tiêu kế hoạch hơn, hoặc mã chỉ tiêu ngắn hơn`,
  );
}

/** Every payload bound a definition fixes, each reported on its field (the first problem per field is shown). */
export function checkPayloadBudgets(def: PayloadSource, add: AddPayloadIssue): void {
  checkDeadlinePlanBudget(def, add);
  checkOwnStateBudget(def, add);
  checkChildEntryBudget(def, add);
  checkCycleResultBudget(def, add);
}
