// The figures of an aggregate: sums over many units, so no per-unit cap (10 million union members is an
// ordinary national total) — only what JSON numbers carry exactly. One unit's own figures keep their cap
// (figuresSchema in workflows/report.ts); every schema of an aggregate (archive, documents, upward email)
// validates its sums with this one.
import { z } from 'zod';
import type { Figures } from './report';
import { lazy } from '../domain/lazy';

const sum = lazy(() => z
  .number({ message: 'must be a number / phải là số' })
  .int({ message: 'must be a whole number / phải là số nguyên' })
  .min(0, { message: 'must not be negative / không được âm' })
  .max(Number.MAX_SAFE_INTEGER, { message: 'too large to add up exactly / quá lớn để cộng chính xác' }));

export const aggregateFiguresSchema = lazy(() => z.strictObject({
  studyClasses: sum,
  participants: sum,
  exemplaryModels: sum,
  exemplaryPeople: sum,
}) satisfies z.ZodType<Figures>);
