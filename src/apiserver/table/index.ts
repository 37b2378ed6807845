// Table and PartialObjectMetadata conversion for reads: Accept-header
// negotiation, the includeObject parameter, and the converted bodies.
export {
  conversionContentType,
  negotiate,
  parseAccept,
  wantsPartialMetadata,
  wantsTable,
  type Conversion,
  type MediaRange,
  type MetaKind,
  type MetaVersion,
  type NegotiateOptions,
  type Negotiated,
  type PartialMetadataWish,
  type TableTarget,
  type TableWish,
} from './accept.js';
export { parseIncludeObject, type IncludeObject } from './options.js';
export {
  listMetaOf,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
  type ListMetaInput,
  type PartialObjectMetadata,
  type PartialObjectMetadataList,
} from './partial.js';
export { toTable, type Table, type TableOptions, type TableRow } from './table.js';
