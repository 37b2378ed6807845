#!/usr/bin/env node
// Generates dist/openapi/definitions.json: one OpenAPI v3 schema per
// Kubernetes type, named as upstream names it (io.k8s.api.core.v1.Pod), read
// from the kubernetes-types declaration files with the TypeScript compiler
// API. Doc comments become descriptions, non-optional fields `required`,
// `apiVersion`/`kind` literals the x-kubernetes-group-version-kind of a kind.
// The patch extensions come from our own patch metadata (src/api/patchmeta),
// so this runs after tsc has compiled it.
//
// Output contract (read by src/apiserver/openapi/definitions.ts):
//   { "source": "kubernetes-types <version>", "definitions": { <name>: <schema> } }
// References are `#/components/schemas/<name>`; a referencing property that
// carries its own description or extensions wraps the reference in a
// one-element `allOf` (OpenAPI 3.0 ignores siblings of `$ref`). Keys are
// sorted so the same input always gives the same bytes (the documents' hashes
// depend on it).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = join(root, 'node_modules', 'kubernetes-types');
const outFile = join(root, 'dist', 'openapi', 'definitions.json');
const refPrefix = '#/components/schemas/';

// Declaration files whose package is not `io.k8s.api.<dir>.<version>`.
const packages = {
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  version: 'io.k8s.apimachinery.pkg.version',
  'apiextensions/v1': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
};

const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const quantity = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
// Type aliases of `string` with a known wire format.
const stringFormats = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'date-time',
};

function packageOf(moduleId) {
  return packages[moduleId] ?? `io.k8s.api.${moduleId.split('/').join('.')}`;
}

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* declarationFiles(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The text of the `/** ... *\/` comment right before a node, with the comment markers removed. */
function docOf(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const doc = ranges.filter((r) => text.startsWith('/**', r.pos)).at(-1);
  if (!doc) return undefined;
  const body = text.slice(doc.pos + 3, doc.end - 2);
  const lines = body.split('\n').map((line) => line.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  const joined = lines.join('\n').trim();
  return joined === '' ? undefined : joined;
}

/** One parsed declaration file: its module id (`core/v1`), package and import table. */
function parseModule(path) {
  const text = readFileSync(path, 'utf8');
  const moduleId = relative(typesDir, path).slice(0, -'.d.ts'.length).split(sep).join('/');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const imports = new Map();
  for (const stmt of source.statements) {
    if (!ts.isImportDeclaration(stmt) || !stmt.importClause?.namedBindings) continue;
    const from = join(dirname(moduleId), stmt.moduleSpecifier.text).split(sep).join('/');
    for (const el of stmt.importClause.namedBindings.elements) imports.set(el.name.text, `${packageOf(from)}.${(el.propertyName ?? el.name).text}`);
  }
  return { text, source, pkg: packageOf(moduleId), imports };
}

class Generator {
  definitions = {};
  /** Definition name → GVK of the kinds, from their apiVersion/kind literals. */
  kinds = new Map();

  run() {
    for (const path of declarationFiles(typesDir)) {
      const mod = parseModule(path);
      for (const stmt of mod.source.statements) {
        if (ts.isInterfaceDeclaration(stmt)) this.addInterface(mod, stmt);
        else if (ts.isTypeAliasDeclaration(stmt)) this.addAlias(mod, stmt);
      }
    }
    this.definitions[intOrString] = {
      description: 'A value that is either a 32-bit integer or a string (a port number or name, a count or a percentage).',
      type: 'string',
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    };
    return this;
  }

  resolveName(mod, name) {
    return mod.imports.get(name) ?? `${mod.pkg}.${name}`;
  }

  addInterface(mod, decl) {
    const name = `${mod.pkg}.${decl.name.text}`;
    const schema = { description: docOf(decl, mod.text), type: 'object' };
    const properties = {};
    const required = [];
    let apiVersion;
    let kind;
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const field = member.name.getText(mod.source).replace(/^"|"$/g, '');
      const literal = ts.isLiteralTypeNode(member.type) && ts.isStringLiteral(member.type.literal) ? member.type.literal.text : undefined;
      if (field === 'apiVersion') apiVersion = literal;
      if (field === 'kind') kind = literal;
      properties[field] = this.withDoc(this.schemaOf(mod, member.type), docOf(member, mod.text));
      if (!member.questionToken) required.push(field);
    }
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required.sort();
    if (apiVersion !== undefined && kind !== undefined) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const gvk = { group, kind, version };
      schema['x-kubernetes-group-version-kind'] = [gvk];
      this.kinds.set(name, gvk);
    }
    this.definitions[name] = schema;
  }

  addAlias(mod, decl) {
    const name = `${mod.pkg}.${decl.name.text}`;
    const description = docOf(decl, mod.text);
    if (name === quantity) {
      // Written as a string ("500m", "1Gi"); a plain number is accepted too.
      this.definitions[name] = { description, type: 'string', format: 'quantity', 'x-kubernetes-int-or-string': true };
    } else if (decl.type.kind === ts.SyntaxKind.StringKeyword) {
      this.definitions[name] = { description, type: 'string', ...(stringFormats[name] ? { format: stringFormats[name] } : {}) };
    } else {
      // Unions such as JSONSchemaPropsOrBool: any JSON value.
      this.definitions[name] = { description };
    }
  }

  /** The schema of a property's type; named types become references. */
  schemaOf(mod, node) {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.NumberKeyword:
        // The declarations do not tell int32 from int64; the built-in kinds have no floating-point fields.
        return { type: 'integer' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.LiteralType:
        return { type: 'string' };
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: this.schemaOf(mod, node.elementType) };
      case ts.SyntaxKind.UnionType: {
        const kinds = node.types.map((t) => t.kind).sort();
        if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) return { $ref: refPrefix + intOrString };
        throw new Error(`unsupported union ${node.getText(mod.source)}`);
      }
      case ts.SyntaxKind.TypeLiteral: {
        const index = node.members.find((m) => ts.isIndexSignatureDeclaration(m));
        if (!index || node.members.length !== 1) throw new Error(`unsupported type literal ${node.getText(mod.source)}`);
        return { type: 'object', additionalProperties: this.schemaOf(mod, index.type) };
      }
      case ts.SyntaxKind.TypeReference: {
        const name = node.typeName.getText(mod.source);
        if (name === 'Array') return { type: 'array', items: this.schemaOf(mod, node.typeArguments[0]) };
        return { $ref: refPrefix + this.resolveName(mod, name) };
      }
      default:
        throw new Error(`unsupported type ${ts.SyntaxKind[node.kind]}: ${node.getText(mod.source)}`);
    }
  }

  /** Adds a description (and later extensions) to a property schema, wrapping a bare reference. */
  withDoc(schema, description) {
    if (description === undefined) return schema;
    if (schema.$ref !== undefined) return { description, allOf: [{ $ref: schema.$ref }] };
    return { description, ...schema };
  }

  /**
   * Walks every kind with its patch navigator and marks the properties
   * that carry a patch strategy. A definition reached from several kinds
   * is visited once per navigator type.
   */
  addPatchExtensions(patchMetaFor) {
    const seen = new Set();
    const visit = (defName, meta) => {
      const key = `${defName}|${meta.name}`;
      const def = this.definitions[defName];
      if (seen.has(key) || !def?.properties) return;
      seen.add(key);
      for (const [field, prop] of Object.entries(def.properties)) {
        const facts = meta.field(field);
        if (facts.strategies.length > 0) this.markPatch(prop, facts);
        const target = referencedDefinition(prop);
        if (target !== undefined && facts.meta.name !== 'unknown') visit(target, facts.meta);
      }
    };
    for (const [defName, gvk] of this.kinds) {
      const meta = patchMetaFor(gvk.group, gvk.kind);
      if (meta) visit(defName, meta);
    }
  }

  /** Adds the patch extensions of one field to its property schema (in place). */
  markPatch(prop, facts) {
    if (prop.$ref !== undefined) {
      // Extensions beside a bare reference would be ignored: wrap it.
      prop.allOf = [{ $ref: prop.$ref }];
      delete prop.$ref;
    }
    prop['x-kubernetes-patch-strategy'] = facts.strategies.join(',');
    if (facts.mergeKey !== '') prop['x-kubernetes-patch-merge-key'] = facts.mergeKey;
    if (prop.type === 'array' && facts.strategies.includes('merge')) {
      // A list merged by key is a map keyed by it; a merged primitive list is a set.
      if (facts.mergeKey !== '') {
        prop['x-kubernetes-list-type'] = 'map';
        prop['x-kubernetes-list-map-keys'] = [facts.mergeKey];
      } else {
        prop['x-kubernetes-list-type'] = 'set';
      }
    }
  }
}

/** The definition a property refers to, directly, through allOf, or through its array items. */
function referencedDefinition(prop) {
  const ref = prop.$ref ?? prop.allOf?.[0]?.$ref ?? prop.items?.$ref ?? prop.items?.allOf?.[0]?.$ref;
  return ref?.startsWith(refPrefix) ? ref.slice(refPrefix.length) : undefined;
}

/** A copy with object keys sorted and undefined values dropped, for stable output. */
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const key of Object.keys(value).sort()) if (value[key] !== undefined) out[key] = sorted(value[key]);
  return out;
}

const started = Date.now();
const patchmeta = await import(pathToFileURL(join(root, 'dist', 'api', 'patchmeta', 'index.js')).href);
const generator = new Generator().run();
generator.addPatchExtensions(patchmeta.patchMetaFor);
const version = JSON.parse(readFileSync(join(typesDir, 'package.json'), 'utf8')).version;
const json = JSON.stringify({ source: `kubernetes-types ${version}`, definitions: sorted(generator.definitions) });
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, json);
const count = Object.keys(generator.definitions).length;
console.log(`openapi: ${count} definitions, ${(json.length / 1024).toFixed(0)} KiB, in ${Date.now() - started} ms -> ${relative(root, outFile)}`);
