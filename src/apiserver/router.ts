// The API's front door: classifies a request and answers it. Every error
// leaves here as a Status; nothing below needs to know about HTTP.
import type { Registry } from '../api/registry/registry.js';
import type { Logger } from '../log/logger.js';
import { ApiError, asApiError, methodNotSupported, serviceUnavailable, StatusReason, failureStatus } from '../machinery/index.js';
import { CustomResources, crdGroup, crdResource, handleCustomResource } from './crd/index.js';
import { discovery } from './discovery-routes.js';
import { health, type HealthCheck } from './health.js';
import { metricsGroup, type MetricsApi } from './metrics/index.js';
import { routeOpenApi } from './openapi/index.js';
import { parseRequestInfo } from './request/info.js';
import { resourceContext, type ResourceContext, type ServerState } from './rest/context.js';
import { handleResource } from './rest/resource.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './rest/types.js';
import { versionInfo } from './version.js';

export interface RouterOptions {
  state: ServerState;
  healthChecks: readonly HealthCheck[];
  productVersion: string;
  /** `host:port` clients reach the API at (legacy discovery reports it). */
  serverAddress: string;
  logger: Logger;
  /** Serves metrics.k8s.io; without it that group answers 503, as an unavailable aggregated API. */
  metrics?: MetricsApi;
}

/** Upstream's 404 for a path no API serves. */
function pageNotFound(): ApiError {
  return new ApiError(failureStatus({ code: 404, reason: StatusReason.NotFound, message: 'the server could not find the requested resource', details: {} }));
}

export class ApiRouter {
  private readonly contexts = new Map<string, ResourceContext>();
  readonly registry: Registry;
  /** The kinds CRDs declare; discovery and OpenAPI read its registry and documents, which include the built-in ones. */
  private readonly custom: CustomResources;

  constructor(private readonly opts: RouterOptions) {
    this.registry = opts.state.registry;
    this.custom = new CustomResources(opts.state, this.registry);
    for (const def of this.registry.resources) {
      this.contexts.set(`${def.group}/${def.version}/${def.resource}`, resourceContext(opts.state, this.custom.adapt(def)));
    }
  }

  /** Answers one request; never throws (errors become Status responses). */
  async handle(req: ApiRequest): Promise<ApiResponse> {
    try {
      return await this.route(req);
    } catch (err) {
      const apiErr = asApiError(err);
      if (apiErr.code >= 500) this.opts.logger.error('request failed', { method: req.method, path: req.path, err: apiErr.message });
      return objectResponse(apiErr.code || 500, apiErr.status);
    }
  }

  private async route(req: ApiRequest): Promise<ApiResponse> {
    const info = parseRequestInfo(req.method, req.path, req.query);
    if (!info) throw methodNotSupported('', req.method);
    await this.custom.ready();
    if (info.kind === 'non-resource') return this.nonResource(req);
    if (info.kind === 'discovery') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotSupported('', req.method);
      const answer = discovery(this.custom.registry(), info, req.accept, this.opts.serverAddress);
      if (!answer) throw pageNotFound();
      return answer;
    }
    if (info.group === metricsGroup) {
      if (!this.opts.metrics) throw serviceUnavailable('the server is currently unable to handle the request');
      return this.opts.metrics.handle(info, req);
    }
    const ctx = this.contexts.get(`${info.group}/${info.version}/${info.resource}`);
    if (!ctx) {
      const custom = this.custom.lookup(info.group, info.version, info.resource);
      if (!custom) throw pageNotFound();
      return handleCustomResource(custom, info, req);
    }
    if (info.group !== crdGroup || info.resource !== crdResource || req.method === 'GET' || req.method === 'HEAD') return handleResource(ctx, info, req);
    // A CRD write is followed by the CRD controller's sync, so the answer's effects are served when it arrives.
    try {
      return await handleResource(ctx, info, req);
    } finally {
      await this.custom.sync().catch((err: unknown) => this.opts.logger.error('CRD sync failed', { err: err instanceof Error ? err.message : String(err) }));
    }
  }

  private async nonResource(req: ApiRequest): Promise<ApiResponse> {
    const parts = req.path.split('/').filter((p) => p !== '');
    const [first, second] = parts;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotSupported('', req.method);
    if (first === 'version' && parts.length === 1) return objectResponse(200, versionInfo(this.opts.productVersion));
    if ((first === 'healthz' || first === 'livez' || first === 'readyz') && parts.length <= 2) {
      const verbose = req.query.has('verbose');
      const answer = await health(first, second, verbose, this.opts.healthChecks);
      if (answer.type === 'object' && answer.code === 404) throw pageNotFound();
      return answer;
    }
    const openapi = first === 'openapi' ? routeOpenApi(this.custom.openapi(), req.path, req.query, req.accept) : undefined;
    if (openapi) return openapi;
    throw pageNotFound();
  }
}

