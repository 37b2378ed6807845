// Defaulters of the built-in kinds, filed by group-resource (`pods`, `deployments.apps`).
import type { Defaulter } from '../registry/types.js';

export const defaulters: Readonly<Record<string, Defaulter>> = {};
