// A workflow that continues as new `left` times, each run's input 1,000 bytes longer: the fixture for measuring
// every run of a continue-as-new chain (test/soak/history-budget.test.ts).
import { continueAsNew } from '@temporalio/workflow';

export async function chainWorkflow(input: { left: number; pad: string }): Promise<string> {
  if (input.left > 0) await continueAsNew<typeof chainWorkflow>({ left: input.left - 1, pad: input.pad + 'x'.repeat(1_000) });
  return input.pad;
}
