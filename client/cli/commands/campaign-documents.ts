// `baocao campaign sample-docx` and `baocao campaign export`-side documents: a preview of a form's report with
// example content, a phase's report of a unit from the archive, and a cycle's workbook (one sheet per phase),
// streamed to a file with a progress line on long exports. They join the `campaign` command of campaign.ts.
// The document modules (docx, exceljs) load inside the actions: `campaign list|import` must not pay for them
// (test/foundation/build.test.ts). Dynamic imports carry `.js` (see command-groups.ts).
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { getCampaignVersion } from '../../../activities/campaigns/repository';
import { emit, type OutputOptions } from '../output';
import { withDatabase } from '../resources';

function positiveInt(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a version number 1, 2, … / phải là số phiên bản 1, 2, …');
  return Number(value);
}

function scopeArgument(value: string): 'unit' | 'level' {
  if (value !== 'unit' && value !== 'level') throw new InvalidArgumentError('unit (a unit’s own report) or level (over the units below) / unit (báo cáo của đơn vị) hoặc level (tổng hợp cấp dưới)');
  return value;
}

/** The `campaign` command of the program (registered by commands/campaign.ts), created when absent. */
function campaignCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'campaign') ?? program.command('campaign').description('campaign definitions: what a cycle asks (đợt báo cáo: văn bản, giai đoạn, mẫu biểu)');
}

interface Written {
  file: string;
  bytes?: number;
  sheets?: { phase: string; name: string; rows: number }[];
}

export function registerCampaignDocumentCommands(program: Command): void {
  const campaign = campaignCommand(program);

  campaign
    .command('sample-docx')
    .description('preview a form’s report (DOCX) with example content / xem trước mẫu báo cáo với số liệu ví dụ')
    .argument('<id>', 'campaign id')
    .option('--version <n>', 'version (default: the latest)', positiveInt)
    .option('--phase <key>', 'the phase (default: the first with figures)')
    .option('--scope <unit|level>', 'a unit’s own report or a level’s over three example units', scopeArgument, 'level')
    .requiredOption('--out <file>', 'the DOCX to write')
    .option('--json', 'JSON output')
    .action(async (id: string, o: OutputOptions & { version?: number; phase?: string; scope: 'unit' | 'level'; out: string }) => {
      const v = await withDatabase((db) => getCampaignVersion(db, id, o.version));
      const [{ renderCampaignReportDocx }, { sampleCampaignDocument }] = await Promise.all([
        import('../../../activities/documents/campaign-docx.js'),
        import('../../../activities/documents/campaign-sample.js'),
      ]);
      const bytes = await renderCampaignReportDocx(sampleCampaignDocument(v.definition, { campaignId: v.campaignId, version: v.version, phase: o.phase, scope: o.scope }));
      await writeFile(o.out, bytes);
      const w: Written = { file: o.out, bytes: bytes.length };
      emit(o, w, () => `Wrote ${o.out} (${bytes.length} bytes): a preview of ${v.campaignId} v${v.version} / Đã ghi bản xem trước`);
    });

  campaign
    .command('report-docx')
    .description('a phase’s report of a unit (DOCX), from the archive / báo cáo của một đơn vị trong một giai đoạn')
    .argument('<cycle>', 'cycle id')
    .requiredOption('--campaign <id>', 'the campaign the cycle runs')
    .requiredOption('--version <n>', 'the version the cycle froze', positiveInt)
    .requiredOption('--phase <key>', 'the phase')
    .requiredOption('--unit <id>', 'the unit')
    .option('--scope <unit|level>', 'its own report, or over the units below (default)', scopeArgument, 'level')
    .option('--as-of <instant>', 'what the report is as of, ISO-8601 with offset (default: now)')
    .requiredOption('--out <file>', 'the DOCX to write')
    .option('--json', 'JSON output')
    .action(async (cycleId: string, o: OutputOptions & { campaign: string; version: number; phase: string; unit: string; scope: 'unit' | 'level'; asOf?: string; out: string }) => {
      const { buildCampaignReportDocument } = await import('../../../activities/documents/campaign-document.js');
      const doc = await withDatabase((db) =>
        buildCampaignReportDocument(db, { cycleId, unitId: o.unit, phase: o.phase, scope: o.scope, asOf: o.asOf, campaign: { id: o.campaign, version: o.version } }),
      );
      const bytes = Buffer.from(doc.contentBase64, 'base64');
      await writeFile(o.out, bytes);
      emit(o, { file: o.out, bytes: bytes.length }, () => `Wrote ${o.out} (${bytes.length} bytes): ${o.phase} report of ${o.unit} / Đã ghi báo cáo`);
    });

  campaign
    .command('export-xlsx')
    .description('a cycle’s figures (XLSX): one sheet per phase, a row per unit, a column per figure / bảng số liệu của chu kỳ')
    .argument('<cycle>', 'cycle id')
    .requiredOption('--campaign <id>', 'the campaign the cycle runs')
    .requiredOption('--version <n>', 'the version the cycle froze', positiveInt)
    .requiredOption('--out <file>', 'the XLSX to write')
    .option('--json', 'JSON output')
    .action(async (cycleId: string, o: OutputOptions & { campaign: string; version: number; out: string }) => {
      const { writeArchivedCampaignWorkbook } = await import('../../../activities/documents/campaign-workbook-rows.js');
      const { sheets } = await withDatabase(async (db) => {
        const out = createWriteStream(o.out);
        const closed = new Promise<void>((resolve, reject) => out.on('close', () => resolve()).on('error', reject));
        const result = await writeArchivedCampaignWorkbook(db, out, {
          cycleId,
          campaign: { id: o.campaign, version: o.version },
          onProgress: (p) => process.stderr.write(`${p.phase}: ${p.rows} units / đơn vị\n`),
        });
        await closed;
        return result;
      });
      const w: Written = { file: o.out, sheets };
      emit(o, w, () => `Wrote ${o.out}: ${sheets.map((s) => `${s.name} (${s.rows})`).join(', ')} / Đã ghi bảng số liệu`);
    });
}
