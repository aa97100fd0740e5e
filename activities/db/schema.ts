// The database schema as TypeScript types: one interface per table, grouped by the module that owns it.
// Each module adds its tables here and a migration in ./migrations (numbered, never edited once landed).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
