// Validation of CustomResourceDefinition objects (upstream's
// apiextensions validation, the rules common CRDs meet): names agree with
// metadata.name, scope, versions with exactly one storage version, a
// structural schema per version, subresource paths, printer columns.
import {
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isDNS1035Label,
  isDNS1123Subdomain,
  type FieldError,
} from '../../machinery/index.js';
import { parseJsonPath } from './jsonpath.js';
import { checkStructural } from './structural.js';
import type { CustomResourceDefinition, CustomResourceNames, CustomResourceVersion } from './types.js';

const scopes = ['Cluster', 'Namespaced'];
const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];

function label(path: string, value: string | undefined, required: boolean, out: FieldError[]): void {
  if (value === undefined || value === '') {
    if (required) out.push(fieldRequired(path));
    return;
  }
  for (const msg of isDNS1035Label(value)) out.push(fieldInvalid(path, value, msg));
}

function checkNames(names: CustomResourceNames | undefined, out: FieldError[]): void {
  const path = 'spec.names';
  if (names === undefined) {
    out.push(fieldRequired(path));
    return;
  }
  label(`${path}.plural`, names.plural, true, out);
  label(`${path}.singular`, names.singular, false, out);
  if (names.kind === undefined || names.kind === '') out.push(fieldRequired(`${path}.kind`));
  else for (const msg of isDNS1035Label(names.kind.toLowerCase())) out.push(fieldInvalid(`${path}.kind`, names.kind, msg));
  if (names.listKind !== undefined && names.listKind !== '') {
    for (const msg of isDNS1035Label(names.listKind.toLowerCase())) out.push(fieldInvalid(`${path}.listKind`, names.listKind, msg));
    if (names.listKind === names.kind) out.push(fieldInvalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  (names.shortNames ?? []).forEach((s, i) => label(`${path}.shortNames[${i}]`, s, true, out));
  (names.categories ?? []).forEach((s, i) => label(`${path}.categories[${i}]`, s, true, out));
}

function checkVersion(v: CustomResourceVersion, path: string, out: FieldError[]): void {
  label(`${path}.name`, v.name, true, out);
  const schema = v.schema?.openAPIV3Schema;
  if (schema === undefined) out.push(fieldRequired(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else out.push(...checkStructural(schema, `${path}.schema.openAPIV3Schema`));
  const scale = v.subresources?.scale;
  if (scale !== undefined) {
    const at = `${path}.subresources.scale`;
    if (!scale.specReplicasPath?.startsWith('.spec.')) out.push(fieldInvalid(`${at}.specReplicasPath`, scale.specReplicasPath ?? '', 'should be a json path under .spec'));
    if (!scale.statusReplicasPath?.startsWith('.status.')) out.push(fieldInvalid(`${at}.statusReplicasPath`, scale.statusReplicasPath ?? '', 'should be a json path under .status'));
    if (scale.labelSelectorPath !== undefined && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
      out.push(fieldInvalid(`${at}.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const at = `${path}.additionalPrinterColumns[${i}]`;
    if (!c.name) out.push(fieldRequired(`${at}.name`));
    if (!columnTypes.includes(c.type)) out.push(fieldNotSupported(`${at}.type`, c.type, columnTypes));
    if (!c.jsonPath) out.push(fieldRequired(`${at}.jsonPath`));
    else if (parseJsonPath(c.jsonPath) === undefined) out.push(fieldInvalid(`${at}.jsonPath`, c.jsonPath, 'must be a simple json path'));
  });
}

/** Every rule a CRD must meet, create or update. */
export function validateCrd(crd: CustomResourceDefinition): FieldError[] {
  const out: FieldError[] = [];
  const spec = crd.spec ?? ({} as CustomResourceDefinition['spec']);
  const group = spec.group ?? '';
  if (group === '') out.push(fieldRequired('spec.group'));
  else {
    for (const msg of isDNS1123Subdomain(group)) out.push(fieldInvalid('spec.group', group, msg));
    if (!group.includes('.')) out.push(fieldInvalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  checkNames(spec.names, out);
  const expected = `${spec.names?.plural ?? ''}.${group}`;
  if (crd.metadata.name !== expected) out.push(fieldInvalid('metadata.name', crd.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  if (!scopes.includes(spec.scope)) out.push(spec.scope ? fieldNotSupported('spec.scope', spec.scope, scopes) : fieldRequired('spec.scope'));
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0) out.push(fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      out.push(fieldInvalid(`spec.versions[${i}]`, v, 'must be an object'));
      return;
    }
    if (seen.has(v.name)) out.push(fieldDuplicate(`spec.versions[${i}].name`, v.name));
    seen.add(v.name);
    checkVersion(v, `spec.versions[${i}]`, out);
  });
  const storage = versions.filter((v) => v?.storage === true).length;
  if (versions.length > 0 && storage !== 1) out.push(fieldInvalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  if (versions.length > 0 && !versions.some((v) => v?.served === true)) out.push(fieldInvalid('spec.versions', versions, 'must have at least one version marked as served'));
  const strategy = spec.conversion?.strategy ?? 'None';
  if (strategy !== 'None') out.push(fieldNotSupported('spec.conversion.strategy', strategy, ['None']));
  return out;
}
