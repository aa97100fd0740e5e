// The URLs of attached files, defined once for the routes and the markup.
import { TASK_LINK_PATH } from '../../../activities/access/tokens';

/** the multipart field of the upload form */
export const FILE_INPUT_NAME = 'files';

/** The upload form posts here; its CSRF token rides in the query (a multipart body is read only after the check). */
export const unitUploadPath = (token: string, phase: string, csrfToken: string) =>
  `${TASK_LINK_PATH}${token}/files/${phase}?_csrf=${encodeURIComponent(csrfToken)}`;
export const unitFilePath = (token: string, id: string) => `${TASK_LINK_PATH}${token}/files/${id}`;
export const unitRemovePath = (token: string, id: string) => `${TASK_LINK_PATH}${token}/files/${id}/remove`;
export const reviewFilePath = (cycleId: string, unitId: string, id: string) =>
  `/cycles/${encodeURIComponent(cycleId)}/units/${encodeURIComponent(unitId)}/files/${id}`;
