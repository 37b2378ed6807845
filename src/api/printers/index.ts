// Table printers of the built-in kinds, filed by group-resource (`pods`, `deployments.apps`).
import type { Printer } from '../registry/types.js';

export const printers: Readonly<Record<string, Printer>> = {};
