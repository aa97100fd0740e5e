// The workflow bundle's entry: every workflow type baocao registers. The exported names are the workflow
// types recorded in histories — renaming one breaks running cycles.
export { cycleWorkflow } from './cycle';
export { unitBatchWorkflow, unitWorkflow } from './unit';
export { programmeYearWorkflow } from './programme';
// cycles of a campaign (phase-driven; the built-in cycles above keep their own types)
export { campaignCycleWorkflow } from './campaign-cycle';
export { campaignUnitWorkflow } from './campaign-unit';
export { campaignGroupWorkflow } from './campaign-group';
