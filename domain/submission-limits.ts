// The byte limits of what units submit (sizes are bytes as stored: domain/text.ts). The fixed forms of
// workflows/report.ts and the built-in campaign (domain/campaign-builtin.ts) share them, so the two cannot drift.
import { PAYLOAD_BUDGET_BYTES } from './text';

/** A whole submission (the update's argument) as JSON never weighs more than this. */
export const SUBMISSION_MAX_JSON_BYTES = PAYLOAD_BUDGET_BYTES;

/** each of the report's four sections (about 6,600 characters of Vietnamese) */
export const SECTION_MAX_BYTES = 20_000;
/** the plan's body: one document, three sections' worth */
export const PLAN_BODY_MAX_BYTES = 60_000;
export const TITLE_MAX_BYTES = 600;
export const PLAN_NUMBER_MAX_BYTES = 100;
export const COMMENDATION_NAME_MAX_BYTES = 300;
export const COMMENDATION_REASON_MAX_BYTES = 500;
export const MAX_COMMENDATIONS = 200;
/** a unit's own figure; an aggregate of many units has no cap (workflows/aggregate-schema.ts) */
export const UNIT_FIGURE_MAX = 10_000_000;

/** who pressed submit (free text, shown in the audit log) */
export const SUBMITTED_BY_MAX_BYTES = 200;
/** the longest idempotency key a submission may carry */
export const IDEMPOTENCY_KEY_MAX_CHARS = 128;
