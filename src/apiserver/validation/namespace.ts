// Namespaces: spec finalizer names (the rest is metadata).
import { kindValidator, type KindValidator } from './kind.js';
import { validateFinalizers } from './meta.js';

export const namespaceValidators: Readonly<Record<string, KindValidator>> = {
  namespaces: kindValidator((c, obj) => {
    const spec = c.obj(obj.spec, 'spec');
    validateFinalizers(c, spec?.finalizers, 'spec.finalizers', false);
  }),
};
