// Image errors: one catalogue with stable codes and, where the user can act,
// a suggestion. Messages name the file or reference at fault.

export const imagesErrorCodes = {
  'invalid-reference': 'an image reference does not parse',
  'not-an-archive': 'a file is not an image archive tsk8s can import',
  'zstd-unavailable': 'a .tar.zst archive cannot be decompressed: no zstd program and no zstd support in Node.js',
  'import-failed': 'ctr could not import an archive',
  'unnamed-images': 'an archive holds no image with a name',
} as const;

export type ImagesErrorCode = keyof typeof imagesErrorCodes;

export const imagesErrorSuggestions: Partial<Record<ImagesErrorCode, string>> = {
  'not-an-archive': 'give a docker-archive or OCI archive (docker save, ctr images export, skopeo copy ... oci-archive:) as .tar, .tar.gz or .tar.zst',
  'zstd-unavailable': "install Debian's zstd package, or decompress the archive to .tar",
  'unnamed-images': 'name the image when exporting it (e.g. skopeo copy ... oci-archive:FILE:registry/name:tag)',
};

export class ImagesError extends Error {
  readonly code: ImagesErrorCode;
  /** The file at fault, when there is one. */
  readonly path: string | undefined;

  constructor(code: ImagesErrorCode, message: string, opts: { path?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ImagesError';
    this.code = code;
    this.path = opts.path;
  }

  get suggestion(): string | undefined {
    return imagesErrorSuggestions[this.code];
  }
}

export function isImagesError(err: unknown, code?: ImagesErrorCode): err is ImagesError {
  return err instanceof ImagesError && (code === undefined || err.code === code);
}
