// JSON of the well-known types, as upstream's MarshalJSON writes them, from
// the fields their wire messages decoded to (tables/meta.ts `wellKnown`).
// `empty` says the message had no bytes at all: a zero Time is sent that way.
import { ProtobufError } from './errors.js';
import type { WellKnownType } from './schema.js';

type Fields = Readonly<Record<string, unknown>>;

const maxSeconds = 253402300799n; // 9999-12-31T23:59:59Z
const minSeconds = -62167219200n; // 0000-01-01T00:00:00Z

/** Seconds and nanoseconds as a Date-ready pair, normalised as Go's time.Unix does. */
function instant(fields: Fields): { seconds: bigint; nanos: bigint } {
  const seconds = BigInt((fields.seconds as number | undefined) ?? 0);
  const nanos = BigInt((fields.nanos as number | undefined) ?? 0);
  const total = seconds * 1_000_000_000n + nanos;
  let s = total / 1_000_000_000n;
  let n = total % 1_000_000_000n;
  if (n < 0n) {
    s -= 1n;
    n += 1_000_000_000n;
  }
  // Go formats years outside [0, 9999] in a way no JSON decoder reads back.
  if (s < minSeconds || s > maxSeconds) throw new ProtobufError('int64-range', `timestamp ${seconds}s is outside years 0 to 9999`);
  return { seconds: s, nanos: n };
}

function rfc3339(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function wellKnownJson(type: WellKnownType, fields: Fields, empty: boolean): unknown {
  switch (type) {
    case 'Time':
      // metav1.Time: whole seconds, UTC; the zero time is null.
      return empty ? null : rfc3339(instant(fields).seconds);
    case 'MicroTime': {
      if (empty) return null;
      const { seconds, nanos } = instant(fields);
      const micros = String(nanos / 1000n).padStart(6, '0');
      return rfc3339(seconds).replace(/Z$/, `.${micros}Z`);
    }
    case 'Quantity':
      // A zero Quantity marshals as "0".
      return typeof fields.string === 'string' && fields.string !== '' ? fields.string : '0';
    case 'IntOrString':
      return fields.type === 1 ? ((fields.strVal as string | undefined) ?? '') : ((fields.intVal as number | undefined) ?? 0);
    case 'FieldsV1': {
      const raw = typeof fields.Raw === 'string' ? Buffer.from(fields.Raw, 'base64').toString('utf8') : '';
      if (raw === '') return null;
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new ProtobufError('bad-json', 'managedFields fieldsV1 is not valid JSON');
      }
    }
    case 'ExtraValue':
      return (fields.items as string[] | undefined) ?? [];
  }
}
