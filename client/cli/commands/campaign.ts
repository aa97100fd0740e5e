// `baocao campaign create|show|list|import|export`: campaign definitions from the command line (the store is
// activities/campaigns/; every refusal is one line per field, in English and Vietnamese).
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import {
  campaignVersions,
  createCampaign,
  exportCampaign,
  getCampaignVersion,
  importCampaign,
  listCampaigns,
  type ImportResult,
} from '../../../activities/campaigns/repository';
import { documentNumber } from '../../../domain/campaign-document';
import { describeRule } from '../../../domain/campaign-deadline';
import type { CampaignVersion } from '../../../domain/campaign';
import { CliError, emit, type OutputOptions } from '../output';
import { withDatabase } from '../resources';

function positiveInt(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a version number 1, 2, … / phải là số phiên bản 1, 2, …');
  return Number(value);
}

/** Who saves, as the store records it. */
function cliActor(by?: string): string {
  if (by) return by;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CliError(`Cannot read ${file} / Không đọc được tệp ${file}: ${(cause as Error).message}`, 1, { cause });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new CliError(`${file} is not valid JSON (${(cause as Error).message}) / ${file} không phải JSON hợp lệ`, 1, { cause });
  }
}

/** A definition file: the definition itself, or a campaign file (`{ id, definition }`) whose definition is taken. */
function definitionIn(json: unknown): unknown {
  return json && typeof json === 'object' && 'definition' in json ? (json as { definition: unknown }).definition : json;
}

export function campaignText(v: CampaignVersion): string {
  const d = v.definition;
  const lines = [
    `${v.campaignId} v${v.version}  ${d.name.vi} — ${d.name.en}`,
    `  ${v.frozen ? `frozen / đã khoá${v.frozenBy ? ` (${v.frozenBy})` : ''}` : 'editable / sửa được'}; created by ${v.createdBy} at ${v.createdAt}`,
  ];
  if (d.document) {
    lines.push(`  Số: ${documentNumber(d.document)}  ${d.document.place}, ${d.document.date}  ${d.document.title}`);
    lines.push(`  ${d.document.issuingBody}; ${d.document.signer.title.replace(/\n/g, ' — ')}: ${d.document.signer.name}`);
    if (d.document.attachments.length > 0) lines.push(`  files / tệp: ${d.document.attachments.map((a) => a.name).join(', ')}`);
  }
  lines.push('  phases / giai đoạn:');
  for (const p of d.phases) {
    const rule = describeRule(p.due);
    lines.push(`    ${p.key}  ${p.name.vi} — ${p.name.en}  [form ${p.form}]  due / hạn: ${rule.vi} — ${rule.en}`);
  }
  lines.push('  forms / mẫu biểu:');
  for (const f of d.forms) {
    lines.push(`    ${f.key}  ${f.title.vi} — ${f.title.en}`);
    for (const s of f.sections) lines.push(`      section ${s.key}: ${s.title.vi} (${s.maxBytes} bytes${s.required ? ', required / bắt buộc' : ''})`);
    for (const g of f.figures) {
      const bounds = `${g.min}…${g.max}${g.type === 'decimal' ? `, ${g.decimals} decimals` : ''}`;
      lines.push(`      figure ${g.key}: ${g.label.vi} (${g.unit.vi}; ${g.type} ${bounds}; ${g.aggregation})`);
    }
    for (const r of f.rules) lines.push(`      rule: ${r.left} ${r.op} ${'figure' in r.right ? r.right.figure : r.right.value} — ${r.message.vi}`);
    for (const l of f.lists) lines.push(`      list ${l.key}: ${l.title.vi} (≤ ${l.maxItems})`);
    if (f.targets) lines.push(`      targets for / chỉ tiêu cho ${f.targets.form}: ${f.targets.figures.join(', ')}`);
  }
  return lines.join('\n');
}

function importText(r: ImportResult): string {
  if (r.outcome === 'created') return `Đã tạo đợt báo cáo ${r.campaignId} phiên bản ${r.version} / Created campaign ${r.campaignId} version ${r.version}.`;
  if (r.outcome === 'new-version') return `Đã lưu phiên bản mới ${r.version} của ${r.campaignId} / Saved version ${r.version} of ${r.campaignId}.`;
  return `Không có thay đổi: ${r.campaignId} phiên bản ${r.version} đã là nội dung này / Unchanged: ${r.campaignId} version ${r.version} is this definition already.`;
}

export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('campaign definitions: what a cycle asks (đợt báo cáo: văn bản, giai đoạn, mẫu biểu)');

  campaign
    .command('list')
    .description('every campaign and its latest version')
    .option('--json', 'JSON output')
    .action(async (o: OutputOptions) => {
      const list = await withDatabase((db) => listCampaigns(db));
      emit(o, list, () =>
        list.map((c) => `${c.id}  v${c.latestVersion}${c.latestFrozen ? ' (frozen / đã khoá)' : ''}${c.builtin ? ' [built-in / có sẵn]' : ''}  ${c.name.vi} — ${c.name.en}`).join('\n'),
      );
    });

  campaign
    .command('show')
    .description('one campaign version: document, phases and forms')
    .argument('<id>', 'campaign id')
    .option('--version <n>', 'version (default: the latest)', positiveInt)
    .option('--all', 'list every version')
    .option('--json', 'JSON output')
    .action(async (id: string, o: OutputOptions & { version?: number; all?: boolean }) => {
      if (o.all) {
        const versions = await withDatabase((db) => campaignVersions(db, id));
        return emit(o, versions, () => versions.map(campaignText).join('\n\n'));
      }
      const v = await withDatabase((db) => getCampaignVersion(db, id, o.version));
      emit(o, v, () => campaignText(v));
    });

  campaign
    .command('create')
    .description('a new campaign from a definition file, or a copy of another campaign (e.g. the built-in one)')
    .argument('<id>', 'the new campaign id (lower-case letters, digits, hyphens)')
    .option('--file <definition.json>', 'the definition (or a campaign file, whose definition is taken)')
    .option('--copy-of <campaign>', 'start from the latest version of this campaign')
    .option('--by <who>', 'who creates it (default cli:<user>)')
    .option('--json', 'JSON output')
    .action(async (id: string, o: OutputOptions & { file?: string; copyOf?: string; by?: string }) => {
      if (!o.file === !o.copyOf) throw new CliError('Give --file DEFINITION.json or --copy-of CAMPAIGN (one of them) / Cần --file hoặc --copy-of (chọn một)');
      const fromFile = o.file ? definitionIn(await readJsonFile(o.file)) : undefined;
      const v = await withDatabase(async (db) => {
        const definition = fromFile ?? (await getCampaignVersion(db, o.copyOf!)).definition;
        return createCampaign(db, { id, definition }, { by: cliActor(o.by) });
      });
      emit(o, v, () => `Đã tạo đợt báo cáo ${v.campaignId} phiên bản 1 / Created campaign ${v.campaignId} version 1.\n${campaignText(v)}`);
    });

  campaign
    .command('import')
    .description('a campaign file ({ id, definition }): a new campaign, or its next version when it changed')
    .argument('<file>', 'FILE.json')
    .option('--by <who>', 'who saves it (default cli:<user>)')
    .option('--json', 'JSON output')
    .action(async (file: string, o: OutputOptions & { by?: string }) => {
      const json = await readJsonFile(file);
      const result = await withDatabase((db) => importCampaign(db, json, { by: cliActor(o.by) }));
      emit(o, result, () => importText(result));
    });

  campaign
    .command('export')
    .description('a campaign version as a file that `campaign import` reads')
    .argument('<id>', 'campaign id')
    .option('--version <n>', 'version (default: the latest)', positiveInt)
    .option('--out <file>', 'write to this file (default: standard output)')
    .action(async (id: string, o: { version?: number; out?: string }) => {
      const file = await withDatabase((db) => exportCampaign(db, id, o.version));
      const text = JSON.stringify(file, null, 2) + '\n';
      if (!o.out) return void process.stdout.write(text);
      try {
        await writeFile(o.out, text);
      } catch (cause) {
        throw new CliError(`Cannot write ${o.out} / Không ghi được tệp: ${(cause as Error).message}`, 1, { cause });
      }
      process.stdout.write(`Đã ghi ${o.out} / Wrote ${o.out} (${file.id} v${file.version}).\n`);
    });
}
