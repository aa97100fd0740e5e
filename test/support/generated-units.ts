// One unit of a generated directory (benchmarks, drills, soak): contacts at congdoan.example derived from the
// id, Vietnamese, active since 2020; the root's aggregate goes to the national confederation's address.
import type { UnitInput } from '../../activities/directory/types';

const contact = (who: string, id: string) => ({ name: `${who} ${id}`, email: `${id.toLowerCase()}@congdoan.example` });

export function generatedUnit(id: string, name: string, kind: UnitInput['kind'], parentId: string | null): UnitInput {
  return {
    id,
    name,
    kind,
    parentId,
    chair: contact('Chủ tịch', `chair-${id}`),
    officer: contact('Cán bộ Tuyên giáo', id),
    language: 'vi',
    activeFrom: '2020-01-01',
    activeTo: null,
    distribution: kind === 'root' ? [contact('Tổng Liên đoàn Lao động Việt Nam', 'tld')] : [],
  };
}
