// Kubelet errors: one catalogue with stable codes. Failures to start a
// container carry the waiting reason upstream's kubelet shows for them
// (ErrImagePull, CreateContainerConfigError, ...): the status writer puts
// that reason and the message into the container's waiting state, and
// the event recorder writes "Error: <reason>".

export const kubeletErrorCodes = {
  options: { reason: '', text: 'the kubelet options are unusable', suggestion: 'check the node name, directories and cluster DNS settings' },
  'image-pull': { reason: 'ErrImagePull', text: 'pulling the image failed', suggestion: 'check the image name and the registry credentials (imagePullSecrets)' },
  'image-pull-backoff': { reason: 'ImagePullBackOff', text: 'an earlier pull failed; waiting before the next attempt', suggestion: undefined },
  'image-never-pull': { reason: 'ErrImageNeverPull', text: 'the image is absent and the pull policy is Never', suggestion: 'import the image or change imagePullPolicy' },
  'invalid-image-name': { reason: 'InvalidImageName', text: 'the image name cannot be parsed', suggestion: undefined },
  'container-config': { reason: 'CreateContainerConfigError', text: "the container's configuration could not be built", suggestion: 'create the ConfigMap or Secret it names, or mark the reference optional' },
  'create-container': { reason: 'CreateContainerError', text: 'the runtime could not create the container', suggestion: undefined },
  'run-container': { reason: 'RunContainerError', text: 'the runtime could not start the container', suggestion: undefined },
  'crash-loop': { reason: 'CrashLoopBackOff', text: 'the container keeps exiting; waiting before the next restart', suggestion: undefined },
  sandbox: { reason: '', text: 'the pod sandbox could not be created', suggestion: 'check containerd\'s log and the sandbox image' },
  volume: { reason: '', text: 'a volume could not be set up', suggestion: undefined },
} as const;

export type KubeletErrorCode = keyof typeof kubeletErrorCodes;

export class KubeletError extends Error {
  readonly code: KubeletErrorCode;

  constructor(code: KubeletErrorCode, message?: string, opts: { cause?: unknown } = {}) {
    super(message || kubeletErrorCodes[code].text, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KubeletError';
    this.code = code;
  }

  /** The container waiting reason upstream shows for this failure ('' when it is not a container's). */
  get reason(): string {
    return kubeletErrorCodes[this.code].reason;
  }
}

export function isKubeletError(err: unknown, code?: KubeletErrorCode): err is KubeletError {
  return err instanceof KubeletError && (code === undefined || err.code === code);
}

/** The message of any thrown value. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
