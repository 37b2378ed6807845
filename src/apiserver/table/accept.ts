// Accept-header negotiation for the meta.k8s.io conversions a read can
// ask for with media-type parameters: `as=Table` (kubectl get),
// `as=PartialObjectMetadata` and `as=PartialObjectMetadataList` (garbage
// collector, metadata informers), each with `g=meta.k8s.io;v=v1|v1beta1`.
// The rules are upstream's: ranges are tried by quality (more specific
// first on ties, else header order); for each range the served media
// types are tried in order; a range asking for a conversion the endpoint
// cannot make is skipped, as is one naming another group or version.
// Tables come only as JSON or YAML; the metadata forms in any served type.
// One deviation, shared with discovery negotiation: a range with q=0 is
// refused (RFC 9110) where upstream merely tries it last.

export interface MediaRange {
  /** Lower-cased; `*` for a wildcard. */
  type: string;
  subtype: string;
  /** Parameters other than q, keys lower-cased, values unquoted. */
  params: Readonly<Record<string, string>>;
  /** 0 to 1; an unparseable q counts as 0, as upstream's parser reads it. */
  q: number;
}

export type MetaVersion = 'v1' | 'v1beta1';
export type MetaKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList';

export interface Conversion {
  kind: MetaKind;
  version: MetaVersion;
}

export interface Negotiated {
  /** The served media type to answer in (`application/json`). */
  mediaType: string;
  /** The meta.k8s.io form asked for; absent for the object itself. */
  convert?: Conversion;
  /** `pretty=1` on the chosen range. */
  pretty: boolean;
}

export interface NegotiateOptions {
  /** Media types the server can encode, preferred first. Default: JSON only. */
  served?: readonly string[];
  /** False for an endpoint that cannot produce a Table: Table ranges are skipped. */
  table?: boolean;
}

const metaGroup = 'meta.k8s.io';
const tableTypes = new Set(['application/json', 'application/yaml']);

function parseRange(part: string): MediaRange | undefined {
  const [head = '', ...rest] = part.split(';');
  const slash = head.split('/');
  const type = (slash[0] ?? '').trim().toLowerCase();
  let subtype: string;
  if (slash.length === 1 && type === '*') subtype = '*';
  else if (slash.length === 2) subtype = (slash[1] ?? '').trim().toLowerCase();
  else return undefined;
  if (type === '' || subtype === '') return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (key === 'q') {
      const n = Number(value);
      q = value === '' || Number.isNaN(n) ? 0 : n;
    } else {
      params[key] = value;
    }
  }
  return { type, subtype, params, q };
}

/**
 * The media ranges of an Accept header in the order they are tried:
 * higher q first, then concrete types before wildcards, then header order.
 * Malformed ranges and those with q=0 are dropped. An empty or missing
 * header gives `[]`.
 */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined) return [];
  const ranges = header
    .split(',')
    .map((part) => parseRange(part))
    .filter((r): r is MediaRange => r !== undefined && r.q > 0);
  const wildness = (r: MediaRange): number => (r.type === '*' ? 2 : r.subtype === '*' ? 1 : 0);
  // Array.prototype.sort is stable, so equal ranges keep header order.
  return ranges.sort((a, b) => b.q - a.q || wildness(a) - wildness(b));
}

function matches(range: MediaRange, mediaType: string): boolean {
  const [type, subtype] = mediaType.split('/');
  if (range.type === '*') return true;
  return range.type === type && (range.subtype === '*' || range.subtype === subtype);
}

/**
 * The conversion a range asks for: undefined without as/g/v parameters,
 * null when it names a form the endpoint cannot produce in `mediaType`.
 */
function conversionOf(range: MediaRange, mediaType: string, table: boolean): Conversion | undefined | null {
  const { as, g, v } = range.params;
  if (as === undefined && g === undefined && v === undefined) return undefined;
  if (g !== metaGroup || (v !== 'v1' && v !== 'v1beta1')) return null;
  if (as === 'Table') return table && tableTypes.has(mediaType) ? { kind: as, version: v } : null;
  if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: as, version: v };
  return null;
}

/**
 * The representation to answer a read with, or undefined when no range is
 * acceptable (the caller answers 406 NotAcceptable listing the served
 * types). A missing or empty header takes the first served type.
 */
export function negotiate(accept: string | undefined, options: NegotiateOptions = {}): Negotiated | undefined {
  const served = options.served ?? ['application/json'];
  const table = options.table ?? true;
  const first = served[0];
  if (accept === undefined || accept.trim() === '') return first === undefined ? undefined : { mediaType: first, pretty: false };
  for (const range of parseAccept(accept)) {
    const stream = range.params['stream'];
    if (stream !== undefined && stream !== '' && stream !== 'watch') continue;
    for (const mediaType of served) {
      if (!matches(range, mediaType)) continue;
      const convert = conversionOf(range, mediaType, table);
      if (convert === null) continue;
      const pretty = range.params['pretty'] === '1';
      return convert === undefined ? { mediaType, pretty } : { mediaType, convert, pretty };
    }
  }
  return undefined;
}

export type TableTarget = 'table-v1' | 'table-v1beta1';

export interface TableWish {
  /** The Table version the negotiated representation is, if it is a Table. */
  table: TableTarget | undefined;
  /**
   * Whether some range also accepts the object itself (no conversion).
   * When `table` is set but the resource cannot make a Table and this is
   * false, the answer is 406 NotAcceptable.
   */
  plainAcceptable: boolean;
}

/** What a `kubectl get`-style Accept header asks for (see negotiate for the rules). */
export function wantsTable(accept: string | undefined, served?: readonly string[]): TableWish {
  const chosen = negotiate(accept, { served });
  const table = chosen?.convert?.kind === 'Table' ? (`table-${chosen.convert.version}` as const) : undefined;
  return { table, plainAcceptable: acceptsPlain(accept, served ?? ['application/json']) };
}

/** True when the header is empty or some range takes a served type without conversion parameters. */
function acceptsPlain(accept: string | undefined, served: readonly string[]): boolean {
  if (accept === undefined || accept.trim() === '') return served.length > 0;
  return parseAccept(accept).some(
    (range) => conversionOf(range, '', false) === undefined && served.some((mediaType) => matches(range, mediaType)),
  );
}

export interface PartialMetadataWish {
  version: MetaVersion;
  /** True for PartialObjectMetadataList (a list request), false for PartialObjectMetadata. */
  list: boolean;
}

/**
 * The PartialObjectMetadata form the negotiated representation is, if
 * any. Upstream answers 406 when the form does not fit the request (a
 * PartialObjectMetadata for a list, or a list form for one object); watch
 * events carry PartialObjectMetadata for either form.
 */
export function wantsPartialMetadata(accept: string | undefined, served?: readonly string[]): PartialMetadataWish | undefined {
  const convert = negotiate(accept, { served })?.convert;
  if (convert === undefined || convert.kind === 'Table') return undefined;
  return { version: convert.version, list: convert.kind === 'PartialObjectMetadataList' };
}

/** The Content-Type of a converted answer: `application/json;as=Table;v=v1;g=meta.k8s.io`. */
export function conversionContentType(mediaType: string, convert: Conversion): string {
  return `${mediaType};as=${convert.kind};v=${convert.version};g=${metaGroup}`;
}
