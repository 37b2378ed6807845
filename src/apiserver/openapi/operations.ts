// The OpenAPI v3 paths of one served resource: its collection and item
// paths (namespaced and across namespaces), the deprecated watch paths, and
// one path per subresource, with an operation per verb the registry
// declares. Every operation names its action and the kind it sends or
// returns (x-kubernetes-action, x-kubernetes-group-version-kind), as kubectl
// and client generators expect.
import type { GroupVersionKind } from '../../api/object.js';
import type { ResourceDefinition, SubresourceDefinition, Verb } from '../../api/registry/types.js';
import {
  createParams,
  deleteCollectionParams,
  deleteParams,
  listParams,
  nameParam,
  namespaceParam,
  patchParams,
  prettyParam,
  replaceParams,
  subresourceParams,
  type Parameter,
} from './parameters.js';
import { schemaRefPrefix, type Schema } from './schema.js';

export type Action = 'get' | 'list' | 'put' | 'patch' | 'post' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';

export interface MediaContent {
  schema: Schema;
}

export interface Operation {
  description: string;
  operationId: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: { required: true; content: Record<string, MediaContent> };
  responses: Record<string, { description: string; content?: Record<string, MediaContent> }>;
  'x-kubernetes-action': Action;
  'x-kubernetes-group-version-kind': GroupVersionKind;
}

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

export type PathItem = { parameters: Parameter[] } & Partial<Record<Method, Operation>>;

export type Paths = Record<string, PathItem>;

/** The definition name of a kind, when one was generated. */
export type KindLookup = (gvk: GroupVersionKind) => string | undefined;

/** The request body types of PATCH, in the order upstream lists them. */
export const patchContentTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const ref = (name: string): Schema => ({ $ref: schemaRefPrefix + name });
const json = (schema: Schema): Record<string, MediaContent> => ({ 'application/json': { schema } });
const unauthorized = { description: 'Unauthorized' };

/** `Core` for the core group, `RbacAuthorization` for rbac.authorization.k8s.io. */
export function groupId(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The operation tag of a group-version (`core_v1`, `rbacAuthorization_v1`). */
export function tagOf(group: string, version: string): string {
  const id = groupId(group);
  return `${id.charAt(0).toLowerCase()}${id.slice(1)}_${version}`;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Builds the paths of one resource; `lookup` finds the schemas of the kinds it names. */
export function resourcePaths(def: ResourceDefinition, lookup: KindLookup): Paths {
  const base = def.group === '' ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
  const scoped = def.namespaced ? `${base}/namespaces/{namespace}` : base;
  const scopeParams = def.namespaced ? [namespaceParam] : [];
  const gvk: GroupVersionKind = { group: def.group, version: def.version, kind: def.kind };
  const schemaOf = (kind: GroupVersionKind): Schema => {
    const name = lookup(kind);
    return name === undefined ? { type: 'object' } : ref(name);
  };
  const object = schemaOf(gvk);
  const list = schemaOf({ ...gvk, kind: def.listKind });
  const has = (verb: Verb): boolean => def.verbs.includes(verb);
  const op = (action: Action, verbWord: string, description: string, extra: Partial<Operation>, opts: { all?: boolean; sub?: string; kind?: GroupVersionKind } = {}): Operation => ({
    description,
    operationId: `${verbWord}${groupId(def.group)}${capital(def.version)}${def.namespaced && !opts.all ? 'Namespaced' : ''}${def.kind}${capital(opts.sub ?? '')}${opts.all ? 'ForAllNamespaces' : ''}`,
    tags: [tagOf(def.group, def.version)],
    responses: { '200': { description: 'OK', content: json(object) }, '401': unauthorized },
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': opts.kind ?? gvk,
  });
  const listOp = (all: boolean) =>
    op('list', 'list', `list or watch objects of kind ${def.kind}`, { parameters: [...listParams], responses: { '200': { description: 'OK', content: json(list) }, '401': unauthorized } }, { all });
  const watchOp = (action: 'watch' | 'watchlist', all: boolean) =>
    op(
      action,
      action === 'watch' ? 'watch' : 'watchList',
      action === 'watch' ? `watch changes to an object of kind ${def.kind}. Deprecated: use the 'watch' parameter with a list operation instead.` : `watch individual changes to a list of ${def.kind}. Deprecated: use the 'watch' parameter with a list operation instead.`,
      { parameters: [...listParams], responses: { '200': { description: 'OK', content: { 'application/json;stream=watch': { schema: ref(`${meta}.WatchEvent`) } } }, '401': unauthorized } },
      { all },
    );

  const paths: Paths = {};
  const collection: PathItem = { parameters: [...scopeParams, prettyParam] };
  if (has('list')) collection.get = listOp(false);
  if (has('create')) {
    const created = { description: 'Created', content: json(object) };
    collection.post = op('post', 'create', `create ${article(def.kind)} ${def.kind}`, {
      parameters: [...createParams],
      requestBody: { required: true, content: { '*/*': { schema: object } } },
      responses: { '200': { description: 'OK', content: json(object) }, '201': created, '202': { description: 'Accepted', content: json(object) }, '401': unauthorized },
    });
  }
  if (has('deletecollection')) {
    collection.delete = op('deletecollection', 'deleteCollection', `delete collection of ${def.kind}`, {
      parameters: [...deleteCollectionParams],
      requestBody: { required: true, content: { '*/*': { schema: ref(`${meta}.DeleteOptions`) } } },
      responses: { '200': { description: 'OK', content: json(ref(`${meta}.Status`)) }, '401': unauthorized },
    });
  }
  if (Object.keys(collection).length > 1) paths[`${scoped}/${def.resource}`] = collection;

  const item: PathItem = { parameters: [nameParam, ...scopeParams, prettyParam] };
  if (has('get')) item.get = op('get', 'read', `read the specified ${def.kind}`, {});
  if (has('update')) item.put = op('put', 'replace', `replace the specified ${def.kind}`, writeBody(replaceParams, object));
  if (has('patch')) item.patch = op('patch', 'patch', `partially update the specified ${def.kind}`, patchBody(object));
  if (has('delete')) {
    item.delete = op('delete', 'delete', `delete ${article(def.kind)} ${def.kind}`, {
      parameters: [...deleteParams],
      requestBody: { required: true, content: { '*/*': { schema: ref(`${meta}.DeleteOptions`) } } },
      responses: { '200': { description: 'OK', content: json(object) }, '202': { description: 'Accepted', content: json(object) }, '401': unauthorized },
    });
  }
  if (Object.keys(item).length > 1) paths[`${scoped}/${def.resource}/{name}`] = item;

  if (def.namespaced && has('list')) paths[`${base}/${def.resource}`] = { parameters: [prettyParam], get: listOp(true) };
  if (has('watch')) {
    const watchScoped = def.namespaced ? `${base}/watch/namespaces/{namespace}` : `${base}/watch`;
    paths[`${watchScoped}/${def.resource}`] = { parameters: [...scopeParams, prettyParam], get: watchOp('watchlist', false) };
    paths[`${watchScoped}/${def.resource}/{name}`] = { parameters: [nameParam, ...scopeParams, prettyParam], get: watchOp('watch', false) };
    if (def.namespaced) paths[`${base}/watch/${def.resource}`] = { parameters: [prettyParam], get: watchOp('watchlist', true) };
  }

  for (const sub of def.subresources) {
    paths[`${scoped}/${def.resource}/{name}/${sub.name}`] = subresourceItem(def, sub, [nameParam, ...scopeParams], schemaOf(sub.kind), op);
  }
  return paths;
}

type OpBuilder = (action: Action, verbWord: string, description: string, extra: Partial<Operation>, opts?: { sub?: string; kind?: GroupVersionKind }) => Operation;

const connectSubresources = new Set(['exec', 'attach', 'portforward', 'proxy']);
const methodOfVerb: Partial<Record<Verb, Method>> = { get: 'get', create: 'post', update: 'put', patch: 'patch', delete: 'delete' };

function subresourceItem(def: ResourceDefinition, sub: SubresourceDefinition, params: Parameter[], schema: Schema, op: OpBuilder): PathItem {
  const item: PathItem = { parameters: [...params, ...(connectSubresources.has(sub.name) ? [] : [prettyParam])] };
  const opts = { sub: sub.name, kind: sub.kind };
  const text = { '200': { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } }, '401': unauthorized } as const;
  for (const verb of sub.verbs) {
    const method = methodOfVerb[verb];
    if (method === undefined) continue;
    if (connectSubresources.has(sub.name)) {
      const description = `connect ${method.toUpperCase()} requests to ${sub.name} of ${def.kind}`;
      item[method] = op('connect', `connect${capital(method)}`, description, { parameters: [...(subresourceParams[sub.name] ?? [])], responses: { ...text } }, opts);
    } else if (sub.name === 'log') {
      item.get = op('get', 'read', `read log of the specified ${def.kind}`, { parameters: [...(subresourceParams.log ?? [])], responses: { ...text } }, opts);
    } else {
      const what = `${sub.name} of the specified ${def.kind}`;
      const reply = { '200': { description: 'OK', content: json(schema) }, '401': unauthorized };
      if (method === 'get') item.get = op('get', 'read', `read ${what}`, { responses: reply }, opts);
      if (method === 'put') item.put = op('put', 'replace', `replace ${what}`, writeBody(replaceParams, schema), opts);
      if (method === 'patch') item.patch = op('patch', 'patch', `partially update ${what}`, patchBody(schema), opts);
      if (method === 'post') item.post = op('post', 'create', `create ${what}`, writeBody(createParams, schema), opts);
      if (method === 'delete') item.delete = op('delete', 'delete', `delete ${what}`, { responses: reply }, opts);
    }
  }
  return item;
}

function writeBody(params: readonly Parameter[], schema: Schema): Partial<Operation> {
  return {
    parameters: [...params],
    requestBody: { required: true, content: { '*/*': { schema } } },
    responses: { '200': { description: 'OK', content: json(schema) }, '201': { description: 'Created', content: json(schema) }, '401': unauthorized },
  };
}

function patchBody(schema: Schema): Partial<Operation> {
  const content: Record<string, MediaContent> = {};
  for (const type of patchContentTypes) content[type] = { schema: ref(`${meta}.Patch`) };
  return {
    parameters: [...patchParams],
    requestBody: { required: true, content },
    responses: { '200': { description: 'OK', content: json(schema) }, '201': { description: 'Created', content: json(schema) }, '401': unauthorized },
  };
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}
