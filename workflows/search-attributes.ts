import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes: ids and states only, never names or emails (visibility is not access-controlled).
// "Overdue units under supervisor X" is one query:  BaocaoParent = 'X' AND BaocaoOverdue = true
export const CYCLE = defineSearchAttributeKey('BaocaoCycle', SearchAttributeType.KEYWORD);
export const UNIT = defineSearchAttributeKey('BaocaoUnit', SearchAttributeType.KEYWORD);
export const PARENT = defineSearchAttributeKey('BaocaoParent', SearchAttributeType.KEYWORD);
export const PHASE = defineSearchAttributeKey('BaocaoPhase', SearchAttributeType.KEYWORD);
export const OVERDUE = defineSearchAttributeKey('BaocaoOverdue', SearchAttributeType.BOOL);

/** The campaign's slug on every workflow of a campaign cycle (`builtin-yearly` is not set: its cycles predate it). */
export const CAMPAIGN = defineSearchAttributeKey('BaocaoCampaign', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [CYCLE, UNIT, PARENT, PHASE, OVERDUE, CAMPAIGN];

/** `--search-attribute` arguments for `temporal server start-dev` (the CLI spells the types like this). */
export const DEV_SERVER_SEARCH_ATTRIBUTE_ARGS = SEARCH_ATTRIBUTES.flatMap((sa) => [
  '--search-attribute',
  `${sa.name}=${sa.type === SearchAttributeType.BOOL ? 'Bool' : 'Keyword'}`,
]);
