// Making a container's image present, per its imagePullPolicy (Always,
// IfNotPresent, Never; the default is Always for `:latest` or no tag),
// with upstream's events and errors: Pulling / Pulled / "already present",
// ErrImagePull on a failed pull, then ImagePullBackOff until the back-off
// (10 s doubling to 5 min, per pod and image) allows the next attempt,
// ErrImageNeverPull, InvalidImageName. Pulls run one at a time, as
// upstream's serialized pulls do.
import type { corev1 } from '../../api/types.js';
import { goDuration, type Clock } from '../clock.js';
import type { ContainerRuntime } from '../cri/runtime.js';
import type { AuthConfig, Image, PodSandboxConfig } from '../cri/types.js';
import { KubeletError, messageOf } from '../errors.js';
import type { EventRecorder } from '../events.js';
import type { Backoff } from './backoff.js';
import { credentialsFor } from './credentials.js';
import { effectivePullPolicy, parseImageRef, tryNormalizeImageRef, type ImageReference } from '../images/index.js';

export interface PulledImage {
  /** The image id to create the container from. */
  imageRef: string;
  image: Image | undefined;
}

export interface ImagePullerOptions {
  runtime: ContainerRuntime;
  events: EventRecorder;
  clock: Clock;
  backoff: Backoff;
  /** A pull secret of the pod's namespace, undefined when absent. */
  secret(namespace: string, name: string): Promise<corev1.Secret | undefined>;
}

export class ImagePuller {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: ImagePullerOptions) {}

  /** Makes the container's image present; throws KubeletError with the image-* codes. */
  async ensure(pod: corev1.Pod, container: corev1.Container, sandbox: PodSandboxConfig | undefined, init = false): Promise<PulledImage> {
    const { runtime, events } = this.opts;
    const ref = { name: container.name, init };
    const spec = container.image ?? '';
    let parsed: ImageReference;
    let image: string;
    try {
      parsed = parseImageRef(spec);
      image = tryNormalizeImageRef(spec) ?? spec;
    } catch {
      const msg = `Failed to apply default image tag "${spec}": couldn't parse image name "${spec}": invalid reference format`;
      events.pod(pod, 'Warning', 'InspectFailed', msg, ref);
      throw new KubeletError('invalid-image-name', msg);
    }
    const policy = effectivePullPolicy(spec, container.imagePullPolicy);
    const present = await runtime.imageStatus(image);
    if (present && policy !== 'Always') {
      events.pod(pod, 'Normal', 'Pulled', `Container image "${spec}" already present on machine`, ref);
      return { imageRef: present.id, image: present };
    }
    if (policy === 'Never') {
      const msg = `Container image "${spec}" is not present with pull policy of Never`;
      events.pod(pod, 'Warning', 'ErrImageNeverPull', msg, ref);
      throw new KubeletError('image-never-pull', msg);
    }
    const key = `${pod.metadata?.uid ?? ''}_${image}`;
    const now = this.opts.clock.now();
    if (this.opts.backoff.inBackoffSinceUpdate(key, now)) {
      const msg = `Back-off pulling image "${spec}"`;
      events.pod(pod, 'Normal', 'BackOff', msg, ref);
      throw new KubeletError('image-pull-backoff', msg);
    }
    const secrets = await this.pullSecrets(pod);
    const started = this.opts.clock.now();
    const result = this.queue.then(async () => {
      events.pod(pod, 'Normal', 'Pulling', `Pulling image "${spec}"`, ref);
      const pullStart = this.opts.clock.now();
      const id = await this.pull(image, credentialsFor(parsed, secrets), sandbox);
      return { id, pullMs: this.opts.clock.now() - pullStart };
    });
    this.queue = result.catch(() => undefined);
    let pulled: { id: string; pullMs: number };
    try {
      pulled = await result;
    } catch (err) {
      this.opts.backoff.next(key, this.opts.clock.now());
      const msg = messageOf(err);
      events.pod(pod, 'Warning', 'Failed', `Failed to pull image "${spec}": ${msg}`, ref);
      throw new KubeletError('image-pull', msg, { cause: err });
    }
    const status = (await runtime.imageStatus(pulled.id)) ?? (await runtime.imageStatus(image));
    const total = this.opts.clock.now() - started;
    events.pod(
      pod,
      'Normal',
      'Pulled',
      `Successfully pulled image "${spec}" in ${goDuration(pulled.pullMs)} (${goDuration(total)} including waiting). Image size: ${status?.size ?? 0} bytes.`,
      ref,
    );
    return { imageRef: status?.id ?? pulled.id, image: status };
  }

  /** Milliseconds until the next pull of the container's image is allowed. */
  retryAfterMs(pod: corev1.Pod, container: corev1.Container): number {
    return this.opts.backoff.remainingSinceUpdate(`${pod.metadata?.uid ?? ''}_${tryNormalizeImageRef(container.image ?? '') ?? container.image ?? ''}`);
  }

  /** Tries each matching credential in turn, then none; the last failure wins. */
  private async pull(image: string, auths: AuthConfig[], sandbox: PodSandboxConfig | undefined): Promise<string> {
    if (auths.length === 0) return this.opts.runtime.pullImage(image, sandbox ? { sandboxConfig: sandbox } : {});
    let last: unknown;
    for (const auth of auths) {
      try {
        return await this.opts.runtime.pullImage(image, sandbox ? { auth, sandboxConfig: sandbox } : { auth });
      } catch (err) {
        last = err;
      }
    }
    throw last;
  }

  private async pullSecrets(pod: corev1.Pod): Promise<corev1.Secret[]> {
    const out: corev1.Secret[] = [];
    const missing: string[] = [];
    for (const ref of pod.spec?.imagePullSecrets ?? []) {
      if (!ref.name) continue;
      const s = await this.opts.secret(pod.metadata?.namespace ?? '', ref.name);
      if (s) out.push(s);
      else missing.push(`"${ref.name}"`);
    }
    if (missing.length > 0) {
      this.opts.events.pod(
        pod,
        'Warning',
        'FailedToRetrieveImagePullSecret',
        `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`,
      );
    }
    return out;
  }
}
