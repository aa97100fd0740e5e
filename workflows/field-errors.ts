// One line per field, English and Vietnamese: in the neutral domain model (domain/field-errors.ts), re-exported.
export * from '../domain/field-errors';
