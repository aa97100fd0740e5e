// The size limits workflow state is built around, named once here so that workflows/ (which keeps them) and the
// campaign definition's payload bounds (domain/campaign-payloads.ts, which checks a definition against them) read
// the same numbers.

/**
 * Direct children one unit may have (its continue-as-new input then stays within 256 KiB at the largest legal
 * values). A cycle whose tree has a unit with more is refused at its start (FanOutTooLargeError).
 */
export const MAX_FAN_OUT = 2_000;

/**
 * Unit ids kept per list of an aggregate. Worst case of one aggregate (a ChildReport signal, an activity input,
 * the workflow result): 8 lists (4 per phase) × 100 ids × (64-byte id + 3 bytes of JSON) = 53,600 bytes, plus
 * under 1 KiB of counts, rates and figures — about 54 KiB, far below the 256 KiB budget whatever the tree size.
 */
export const AGGREGATE_LIST_CAP = 100;

/**
 * What a campaign unit keeps for itself in its continue-as-new input besides its children, the view and the plan:
 * receipts (≈ 250 bytes a submission) and done keys (≈ 60 bytes a scheduled event) of a busy year, and its ids.
 */
export const CAMPAIGN_OWN_RESERVE_BYTES = 48 * 1024;
