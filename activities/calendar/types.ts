// The calendar's JSON-safe shapes live in the neutral domain model (domain/calendar.ts), shared by workflows,
// activities and clients; re-exported here for the calendar concern's own modules and older imports.
export type * from '../../domain/calendar';
