// The OpenAPI documents of the served API (/openapi/v2, /openapi/v3) and
// the server-side field validation driven by the same generated schemas.
export { OpenApiDocs, routeOpenApi } from './routes.js';
export { fieldCheck, withWarnings, type FieldCheck, type FieldValidationMode } from './field-validation.js';
