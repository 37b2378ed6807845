// The pod template of a controller: its labels must match the selector,
// and a controller's pods run forever (restartPolicy Always, no deadline).
import type { LabelMatcher } from '../../machinery/index.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from '../../machinery/index.js';
import { goStringMap } from './common.js';
import { isObj, type Check, type Obj } from './input.js';
import { validatePodTemplateSpec, type PodSpecOptions } from './podspec.js';

export function templateLabels(template: Obj): Record<string, string> | undefined {
  const meta = isObj(template.metadata) ? template.metadata : undefined;
  if (!isObj(meta?.labels)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta.labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** `selector` does not match template `labels`, reported at `<template>.metadata.labels`. */
export function selectorMatchesTemplate(c: Check, selector: LabelMatcher | undefined, template: Obj, path: string): void {
  if (selector === undefined || selector.isEverything()) return;
  const labels = templateLabels(template);
  if (!selector.matches(labels ?? {})) c.add(fieldInvalid(`${path}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
}

/** The template rules every long-running controller shares; `kind` names it in the activeDeadlineSeconds message. */
export function validateControllerTemplate(c: Check, v: unknown, path: string, selector: LabelMatcher | undefined, kind: string, opts: PodSpecOptions = {}): Obj {
  const template = isObj(v) ? v : {};
  selectorMatchesTemplate(c, selector, template, path);
  validatePodTemplateSpec(c, v, path, opts);
  const spec = isObj(template.spec) ? template.spec : {};
  if (typeof spec.restartPolicy === 'string' && spec.restartPolicy !== 'Always') {
    c.add(fieldNotSupported(`${path}.spec.restartPolicy`, spec.restartPolicy, ['Always']));
  }
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    c.add(fieldForbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return template;
}
