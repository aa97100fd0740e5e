// Every validation error as people read it: one line per field, `field: message`, the message in English and
// Vietnamese. Used by the update validators' rejections, the CLI and the web app, so a refusal reads the same
// wherever it is met. Deterministic (workflow code uses it).
import type { z } from 'zod';

export interface FieldProblem {
  /** path in the validated input, e.g. `content.commendations.3.name`; `root` for the whole input */
  field: string;
  /** "English / tiếng Việt" */
  message: string;
}

type Issue = z.core.$ZodIssue;

const EN_TYPES: Record<string, string> = { int: 'a whole number', object: 'an object', array: 'a list' };
const VI_TYPES: Record<string, string> = {
  string: 'văn bản',
  number: 'số',
  int: 'số nguyên',
  boolean: 'đúng/sai',
  object: 'đối tượng',
  array: 'danh sách',
};

/** A bilingual message for a zod issue: the schemas' own messages already are; zod's defaults are not. */
export function bilingualMessage(issue: Issue): string {
  if (issue.message.includes(' / ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'required / bắt buộc';
      return `must be ${EN_TYPES[issue.expected] ?? `a ${issue.expected}`} / phải là ${VI_TYPES[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const n = String(issue.minimum);
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'required / bắt buộc' : `at least ${n} characters / ít nhất ${n} ký tự`;
      if (issue.origin === 'array') return `at least ${n} items / ít nhất ${n} mục`;
      return `must be at least ${n} / không được nhỏ hơn ${n}`;
    }
    case 'too_big': {
      const n = String(issue.maximum);
      if (issue.origin === 'string') return `at most ${n} characters / tối đa ${n} ký tự`;
      if (issue.origin === 'array') return `at most ${n} items / tối đa ${n} mục`;
      return `must be at most ${n} / không được lớn hơn ${n}`;
    }
    case 'invalid_value': {
      const options = issue.values.map(String).join(', ');
      return `must be one of: ${options} / phải là một trong: ${options}`;
    }
    case 'invalid_format':
      return `wrong format (${issue.format}) / sai định dạng`;
    case 'unrecognized_keys':
      return 'not a field of this form: remove it / không có trong mẫu: hãy bỏ đi';
    default:
      return `${issue.message} / không hợp lệ`;
  }
}

/** The first problem of every field, in the order zod found them; unknown keys are named as fields of their own. */
export function fieldProblems(error: { issues: readonly Issue[] }, root = 'input'): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  const add = (path: readonly PropertyKey[], message: string) => {
    const field = path.map(String).join('.') || root;
    if (seen.has(field)) return;
    seen.add(field);
    out.push({ field, message });
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], bilingualMessage(issue));
    else add(issue.path, bilingualMessage(issue));
  }
  return out;
}

/** `field: message`, one line per field. */
export function formatFieldProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('\n');
}

/** A zod error as lines `field: message` (the update validators' rejection message). */
export function validationMessage(error: { issues: readonly Issue[] }, root = 'input'): string {
  return formatFieldProblems(fieldProblems(error, root));
}
