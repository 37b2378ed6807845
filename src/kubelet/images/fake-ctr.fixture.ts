// A stand-in for ctr in unit tests: a bash script that keeps an image list
// in a file beside itself. `images import -` reads the archive from stdin and
// "imports" the names listed in its `names` entry (an archive without one is
// an unrecognized format, as for ctr); `images ls -q` prints the list. Every
// call is appended to `calls` beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeCtr {
  path: string;
  calls(): string[];
  imports(): number;
  /** The names it holds, as `images ls -q` prints them. */
  store(): string[];
}

export function writeFakeCtr(dir: string): FakeCtr {
  const path = join(dir, 'ctr');
  writeFileSync(
    path,
    `#!/bin/bash
here=$(dirname "$0")
echo "$*" >> "$here/calls"
case "$*" in
  *" images import -")
    cat > "$here/last.tar" || exit 1
    names=$(tar -xOf "$here/last.tar" names 2>/dev/null) || { echo "ctr: unrecognized image format" >&2; exit 1; }
    for n in $names; do echo "$n" >> "$here/store"; printf 'unpacking %s (sha256:%064d)...done\\n' "$n" 0; done ;;
  *" images ls -q") if [ -f "$here/store" ]; then sort -u "$here/store"; fi ;;
  *) echo "ctr: unexpected $*" >&2; exit 2 ;;
esac
`,
    { mode: 0o755 },
  );
  const lines = (file: string): string[] => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(Boolean) : []);
  return {
    path,
    calls: () => lines('calls'),
    imports: () => lines('calls').filter((c) => c.endsWith('images import -')).length,
    store: () => [...new Set(lines('store'))].sort(),
  };
}

let n = 0;
/** A tar with an index.json (so it sniffs as OCI) that the fake ctr imports as `names`. */
export function fakeArchive(scratch: string, ...names: string[]): Buffer {
  const dir = mkdtempSync(join(scratch, `archive-${n++}-`));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
  writeFileSync(join(dir, 'names'), names.join('\n'));
  return execFileSync('tar', ['-C', dir, '-cf', '-', 'index.json', 'names']);
}
