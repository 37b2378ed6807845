// Human-readable durations as kubectl shows them. The rules are upstream's
// (apimachinery util/duration): HumanDuration keeps two or three significant
// figures ("5m30s", "3h10m", "2d4h", "2y45d"); ShortHumanDuration keeps one
// ("5m", "3h"). Both tolerate clocks that disagree by under two seconds by
// printing "0s" instead of a negative age.

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** Go's integer division of durations: truncates toward zero. */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit);
}

/**
 * `duration.HumanDuration` for a duration in milliseconds: `"<invalid>"`
 * below -1s (and for NaN or infinite input), `"0s"` from -1s to 0.
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = whole(ms, second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = whole(ms, minute);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = whole(ms, hour);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** `duration.ShortHumanDuration`: one unit only (`"45s"`, `"5m"`, `"3h"`, `"12d"`, `"2y"`). */
export function shortHumanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '<invalid>';
  const seconds = whole(ms, second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = whole(ms, minute);
  if (minutes < 60) return `${minutes}m`;
  const hours = whole(ms, hour);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

// Go's zero time, which a decoded empty timestamp becomes; it means "unset".
const goZeroTime = Date.parse('0001-01-01T00:00:00Z');

/**
 * Milliseconds since the epoch of an RFC 3339 timestamp (metav1.Time or
 * MicroTime), or undefined when it is missing, not a string, unparseable or
 * Go's zero time.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms === goZeroTime) return undefined;
  return ms;
}

/**
 * Upstream's `translateTimestampSince`: the time from `timestamp` to `now`
 * as a HumanDuration, or `"<unknown>"` when the timestamp is unset.
 */
export function age(timestamp: unknown, now: Date): string {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? '<unknown>' : humanDuration(now.getTime() - ms);
}
