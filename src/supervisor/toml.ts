// The little TOML the supervisor writes: quoted strings and arrays of them.
// JSON's string escapes are all valid TOML basic-string escapes; DEL is the one
// character TOML forbids raw that JSON leaves alone.

export function tomlString(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
}

export function tomlArray(values: readonly string[]): string {
  return `[${values.map(tomlString).join(', ')}]`;
}

/** A dotted table key segment: always quoted, so registry hosts with ports and dots stay one segment. */
export function tomlKey(value: string): string {
  return tomlString(value);
}
