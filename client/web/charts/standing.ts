// A standing in words, as the legends, the heat map and the drill-down tables name it.
import type { PhaseStanding } from '../../../workflows/aggregate';
import { t, type Lang } from '../i18n';

export function standingLabel(lang: Lang, s: PhaseStanding): string {
  return t(lang, s === 'on-time' ? 'onTime' : s === 'late' ? 'late' : s === 'overdue' ? 'overdueCount' : 'notYetDue');
}
