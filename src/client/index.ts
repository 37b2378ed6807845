// The public API of client/: transports, the typed client and informers.
export { Backoff, sleep, type BackoffOptions } from './backoff.js';
export { byNamespace, keyOf, namespaceIndex, ObjectCache, objectKey, type IndexFunc } from './cache.js';
export { builtinRefs, Client } from './client.js';
export { apiErrorFor, ClientError, clientErrorCodes, isClientError, type ClientErrorCode } from './errors.js';
export { SharedInformerFactory, type InformerSelection, type SharedInformerOptions } from './factory.js';
export { EventRecorder, referenceTo, type EventRecorderOptions, type EventType } from './events.js';
export { LeaderElector, leaderElectionDefaults, microTime, type LeaderCallbacks, type LeaderElectionOptions } from './leaderelection.js';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  runWorkers,
  WorkQueue,
  type RateLimiter,
  type RunWorkersOptions,
  type WorkQueueOptions,
} from './workqueue.js';
export { HttpTransport, type HttpTransportOptions } from './http.js';
export { InProcessTransport, type InProcessHandler, type InProcessRequest, type InProcessResponse, type InProcessUser } from './inprocess.js';
export { Informer, type InformerHandlers, type InformerOptions } from './informer.js';
export { groupResource, groupVersionPath, resourcePath, type PathParts, type ResourceRef } from './paths.js';
export {
  patchContentTypes,
  ResourceClient,
  type CreateOptions,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type ListOptions,
  type ObjectLike,
  type ObjectList,
  type PatchOptions,
  type PatchType,
  type Selectors,
  type WatchOptions,
  type WriteOptions,
} from './resource.js';
export type {
  ClientRequest,
  ClientResponse,
  ClientWatch,
  Method,
  Query,
  QueryValue,
  Transport,
  WatchEvent,
  WatchEventType,
  WatchRequest,
} from './transport.js';
