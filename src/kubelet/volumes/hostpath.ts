// hostPath volumes' type checks, as upstream: DirectoryOrCreate and
// FileOrCreate make what is missing, the other types only check; an empty
// type checks nothing.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeletError } from '../errors.js';

export function checkHostPath(path: string, type: string): void {
  const stat = existsSync(path) ? statSync(path) : undefined;
  const fail = (what: string): never => {
    throw new KubeletError('volume', `hostPath type check failed: ${path} is not ${what}`);
  };
  switch (type) {
    case 'DirectoryOrCreate':
      if (!stat) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!stat.isDirectory()) fail('a directory');
      return;
    case 'FileOrCreate':
      if (!stat) {
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, '', { mode: 0o644 });
      } else if (!stat.isFile()) fail('a file');
      return;
    case 'Directory':
      if (!stat?.isDirectory()) fail('a directory');
      return;
    case 'File':
      if (!stat?.isFile()) fail('a file');
      return;
    case 'Socket':
      if (!stat?.isSocket()) fail('a socket file');
      return;
    case 'CharDevice':
      if (!stat?.isCharacterDevice()) fail('a character device');
      return;
    case 'BlockDevice':
      if (!stat?.isBlockDevice()) fail('a block device');
      return;
    default:
      return;
  }
}
