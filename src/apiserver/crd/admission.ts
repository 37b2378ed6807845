// What the API server does to a CustomResourceDefinition before storing it:
// upstream's defaults (singular and listKind from the kind, the None
// conversion strategy), a fresh status on create, then validation, which
// includes compiling each version's schema.
import type { KubeObject } from '../../api/types.js';
import { fieldInvalid, invalid, type FieldError } from '../../machinery/index.js';
import type { CustomResourceDefinition } from './types.js';
import { validateCrd } from './validate-crd.js';
import { compileValidator } from './validator.js';

const crdKind = 'CustomResourceDefinition.apiextensions.k8s.io';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Fills the CRD's defaults in place; leaves malformed parts to validation. */
export function defaultCrd(crd: CustomResourceDefinition): void {
  const spec = crd.spec;
  if (!isObject(spec)) return;
  if (isObject(spec.names) && typeof spec.names.kind === 'string' && spec.names.kind !== '') {
    spec.names.singular ||= spec.names.kind.toLowerCase();
    spec.names.listKind ||= `${spec.names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
  if (crd.status?.acceptedNames === undefined) {
    const storage = Array.isArray(spec.versions) ? spec.versions.find((v) => isObject(v) && v.storage === true)?.name : undefined;
    crd.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: storage === undefined ? [] : [storage] };
  }
}

/** Schemas ajv cannot compile (an invalid pattern, say) are invalid CRDs. */
function compileErrors(crd: CustomResourceDefinition): FieldError[] {
  const out: FieldError[] = [];
  crd.spec.versions.forEach((v, i) => {
    const schema = v.schema?.openAPIV3Schema;
    if (schema === undefined) return;
    try {
      compileValidator(schema);
    } catch (err) {
      out.push(fieldInvalid(`spec.versions[${i}].schema.openAPIV3Schema`, '', err instanceof Error ? err.message : String(err)));
    }
  });
  return out;
}

/** The CRD resource's defaulter: defaults, then validation (a 422 naming every violated rule). */
export function admitCrd(obj: KubeObject): void {
  const crd = obj as CustomResourceDefinition;
  defaultCrd(crd);
  const errors = validateCrd(crd);
  if (errors.length === 0) errors.push(...compileErrors(crd));
  if (errors.length > 0) throw invalid(crdKind, crd.metadata?.name ?? '', errors);
}
