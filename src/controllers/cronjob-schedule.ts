// CronJob schedules: standard five-field cron syntax and the descriptors
// upstream accepts (@yearly, @annually, @monthly, @weekly, @daily,
// @midnight, @hourly), evaluated in an IANA time zone. Upstream's validation
// rejects @every and six-field (seconds) expressions, so they are errors
// here too. This file is the only importer of cron-parser.
import { CronExpressionParser } from 'cron-parser';

const descriptors: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface Schedule {
  /** The first scheduled time strictly after `after`, or undefined when there is none. */
  next(after: Date): Date | undefined;
  /** The latest scheduled time at or before `at`, or undefined. */
  latest(at: Date): Date | undefined;
}

/** True when `zone` names an IANA time zone the runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses `spec` for `timeZone` (UTC when absent); throws an Error naming the problem. */
export function parseSchedule(spec: string, timeZone = 'UTC'): Schedule {
  const trimmed = spec.trim();
  const expanded = trimmed.startsWith('@') ? descriptors[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) throw new Error(`unrecognized descriptor: ${trimmed}`);
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${trimmed}`);
  // cron-parser takes a leading seconds field; scheduled times fall on whole minutes.
  const expression = `0 ${expanded}`;
  const at = (currentDate: Date) => CronExpressionParser.parse(expression, { tz: timeZone, currentDate });
  // Validate once now so that a bad expression fails here rather than on first use.
  at(new Date(0));
  return {
    next(after) {
      const expr = at(after);
      return expr.hasNext() ? expr.next().toDate() : undefined;
    },
    latest(limit) {
      const expr = at(new Date(limit.getTime() + 1));
      let t: Date | undefined;
      do t = expr.hasPrev() ? expr.prev().toDate() : undefined;
      while (t && t.getTime() > limit.getTime());
      return t;
    },
  };
}
