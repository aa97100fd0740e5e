// Refusals of the campaign store, typed (code = class name) and written for people, in English and Vietnamese.
import { formatFieldProblems, type FieldProblem } from './field-errors';

/** A definition that cannot be stored: every problem, one line per field. Nothing was written. */
export class CampaignDefinitionError extends Error {
  readonly code = 'CampaignDefinitionError';
  constructor(
    readonly problems: FieldProblem[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid campaign definition / Định nghĩa đợt báo cáo không hợp lệ:\n${formatFieldProblems(problems)}`, options);
    this.name = 'CampaignDefinitionError';
  }
}

export class CampaignNotFoundError extends Error {
  readonly code = 'CampaignNotFoundError';
  constructor(
    readonly campaignId: string,
    readonly version?: number,
  ) {
    const what = version === undefined ? campaignId : `${campaignId} v${version}`;
    super(`No campaign ${what}: see \`baocao campaign list\` / Không có đợt báo cáo ${what}: xem \`baocao campaign list\``);
    this.name = 'CampaignNotFoundError';
  }
}

/** An edit of a version a cycle already uses: save it as a new version instead. */
export class CampaignVersionFrozenError extends Error {
  readonly code = 'CampaignVersionFrozenError';
  constructor(
    readonly campaignId: string,
    readonly version: number,
    readonly frozenBy: string | null,
  ) {
    const by = frozenBy ? ` (cycle ${frozenBy})` : '';
    const byVi = frozenBy ? ` (chu kỳ ${frozenBy})` : '';
    super(
      `version: ${campaignId} v${version} is used by a cycle${by} and can no longer change: save the edit as a new version / ` +
        `phiên bản ${version} của ${campaignId} đã được một chu kỳ sử dụng${byVi} nên không sửa được nữa: hãy lưu thành phiên bản mới`,
    );
    this.name = 'CampaignVersionFrozenError';
  }
}

/** A second writer made the version first (two saves at once): nothing was written, reload and try again. */
export class CampaignVersionConflictError extends Error {
  readonly code = 'CampaignVersionConflictError';
  constructor(
    readonly campaignId: string,
    readonly version: number,
  ) {
    super(`${campaignId} v${version} was saved by someone else meanwhile: reload and try again / ${campaignId} phiên bản ${version} vừa được người khác lưu: hãy tải lại rồi thử lại`);
    this.name = 'CampaignVersionConflictError';
  }
}

/** `campaign create` of an id that is taken: import or edit it instead. */
export class CampaignExistsError extends Error {
  readonly code = 'CampaignExistsError';
  constructor(readonly campaignId: string) {
    super(`id: a campaign ${campaignId} exists already: save a new version of it, or choose another id / đã có đợt báo cáo ${campaignId}: hãy lưu phiên bản mới hoặc chọn mã khác`);
    this.name = 'CampaignExistsError';
  }
}
