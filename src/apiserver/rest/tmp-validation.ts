import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../machinery/index.js';
export function validateCreate(_gr: string, _n: boolean, _o: KubeObject): FieldError[] { return []; }
export function validateUpdate(_gr: string, _n: boolean, _o: KubeObject, _old: KubeObject): FieldError[] { return []; }
