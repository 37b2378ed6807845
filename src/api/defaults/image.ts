// The image pull policy a container gets when it names none: Always for
// the `latest` tag (written or implied), IfNotPresent otherwise, as
// upstream decides from its image reference parser. A reference that does
// not parse is treated as having no tag (IfNotPresent), as upstream ignores
// the parse error and validation reports nothing about image syntax.

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domain = `${domainComponent}(?:\\.${domainComponent})*(?::[0-9]+)?|\\[[a-fA-F0-9:]+\\](?::[0-9]+)?`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const reference = new RegExp(`^(?:(?:${domain})/)?${pathComponent}(?:/${pathComponent})*(?::(${tag}))?(?:@(${digest}))?$`);

/** The tag an image reference selects: its own, `latest` when it has neither tag nor digest, '' when only a digest or unparseable. */
export function imageTag(image: string): string {
  const m = reference.exec(image);
  if (!m) return '';
  const [, tagPart, digestPart] = m;
  if (tagPart !== undefined) return tagPart;
  return digestPart === undefined ? 'latest' : '';
}

export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  return typeof image === 'string' && imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}
