// Text fields as every schema takes them: in the neutral domain model (domain/text.ts), re-exported for workflow code.
export * from '../domain/text';
