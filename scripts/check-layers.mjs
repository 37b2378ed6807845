#!/usr/bin/env node
// Checks the layer table of docs/architecture.md against the imports in src/:
//  - a module never imports from a higher layer;
//  - layer-3 parts never import each other (they meet only through the API);
//  - each third-party package is imported from one folder only.
// Exits 1 and lists every violation.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const layers = {
  api: 0, log: 0,
  machinery: 1,
  store: 2, client: 2, certs: 2, net: 2, supervisor: 2, config: 2,
  apiserver: 3, controllers: 3, scheduler: 3, kubelet: 3, deploy: 3,
  agent: 4,
  server: 5,
  cli: 6,
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const builtins = new Set(builtinModules);
const importPattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

const problems = [];
const packageOwners = new Map(); // package -> Set(folder)

for (const file of walk(src)) {
  const rel = relative(src, file);
  const part = rel.split(sep)[0];
  const layer = layers[part];
  if (layer === undefined) {
    problems.push(`${rel}: folder "${part}" is not in the layer table`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(importPattern)) {
    const spec = match[1] ?? match[2] ?? match[3];
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec));
      if (target.startsWith('..')) {
        problems.push(`${rel}: imports ${spec}, outside src/`);
        continue;
      }
      const targetPart = target.split(sep)[0];
      const targetLayer = layers[targetPart];
      if (targetLayer === undefined) continue; // reported for that file itself
      if (targetLayer > layer) problems.push(`${rel}: layer ${layer} (${part}) imports higher layer ${targetLayer} (${targetPart})`);
      if (targetLayer === 3 && layer === 3 && targetPart !== part) problems.push(`${rel}: layer-3 part ${part} imports layer-3 part ${targetPart}`);
    } else if (!spec.startsWith('node:') && !builtins.has(spec)) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const folder = dirname(rel);
      if (!packageOwners.has(pkg)) packageOwners.set(pkg, new Set());
      packageOwners.get(pkg).add(folder);
    }
  }
}

// Packages that belong to one concern even when that concern spans two folders.
const families = { '@grpc/proto-loader': '@grpc/grpc-js', 'reflect-metadata': '@peculiar/x509' };
// Test-only packages shared by conformance suites.
const anywhere = new Set(['tap']);
const byFamily = new Map();
for (const [pkg, folders] of packageOwners) {
  const family = families[pkg] ?? pkg;
  if (!byFamily.has(family)) byFamily.set(family, new Set());
  for (const f of folders) byFamily.get(family).add(f);
}
// gRPC has two owners by design: the etcd API server and the CRI client;
// YAML too: request bodies in the API server, configuration files in config.
const owners = { '@grpc/grpc-js': new Set(['store/grpc', 'kubelet/cri']), yaml: new Set(['apiserver/rest', 'config']) };
for (const [pkg, folders] of byFamily) {
  if (anywhere.has(pkg)) continue;
  const allowed = owners[pkg];
  if (allowed) {
    for (const f of folders) if (!allowed.has(f)) problems.push(`package ${pkg} is imported from ${f}; only ${[...allowed].join(', ')} may import it`);
    continue;
  }
  if (folders.size > 1) problems.push(`package ${pkg} is imported from ${folders.size} folders (${[...folders].join(', ')}); one folder should own it`);
}

if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('check-layers: ok');
