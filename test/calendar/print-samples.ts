// Run by timezone.test.ts in a child process with another TZ: prints the samples as JSON.
import { calendarSamples } from './samples';

calendarSamples().then(
  (s) => process.stdout.write(JSON.stringify({ tz: process.env.TZ, offsetMinutes: new Date('2026-03-31T12:00:00Z').getTimezoneOffset(), samples: s })),
  (err: unknown) => {
    process.stderr.write(String(err));
    process.exit(1);
  },
);
