// The supervisor: the bundled container runtime and the containerd child.
export { installRuntime, defaultRuntimeDir, type InstallRuntimeOptions, type InstalledRuntime } from './runtime.js';
export { startContainerd, type ContainerdOptions, type ContainerdInfo, type RunningContainerd } from './containerd.js';
export { containerdLayout, defaultStateDir, type ContainerdLayout } from './layout.js';
export { registriesFromDocument, type Registries, type RegistryMirror, type RegistryConfig, type RegistryAuth, type RegistryTls } from './registries.js';
export { renderHostsFiles, writeHostsFiles } from './hosts-toml.js';
export { renderContainerdConfig } from './containerd-config.js';
export type { Backoff, ChildStatus } from './child.js';
export { SupervisorError, isSupervisorError, supervisorErrorCodes, supervisorErrorSuggestions, type SupervisorErrorCode } from './errors.js';
