// Every word the web app shows, in Vietnamese (default) and English. `?lang=en` switches and is remembered in a
// cookie. Pages are for office staff: plain administrative wording, no engineering terms.
import { LANGUAGES, type Language } from '../../activities/directory/types';
import type { Phase } from '../../workflows/report';

export type Lang = Language;
export const DEFAULT_LANG: Lang = 'vi';
export const LANG_COOKIE = 'lang';
export const LANG_QUERY = 'lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const TEXT = {
  appName: { vi: 'Theo dõi kế hoạch, báo cáo', en: 'Plan and report tracking' },
  home: { vi: 'Trang chủ', en: 'Home' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  signedInAs: { vi: 'Đăng nhập với', en: 'Signed in as' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  back: { vi: 'Quay lại', en: 'Back' },
  reload: { vi: 'Tải lại', en: 'Reload' },
  save: { vi: 'Lưu', en: 'Save' },
  none: { vi: 'Không có', en: 'None' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },

  // errors
  errorTitle: { vi: 'Đã có lỗi xảy ra', en: 'Something went wrong' },
  errorBody: {
    vi: 'Hệ thống chưa xử lý được yêu cầu. Đề nghị thử lại sau ít phút; nếu vẫn lỗi, liên hệ Ban Tuyên giáo.',
    en: 'The request could not be completed. Please try again in a few minutes; if it keeps failing, contact the secretariat.',
  },
  notFoundTitle: { vi: 'Không tìm thấy trang', en: 'Page not found' },
  notFoundBody: { vi: 'Địa chỉ này không tồn tại. Kiểm tra lại đường liên kết.', en: 'There is nothing at this address. Check the link.' },
  forbiddenTitle: { vi: 'Không có quyền truy cập', en: 'Access denied' },
  forbiddenBody: {
    vi: 'Tài khoản của đồng chí chỉ xem được đơn vị mình và các đơn vị cấp dưới.',
    en: 'Your account can only see your own unit and the units below it.',
  },
  csrfTitle: { vi: 'Biểu mẫu đã hết hiệu lực', en: 'This form has expired' },
  csrfBody: {
    vi: 'Đề nghị quay lại trang trước, tải lại trang rồi gửi lại biểu mẫu.',
    en: 'Please go back, reload the page and send the form again.',
  },
  rateLimitedTitle: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
  rateLimitedBody: { vi: 'Đề nghị đợi vài phút rồi thử lại.', en: 'Please wait a few minutes and try again.' },
  requestProblem: { vi: 'Không thực hiện được', en: 'Could not be done' },
  serviceUnavailable: {
    vi: 'Hệ thống xử lý chu kỳ báo cáo tạm thời không truy cập được. Đề nghị thử lại sau ít phút.',
    en: 'The reporting engine is temporarily unreachable. Please try again in a few minutes.',
  },

  // unit links
  tokenUnknownTitle: { vi: 'Đường liên kết không hợp lệ', en: 'This link is not valid' },
  tokenUnknownBody: {
    vi: 'Đường liên kết không đúng hoặc bị thiếu ký tự. Đề nghị mở lại đường liên kết trong thư giao nhiệm vụ (sao chép đầy đủ).',
    en: 'The link is wrong or incomplete. Please open the link in the task email again (copy all of it).',
  },
  tokenExpiredTitle: { vi: 'Đường liên kết đã hết hạn', en: 'This link has expired' },
  tokenExpiredBody: {
    vi: 'Chu kỳ báo cáo này đã kết thúc nên đường liên kết không còn hiệu lực. Nếu cần, liên hệ Ban Tuyên giáo.',
    en: 'This reporting cycle has ended, so the link no longer works. Contact the secretariat if needed.',
  },
  tokenRevokedTitle: { vi: 'Đường liên kết đã bị thu hồi', en: 'This link was revoked' },
  tokenRevokedBody: {
    vi: 'Đường liên kết này đã được thay thế. Đề nghị dùng đường liên kết trong thư mới nhất gửi đơn vị.',
    en: 'This link has been replaced. Please use the link in the latest email sent to your unit.',
  },
  linkSessionEndedTitle: { vi: 'Phiên làm việc đã bị chấm dứt', en: 'This session was ended' },
  linkSessionEndedBody: {
    vi: 'Đơn vị đã chấm dứt phiên làm việc của trình duyệt này với đường liên kết. Nếu đây là thiết bị của đơn vị, đề nghị dùng đường liên kết trong thư mới nhất.',
    en: 'Your unit ended this browser’s session with the link. If this is your unit’s device, use the link in the latest email.',
  },
  linkSessionsTitle: { vi: 'Các trình duyệt đã dùng đường liên kết này', en: 'Browsers that used this link' },
  linkSessionsIntro: {
    vi: 'Đường liên kết có giá trị như mật khẩu. Nếu thấy một trình duyệt lạ, hãy chấm dứt phiên của nó và đề nghị cấp trên cấp lại đường liên kết (đường liên kết cũ sẽ hết hiệu lực).',
    en: 'The link works like a password. If you see a browser you do not know, end its session and ask your supervisor for a new link (the old one then stops working).',
  },
  linkSessionBrowser: { vi: 'Trình duyệt', en: 'Browser' },
  linkSessionFirst: { vi: 'Dùng lần đầu', en: 'First used' },
  linkSessionLast: { vi: 'Dùng gần nhất', en: 'Last used' },
  linkSessionThis: { vi: 'trình duyệt này', en: 'this browser' },
  linkSessionEnd: { vi: 'Chấm dứt', en: 'End' },
  linkSessionEnded: { vi: 'Đã chấm dứt', en: 'Ended' },
  linkSessionEndedMsg: { vi: 'Đã chấm dứt phiên làm việc.', en: 'The session was ended.' },
  unknownBrowser: { vi: '(không rõ)', en: '(unknown)' },

  // sign-in
  signInTitle: { vi: 'Đăng nhập cho cán bộ', en: 'Staff sign-in' },
  signInIntro: {
    vi: 'Ban Tuyên giáo và cán bộ phụ trách các cấp nhập địa chỉ thư điện tử đã đăng ký trong danh sách đơn vị. Hệ thống sẽ gửi một đường liên kết đăng nhập dùng một lần.',
    en: 'Secretariat and supervising staff: enter the email address registered in the unit directory. We will send you a one-time sign-in link.',
  },
  unitsUseTheirLink: {
    vi: 'Đơn vị nộp kế hoạch, báo cáo không cần đăng nhập: dùng đường liên kết riêng trong thư giao nhiệm vụ.',
    en: 'Units submitting a plan or report do not sign in: they use the personal link in their task email.',
  },
  email: { vi: 'Địa chỉ thư điện tử', en: 'Email address' },
  sendLink: { vi: 'Gửi đường liên kết đăng nhập', en: 'Send me a sign-in link' },
  checkMailTitle: { vi: 'Kiểm tra hộp thư', en: 'Check your mailbox' },
  checkMailBody: {
    vi: 'Nếu địa chỉ này có trong danh sách đơn vị, một thư có đường liên kết đăng nhập vừa được gửi đến. Đường liên kết dùng được một lần và hết hạn sau 15 phút.',
    en: 'If this address is in the unit directory, an email with a sign-in link is on its way. The link works once and expires in 15 minutes.',
  },
  signInConfirmTitle: { vi: 'Xác nhận đăng nhập', en: 'Confirm sign-in' },
  signInConfirmBody: { vi: 'Bấm nút dưới đây để đăng nhập với địa chỉ', en: 'Press the button below to sign in as' },
  signInLinkInvalidTitle: { vi: 'Đường liên kết đăng nhập không còn hiệu lực', en: 'This sign-in link no longer works' },
  signInLinkInvalidBody: {
    vi: 'Đường liên kết đăng nhập chỉ dùng được một lần và trong 15 phút. Đề nghị yêu cầu một đường liên kết mới.',
    en: 'A sign-in link works once, within 15 minutes. Please ask for a new one.',
  },
  askNewLink: { vi: 'Yêu cầu đường liên kết mới', en: 'Ask for a new link' },
  signInMailSubject: { vi: 'Đường liên kết đăng nhập hệ thống theo dõi kế hoạch, báo cáo', en: 'Your sign-in link to the plan and report tracking system' },
  signInMailIntro: {
    vi: 'Đồng chí (hoặc ai đó dùng địa chỉ thư của đồng chí) vừa yêu cầu đăng nhập hệ thống theo dõi kế hoạch, báo cáo. Đường liên kết dưới đây dùng được một lần, trong 15 phút.',
    en: 'You (or someone using your address) asked to sign in to the plan and report tracking system. The link below works once, within 15 minutes.',
  },
  signInMailIgnore: {
    vi: 'Nếu đồng chí không yêu cầu, có thể bỏ qua thư này.',
    en: 'If you did not ask for it, you can ignore this email.',
  },
  signInMailButton: { vi: 'Đăng nhập', en: 'Sign in' },
  notStaffTitle: { vi: 'Địa chỉ không còn trong danh sách đơn vị', en: 'Address no longer in the directory' },
  notStaffBody: {
    vi: 'Địa chỉ thư này không còn là cán bộ phụ trách hoặc chủ tịch của đơn vị nào đang hoạt động.',
    en: 'This address is no longer the officer or chair of any active unit.',
  },

  // dashboard
  dashboardTitle: { vi: 'Các chu kỳ báo cáo', en: 'Reporting cycles' },
  yourUnits: { vi: 'Đơn vị của đồng chí', en: 'Your units' },
  noCycles: { vi: 'Chưa có chu kỳ báo cáo nào liên quan đến đơn vị của đồng chí.', en: 'No reporting cycle involves your units yet.' },
  startCycle: { vi: 'Bắt đầu chu kỳ báo cáo mới', en: 'Start a new reporting cycle' },
  unitTemplate: { vi: 'Tải mẫu danh bạ đơn vị (Excel)', en: 'Download the unit directory template (Excel)' },
  unitTemplateHint: {
    vi: 'Điền từ dòng 3, rồi nhập bằng lệnh baocao units import TỆP.xlsx',
    en: 'Fill it in from row 3, then import it with baocao units import FILE.xlsx',
  },
  cycle: { vi: 'Chu kỳ', en: 'Cycle' },
  year: { vi: 'Năm', en: 'Year' },
  rootUnit: { vi: 'Đơn vị gốc', en: 'Root unit' },
  startedOn: { vi: 'Cây đơn vị chốt ngày', en: 'Tree frozen on' },
  unitsCount: { vi: 'Số đơn vị', en: 'Units' },
  openCycle: { vi: 'Xem tiến độ', en: 'Progress' },
  superviseLink: { vi: 'Đôn đốc, duyệt', en: 'Chase up and review' },

  // start cycle
  startTitle: { vi: 'Bắt đầu chu kỳ báo cáo', en: 'Start a reporting cycle' },
  firstYear: { vi: 'Năm đầu của giai đoạn (kế hoạch nộp trong quý III)', en: 'First year of a multi-year programme (plans due within Q3)' },
  reportDue: { vi: 'Hạn nộp báo cáo kết quả', en: 'Results report due' },
  reportDueAnnual: { vi: 'Cuối năm (tổng kết năm)', en: 'Year end (annual review)' },
  reportDueMay: { vi: 'Trước sơ kết 19/5', en: 'Before the 19 May review' },
  reportDueDate: { vi: 'Ngày cụ thể', en: 'A specific date' },
  rehearsal: { vi: 'Diễn tập: chạy cả chu kỳ trong số phút sau (để trống nếu là chu kỳ thật)', en: 'Rehearsal: run the whole cycle in this many minutes (leave empty for a real cycle)' },
  previewPlan: { vi: 'Xem trước lịch hạn nộp', en: 'Preview the deadlines' },
  confirmStart: { vi: 'Xác nhận bắt đầu chu kỳ', en: 'Confirm and start the cycle' },
  previewTitle: { vi: 'Lịch hạn nộp theo từng cấp', en: 'Deadlines per level' },
  previewIntro: {
    vi: 'Cấp dưới có hạn sớm hơn cấp tổng hợp. Ngày hạn rơi vào ngày nghỉ được lùi sang ngày làm việc kế tiếp (Điều 148 Bộ luật Dân sự).',
    en: 'Lower levels are due earlier than the level that aggregates them. A deadline falling on a day off moves to the next working day (Civil Code Art. 148).',
  },
  level: { vi: 'Cấp', en: 'Level' },
  levelRoot: { vi: 'Cấp gốc', en: 'Root level' },
  planDue: { vi: 'Hạn nộp kế hoạch', en: 'Plan due' },
  reportDueShort: { vi: 'Hạn nộp báo cáo', en: 'Report due' },
  reminders: { vi: 'Nhắc nhở', en: 'Reminders' },
  closesAt: { vi: 'Chu kỳ đóng lúc', en: 'The cycle closes at' },
  realTimeInRehearsal: { vi: 'giờ thực trong diễn tập:', en: 'real time in this rehearsal:' },
  rehearsalNote: { vi: 'Diễn tập: toàn bộ lịch trên được nén vào', en: 'Rehearsal: the whole calendar above runs in' },
  minutes: { vi: 'phút', en: 'minutes' },
  cycleStarted: { vi: 'Đã bắt đầu chu kỳ', en: 'Cycle started' },
  onlyRootStarts: {
    vi: 'Chỉ Ban Tuyên giáo của đơn vị gốc được bắt đầu chu kỳ báo cáo.',
    en: 'Only the secretariat of a root unit can start a reporting cycle.',
  },

  // cycle page
  cycleTitle: { vi: 'Tiến độ chu kỳ', en: 'Cycle progress' },
  phaseStarting: { vi: 'Đang khởi tạo', en: 'Starting' },
  phaseRunning: { vi: 'Đang diễn ra', en: 'Running' },
  phaseClosed: { vi: 'Đã đóng', en: 'Closed' },
  rehearsalBadge: { vi: 'Diễn tập', en: 'Rehearsal' },
  cycleStartingBody: {
    vi: 'Chu kỳ đang được khởi tạo (chốt cây đơn vị, tính lịch hạn nộp, gửi thư giao nhiệm vụ). Tải lại trang sau ít giây.',
    en: 'The cycle is being set up (freezing the unit tree, computing deadlines, sending task emails). Reload in a few seconds.',
  },
  undeliveredMail: { vi: 'Thư không đến được người nhận', en: 'Emails that did not arrive' },
  undeliveredMailHelp: {
    vi: 'Thư không gửi được sau thời hạn gửi lại, hoặc thư nhắc đã lỗi thời sau khi hệ thống thư gặp sự cố nên không gửi nữa.',
    en: 'Emails still refused when the retry window ended, or reminders out of date after a mail outage and so not sent.',
  },
  mailUndeliverable: { vi: 'Không gửi được', en: 'Undeliverable' },
  mailDropped: { vi: 'Lỗi thời, không gửi', en: 'Out of date, not sent' },
  mailSubject: { vi: 'Thư', en: 'Email' },
  mailRecipients: { vi: 'Người nhận', en: 'Recipients' },
  mailReason: { vi: 'Lý do', en: 'Reason' },
  mailAt: { vi: 'Thời điểm', en: 'When' },
  mailStatus: { vi: 'Tình trạng', en: 'Status' },
  engineersLink: { vi: 'Dành cho kỹ thuật viên: xem trong Temporal Web UI', en: 'For engineers: open in the Temporal Web UI' },
  summaryOf: { vi: 'Tổng hợp các đơn vị trực thuộc', en: 'Summary of the units below' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  plans: { vi: 'Kế hoạch', en: 'Plans' },
  reports: { vi: 'Báo cáo', en: 'Reports' },
  plan: { vi: 'Kế hoạch', en: 'Plan' },
  report: { vi: 'Báo cáo', en: 'Report' },
  expected: { vi: 'Phải nộp', en: 'Expected' },
  submitted: { vi: 'Đã nộp', en: 'Submitted' },
  onTime: { vi: 'Đúng hạn', en: 'On time' },
  late: { vi: 'Muộn', en: 'Late' },
  missing: { vi: 'Chưa nộp', en: 'Missing' },
  overdueCount: { vi: 'Quá hạn', en: 'Overdue' },
  completion: { vi: 'Tỷ lệ nộp', en: 'Completion' },
  timeliness: { vi: 'Tỷ lệ đúng hạn', en: 'On time %' },
  ownStatus: { vi: 'Tình trạng của đơn vị', en: 'Own status' },
  filters: { vi: 'Lọc', en: 'Filter' },
  overdueOnly: { vi: 'Chỉ đơn vị quá hạn', en: 'Overdue units only' },
  byLevel: { vi: 'Theo cấp', en: 'By level' },
  directUnits: { vi: 'Các đơn vị trực thuộc', en: 'Units directly below' },
  allLevels: { vi: 'Trực thuộc trực tiếp', en: 'Directly below' },
  applyFilter: { vi: 'Lọc', en: 'Apply' },
  noUnitsMatch: { vi: 'Không có đơn vị nào phù hợp.', en: 'No unit matches.' },
  details: { vi: 'Chi tiết', en: 'Details' },
  drillDown: { vi: 'Xem cấp dưới', en: 'Units below' },
  previousPage: { vi: 'Trang trước', en: 'Previous page' },
  nextPage: { vi: 'Trang sau', en: 'Next page' },
  figuresTotal: { vi: 'Số liệu tổng hợp', en: 'Figures (total)' },
  commendationProposals: { vi: 'Đề nghị khen thưởng', en: 'Commendation proposals' },
  lists: { vi: 'Danh sách đơn vị', en: 'Unit lists' },
  listOnTime: { vi: 'Nộp đúng hạn', en: 'Submitted on time' },
  listLate: { vi: 'Nộp muộn', en: 'Submitted late' },
  listMissing: { vi: 'Chưa nộp', en: 'Not submitted' },
  listOverdue: { vi: 'Quá hạn', en: 'Overdue' },
  andMore: { vi: 'và {n} đơn vị khác', en: 'and {n} more' },
  asOf: { vi: 'Số liệu tính đến', en: 'Figures as of' },
  aggregateTitle: { vi: 'Tổng hợp', en: 'Aggregate' },
  downloads: { vi: 'Tải về', en: 'Downloads' },
  downloadReport: { vi: 'Báo cáo tổng hợp (Word, .docx)', en: 'Aggregate report (Word, .docx)' },
  downloadFigures: { vi: 'Bảng số liệu toàn chu kỳ (Excel, .xlsx)', en: 'Figures of the whole cycle (Excel, .xlsx)' },

  // a closed cycle, read from the archive
  archiveNote: { vi: 'Chu kỳ đã đóng — dữ liệu lưu trữ', en: 'Closed cycle — from the archive' },
  archiveNoteBody: {
    vi: 'Chu kỳ này đã kết thúc; trang hiển thị dữ liệu lưu trữ, chỉ để xem.',
    en: 'This cycle has ended; the page shows the archived data, read-only.',
  },
  closedAt: { vi: 'Đóng lúc', en: 'Closed at' },
  aggregateRecorded: { vi: 'bản tổng hợp đã lưu', en: 'archived aggregate' },
  aggregateRebuilt: { vi: 'tính lại từ dữ liệu lưu trữ', en: 'recomputed from the archive' },
  finalBadge: { vi: 'Bản cuối', en: 'Final' },
  extendedTo: { vi: 'Gia hạn đến', en: 'Extended to' },
  reviewedAt: { vi: 'Xem xét lúc', en: 'Reviewed at' },

  // statuses
  stateOpen: { vi: 'Chưa nộp', en: 'Not submitted' },
  stateOverdue: { vi: 'Quá hạn', en: 'Overdue' },
  stateSubmitted: { vi: 'Đã nộp, chờ xem xét', en: 'Submitted, awaiting review' },
  stateReturned: { vi: 'Bị trả lại để chỉnh sửa', en: 'Returned for revision' },
  stateAccepted: { vi: 'Đã được chấp nhận', en: 'Accepted' },
  lateBadge: { vi: 'Nộp muộn', en: 'Late' },
  extendedBadge: { vi: 'Đã gia hạn', en: 'Extended' },
  deadline: { vi: 'Hạn nộp', en: 'Deadline' },
  version: { vi: 'Lần nộp', en: 'Version' },
  submittedAt: { vi: 'Nộp lúc', en: 'Submitted at' },
  remindersSent: { vi: 'Số lần nhắc', en: 'Reminders sent' },
  escalationsSent: { vi: 'Số lần báo cấp trên', en: 'Escalations' },
  reviewComment: { vi: 'Ý kiến của cấp trên', en: "Supervisor's comment" },

  // unit detail / review / extend
  unitTitle: { vi: 'Đơn vị', en: 'Unit' },
  parentUnit: { vi: 'Cấp trên trực tiếp', en: 'Supervising unit' },
  latestSubmission: { vi: 'Nội dung đã nộp', en: 'Submitted content' },
  nothingSubmitted: { vi: 'Chưa có nội dung nộp.', en: 'Nothing submitted yet.' },
  reviewTitle: { vi: 'Xem xét', en: 'Review' },
  accept: { vi: 'Chấp nhận', en: 'Accept' },
  returnForRevision: { vi: 'Trả lại để chỉnh sửa', en: 'Return for revision' },
  comment: { vi: 'Ý kiến (bắt buộc khi trả lại)', en: 'Comment (required to return)' },
  reviewDone: { vi: 'Đã ghi nhận ý kiến xem xét.', en: 'Review recorded.' },
  extendTitle: { vi: 'Gia hạn', en: 'Extend the deadline' },
  extendUntil: { vi: 'Gia hạn đến ngày', en: 'New deadline' },
  reason: { vi: 'Lý do', en: 'Reason' },
  extendButton: { vi: 'Gia hạn', en: 'Extend' },
  extendDone: { vi: 'Đã gia hạn.', en: 'Deadline extended.' },
  bulkExtendTitle: { vi: 'Gia hạn cho các đơn vị đã chọn', en: 'Extend the deadline of the selected units' },
  bulkExtendHint: { vi: 'Chọn các dòng ở bảng trên; mỗi đơn vị được gia hạn và ghi nhật ký riêng, cùng một lý do.', en: 'Tick rows in the table above; each unit is extended and recorded in its history, with one reason.' },
  bulkSelect: { vi: 'Chọn', en: 'Select' },
  bulkNothingSelected: { vi: 'Chưa chọn đơn vị nào.', en: 'No unit was selected.' },
  bulkResultTitle: { vi: 'Kết quả gia hạn', en: 'Extension results' },
  bulkResultSummary: { vi: 'đơn vị đã được gia hạn, không gia hạn được', en: 'units extended, not extended' },
  bulkExtendedTo: { vi: 'Đã gia hạn đến', en: 'Extended to' },
  bulkNotExtended: { vi: 'Không gia hạn được', en: 'Not extended' },
  bulkActionsTitle: { vi: 'Với các đơn vị đã chọn', en: 'With the selected units' },
  bulkActionsHint: {
    vi: 'Chọn các dòng ở bảng trên. Mỗi đơn vị được xử lý riêng qua quy trình của đơn vị và ghi vào nhật ký; đơn vị không xử lý được sẽ có lý do.',
    en: "Tick rows in the table above. Each unit goes through its own workflow and is recorded in its history; a unit that cannot be done gets the reason.",
  },
  bulkRemindButton: { vi: 'Nhắc ngay', en: 'Remind now' },
  bulkReissueButton: { vi: 'Cấp lại đường liên kết', en: 'Reissue links' },
  remindOverdueButton: { vi: 'Nhắc ngay tất cả {count} đơn vị quá hạn', en: 'Remind all {count} overdue units now' },
  remindHint: {
    vi: 'Thư nhắc đi qua hàng đợi thư; mỗi đơn vị chỉ được nhắc theo yêu cầu một lần mỗi giờ cho mỗi giai đoạn. Đơn vị quá hạn nhận thông báo quá hạn.',
    en: 'Reminders go through the mail queue; each unit can be reminded on request once an hour per phase. Overdue units get an overdue notice.',
  },
  figure: { vi: 'Chỉ tiêu', en: 'Figure' },
  reviewAgainstLastYear: { vi: 'So với báo cáo năm trước của đơn vị ({cycle})', en: "Against the unit's report of last year ({cycle})" },
  reviewNoLastYear: { vi: 'Không có báo cáo năm trước của đơn vị trong dữ liệu lưu trữ.', en: "The archive has no report of this unit for last year." },
  reviewThisReport: { vi: 'Báo cáo này', en: 'This report' },
  reviewLastYear: { vi: 'Năm trước', en: 'Last year' },
  reviewChange: { vi: 'Tăng/giảm', en: 'Change' },
  reviewPlanRef: { vi: 'Theo kế hoạch', en: 'Following the plan' },
  reviewFiles: { vi: 'Tệp đính kèm', en: 'Files' },
  reviewNotInArchive: { vi: 'Chưa đọc được nội dung bài nộp từ dữ liệu lưu trữ; hãy mở trang của đơn vị.', en: "The submission's content is not in the archive yet; open the unit's page." },
  jobTitleRemind: { vi: 'Nhắc ngay', en: 'Remind now' },
  jobTitleExtend: { vi: 'Kết quả gia hạn', en: 'Extension results' },
  jobTitleReissue: { vi: 'Cấp lại đường liên kết', en: 'Reissued links' },
  jobRunning: { vi: 'Đang thực hiện: {done} / {total} đơn vị. Trang tự tải lại.', en: 'In progress: {done} / {total} units. This page reloads itself.' },
  jobSummary: { vi: 'đơn vị đã xong, không thực hiện được', en: 'units done, refused' },
  jobInterrupted: {
    vi: 'Ứng dụng web đã dừng giữa chừng: các đơn vị chưa có kết quả chưa chắc đã được xử lý. Hãy xem lịch sử của từng đơn vị trước khi làm lại.',
    en: 'The web app stopped part-way: units without a result may or may not have been done. Check each unit’s history before repeating.',
  },
  jobPending: { vi: 'Đang chờ…', en: 'Waiting…' },
  jobNoResult: { vi: 'Không có kết quả', en: 'No result' },
  jobRefused: { vi: 'Không thực hiện được', en: 'Refused' },
  jobReminded: { vi: 'Đã gửi thư nhắc (lần {n})', en: 'Reminder sent (no. {n})' },
  jobOverdueNotice: { vi: 'Đã gửi thông báo quá hạn (lần nhắc {n})', en: 'Overdue notice sent (reminder no. {n})' },
  jobReissued: { vi: 'Đã gửi đường liên kết mới; {revoked} đường liên kết cũ bị thu hồi', en: 'New link sent; {revoked} old link(s) revoked' },
  reissueTitle: { vi: 'Đường liên kết của đơn vị', en: "The unit's link" },
  reissueBody: {
    vi: 'Nếu đường liên kết của đơn vị bị chuyển tiếp cho người khác: thu hồi mọi đường liên kết cũ và gửi thư giao nhiệm vụ mới có đường liên kết mới đến cán bộ phụ trách của đơn vị. Bản nháp và bài đã nộp được giữ nguyên.',
    en: "If the unit's link was forwarded to someone else: revoke every old link and email the unit's officer a new task email with a new link. Drafts and submissions are kept.",
  },
  reissueButton: { vi: 'Thu hồi và gửi đường liên kết mới', en: 'Revoke and send a new link' },
  reissueDone: { vi: 'Đã thu hồi đường liên kết cũ và gửi đường liên kết mới.', en: 'Old links revoked; a new link was emailed.' },
  auditTitle: { vi: 'Nhật ký', en: 'History' },
  when: { vi: 'Thời điểm', en: 'When' },
  event: { vi: 'Sự kiện', en: 'Event' },
  actor: { vi: 'Người/đơn vị', en: 'By' },
  phase: { vi: 'Loại', en: 'Phase' },
  system: { vi: 'Hệ thống', en: 'System' },

  // supervisor
  superviseTitle: { vi: 'Đôn đốc và xem xét', en: 'Chase up and review' },
  overdueTitle: { vi: 'Đơn vị quá hạn', en: 'Overdue units' },
  noOverdue: { vi: 'Không có đơn vị nào quá hạn.', en: 'No unit is overdue.' },
  overdueXlsx: { vi: 'Tải danh sách quá hạn (Excel)', en: 'Download the overdue list (Excel)' },
  overduePrint: { vi: 'Bản in danh sách quá hạn', en: 'Printable overdue list' },
  howLate: { vi: 'Quá hạn', en: 'Late by' },
  via: { vi: 'Thuộc', en: 'Under' },
  reviewQueue: { vi: 'Chờ xem xét', en: 'Awaiting review' },
  noReviews: { vi: 'Không có bài nộp nào chờ xem xét.', en: 'Nothing is awaiting review.' },
  open: { vi: 'Mở', en: 'Open' },

  // unit task page
  taskTitle: { vi: 'Kế hoạch và báo cáo của đơn vị', en: "Your unit's plan and report" },
  taskIntro: {
    vi: 'Trang này dành riêng cho đơn vị. Có thể lưu nháp để làm tiếp sau, trên máy khác. Sau khi nộp, cấp trên trực tiếp sẽ xem xét.',
    en: 'This page is personal to your unit. You can save a draft and continue later, on another device. After you submit, your supervising union reviews it.',
  },
  planTitleField: { vi: 'Tên kế hoạch', en: 'Plan title' },
  planNumberField: { vi: 'Số, ký hiệu (ví dụ 05/KH-CĐCS)', en: 'Number (e.g. 05/KH-CĐCS)' },
  planBodyField: { vi: 'Nội dung kế hoạch', en: 'Plan text' },
  saveDraft: { vi: 'Lưu nháp', en: 'Save draft' },
  submittedByField: { vi: 'Người nộp (họ và tên)', en: 'Submitted by (full name)' },
  submittedByHint: { vi: 'Ghi vào nhật ký cùng bản nộp.', en: 'Recorded in the history with the submission.' },
  submittedByMissing: { vi: 'Ghi họ và tên người nộp (tối đa 100 ký tự).', en: 'Enter the full name of the person submitting (at most 100 characters).' },
  submittedByLabel: { vi: 'người nộp', en: 'submitted by' },
  submit: { vi: 'Nộp', en: 'Submit' },
  resubmit: { vi: 'Nộp lại', en: 'Submit again' },
  draftSaved: { vi: 'Đã lưu nháp.', en: 'Draft saved.' },
  planSubmittedMsg: { vi: 'Đã nộp kế hoạch.', en: 'Plan submitted.' },
  reportSubmittedMsg: { vi: 'Đã nộp báo cáo.', en: 'Report submitted.' },
  submittedLateMsg: { vi: 'Bài nộp được ghi nhận là nộp muộn.', en: 'This submission is recorded as late.' },
  fixErrors: { vi: 'Biểu mẫu còn lỗi, đề nghị sửa các ô được đánh dấu.', en: 'The form has errors: please correct the marked fields.' },
  reportNotOpen: {
    vi: 'Phần báo cáo kết quả mở sau khi đơn vị nộp kế hoạch (hoặc khi hết hạn nộp kế hoạch).',
    en: 'The results report opens once your plan is submitted (or once the plan deadline has passed).',
  },
  awaitingReview: { vi: 'Đã nộp; đang chờ cấp trên xem xét. Chỉ nộp lại được khi bị trả lại.', en: 'Submitted; awaiting review. You can submit again only if it is returned.' },
  acceptedMsg: { vi: 'Cấp trên đã chấp nhận.', en: 'Accepted by your supervising union.' },
  closedMsg: { vi: 'Chu kỳ đã đóng; không nhận bài nộp.', en: 'The cycle is closed; submissions are no longer accepted.' },
  nowLate: { vi: 'Đã quá hạn; vẫn có thể nộp (sẽ ghi nhận nộp muộn).', en: 'The deadline has passed; you can still submit (it will be recorded as late).' },
  section1: { vi: '1. Công tác lãnh đạo, chỉ đạo', en: '1. Leadership and direction' },
  section1Hint: { vi: 'Văn bản đã ban hành; việc đưa nội dung vào chương trình, kế hoạch.', en: 'Documents issued; how the content was built into programmes.' },
  section2: { vi: '2. Kết quả thực hiện', en: '2. Implementation' },
  section2Hint: {
    vi: '2.1 Học tập, quán triệt; 2.2 Kế hoạch làm theo; 2.3 Gắn với phong trào thi đua; 2.4 Tuyên truyền, nhân rộng điển hình; 2.5 Sơ kết, kiểm tra, giám sát.',
    en: '2.1 Study sessions; 2.2 Follow-up plans; 2.3 Link with emulation movements; 2.4 Communication and exemplary models; 2.5 Review, inspection, supervision.',
  },
  section3: { vi: '3. Đánh giá chung', en: '3. Overall assessment' },
  section3Hint: { vi: 'Kết quả, ưu điểm, hạn chế, nguyên nhân, bài học kinh nghiệm.', en: 'Results, strengths, shortcomings, causes, lessons.' },
  section4: { vi: '4. Phương hướng, kiến nghị, đề xuất', en: '4. Directions and recommendations' },
  section4Hint: { vi: 'Kiến nghị với Trung ương, tỉnh/thành phố, quận/huyện.', en: 'To the central level, the province/city, the district.' },
  ownFigures: { vi: 'Số liệu của đơn vị', en: "Your unit's own figures" },
  belowAggregate: { vi: 'Tổng hợp từ các đơn vị trực thuộc (tự động, chỉ xem)', en: 'Aggregate of the units below (automatic, read-only)' },
  commendations: { vi: 'Đề nghị khen thưởng', en: 'Commendation proposals' },
  commendationsHint: {
    vi: 'Mỗi dòng một tập thể hoặc cá nhân; để trống tên nếu không dùng dòng đó. Lưu nháp để có thêm dòng trống.',
    en: 'One collective or individual per row; leave the name empty to skip a row. Save the draft to get more empty rows.',
  },
  kind: { vi: 'Loại', en: 'Kind' },
  collective: { vi: 'Tập thể', en: 'Collective' },
  individual: { vi: 'Cá nhân', en: 'Individual' },
  name: { vi: 'Tên', en: 'Name' },
  achievement: { vi: 'Thành tích', en: 'Achievement' },
  reviewUnitsBelow: {
    vi: 'Để đôn đốc và xem xét các đơn vị trực thuộc, cán bộ phụ trách đăng nhập bằng địa chỉ thư của đơn vị.',
    en: 'To chase up and review the units below, sign in with your unit’s email address.',
  },

  // charts and drill-downs (views/insight.ts, charts/*)
  chartsTitle: { vi: 'Tiến độ nộp', en: 'Submission progress' },
  chartNow: { vi: 'Hôm nay', en: 'Now' },
  chartProgressDesc: {
    vi: 'Số đơn vị đã nộp cộng dồn theo thời gian: đúng hạn (dưới) và muộn (trên); đường đứt nét đỏ là hạn nộp của từng cấp.',
    en: 'Units that submitted, cumulated over time: on time (below) and late (above); the dashed red lines are the deadlines of each level.',
  },
  progressTitle: { vi: 'Tiến độ nộp {phase} của các đơn vị cấp dưới', en: '{phase}: submissions of the units below over time' },
  barsTitle: { vi: '{phase} theo đơn vị trực thuộc (chậm nhất trước)', en: '{phase} by direct unit (furthest behind first)' },
  barsMore: { vi: 'Biểu đồ chỉ vẽ {shown} đơn vị chậm nhất trong {total}; xem tất cả trong bản đồ nhiệt.', en: 'The chart shows the {shown} furthest behind of {total}; see all of them in the heat map.' },
  notYetDue: { vi: 'Chưa nộp, chưa quá hạn', en: 'Not yet due' },
  heatMapTitle: { vi: 'Bản đồ nhiệt', en: 'Heat map' },
  heatMapOf: { vi: 'Tình trạng nộp của {unit} và các đơn vị cấp dưới', en: 'Where {unit} and the units below it stand' },
  heatMapLink: { vi: 'Bản đồ nhiệt của các đơn vị cấp dưới', en: 'Heat map of the units below' },
  heatMapRange: { vi: 'Đơn vị {from}–{to} trong {total}', en: 'Units {from}–{to} of {total}' },
  standing: { vi: 'Tình trạng', en: 'Standing' },
  countsFromArchive: {
    vi: 'Số liệu đọc từ kho lưu trữ (lần nộp mới nhất của từng đơn vị); bấm vào một con số để xem các đơn vị tạo nên nó.',
    en: 'Read from the archive (each unit’s latest submission); select a number to see the units behind it.',
  },
  unitsBehindTitle: { vi: '{phase} — {category}: các đơn vị dưới {unit}', en: '{phase} — {category}: units below {unit}' },
  unitsOfTitle: { vi: '{phase} — {category}: {unit} và các đơn vị cấp dưới', en: '{phase} — {category}: {unit} and the units below it' },
  unitsBehindCount: { vi: '{n} đơn vị', en: '{n} units' },
  figureBehindTitle: { vi: '{figure}: các báo cáo tạo nên tổng của {unit}', en: '{figure}: the reports that make the total of {unit}' },
  figureSum: { vi: 'Tổng', en: 'Total' },
  unitsReporting: { vi: '{n} đơn vị đã nộp báo cáo', en: '{n} units submitted a report' },
  value: { vi: 'Giá trị', en: 'Value' },
  openSubmission: { vi: 'Xem bản nộp', en: 'Open the submission' },
  timelineTitle: { vi: 'Diễn biến của {unit}', en: 'Timeline of {unit}' },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextKey = keyof typeof TEXT;

export function t(lang: Lang, key: TextKey, params: Record<string, string | number> = {}): string {
  return TEXT[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function phaseName(lang: Lang, phase: Phase): string {
  return t(lang, phase === 'plan' ? 'plan' : 'report');
}

const EVENTS: Record<string, Record<Lang, string>> = {
  'task-sent': { vi: 'Gửi thư giao nhiệm vụ', en: 'Task email sent' },
  'plan-submitted': { vi: 'Nộp kế hoạch', en: 'Plan submitted' },
  'report-submitted': { vi: 'Nộp báo cáo', en: 'Report submitted' },
  'plan-accepted': { vi: 'Chấp nhận kế hoạch', en: 'Plan accepted' },
  'report-accepted': { vi: 'Chấp nhận báo cáo', en: 'Report accepted' },
  'plan-returned': { vi: 'Trả lại kế hoạch', en: 'Plan returned' },
  'report-returned': { vi: 'Trả lại báo cáo', en: 'Report returned' },
  'plan-overdue': { vi: 'Quá hạn nộp kế hoạch', en: 'Plan overdue' },
  'report-overdue': { vi: 'Quá hạn nộp báo cáo', en: 'Report overdue' },
  'plan-extended': { vi: 'Gia hạn kế hoạch', en: 'Plan deadline extended' },
  'report-extended': { vi: 'Gia hạn báo cáo', en: 'Report deadline extended' },
  escalation: { vi: 'Báo cáo cấp trên đơn vị chưa nộp', en: 'Missing units reported upward' },
  closed: { vi: 'Đóng chu kỳ', en: 'Cycle closed' },
  'reminder-sent': { vi: 'Gửi thư nhắc hạn', en: 'Reminder sent' },
  'reminder-requested': { vi: 'Gửi thư nhắc theo yêu cầu của cấp trên', en: 'Reminder sent on request' },
  'link-reissued': { vi: 'Cấp lại đường liên kết (thu hồi đường liên kết cũ)', en: 'New link issued (old links revoked)' },
};

/** An audit-log event kind as words (unknown kinds are shown as they are). */
export function eventName(lang: Lang, kind: string): string {
  return EVENTS[kind]?.[lang] ?? kind;
}

/** A level's name in a deadline table: depth 0 is the root. */
export function levelName(lang: Lang, depth: number): string {
  return depth === 0 ? t(lang, 'levelRoot') : `${t(lang, 'level')} ${depth + 1}`;
}
