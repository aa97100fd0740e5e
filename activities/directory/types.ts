// The directory's JSON-safe shapes live in the neutral domain model (domain/directory.ts), shared by workflows,
// activities and clients; re-exported here for the directory concern's own modules and older imports.
export * from '../../domain/directory';
