// Images on a node: the bundled ones, archives imported into containerd,
// references, pull policy and garbage collection.
export { bundledImages, sandboxImage, defaultBundledImagesDir, agentImagesDir } from './bundled.js';
export { importImage, importImages, isArchiveName, archiveSuffixes, type ImportOptions, type ImportResult } from './import.js';
export { startImageImporter, type ImageImporter, type ImageImporterOptions, type ImportSummary } from './importer.js';
export { effectivePullPolicy, shouldPull, pullPolicies, type PullPolicy } from './pull-policy.js';
export { normalizeImageRef, tryNormalizeImageRef, parseImageRef, type ImageReference } from './reference.js';
export { sniffHead, TarScanner, type ArchiveContents, type ArchiveFormat, type Compression, type Sniffed } from './sniff.js';
export { ImagesError, isImagesError, imagesErrorCodes, imagesErrorSuggestions, type ImagesErrorCode } from './errors.js';
export { ImageGC, type ImageGCOptions, type DiskUsage } from './gc.js';
