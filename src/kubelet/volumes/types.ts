// The seam between pod workers and volumes: before a pod's sandbox and
// containers are made, every volume is set up on the host; containers
// bind-mount the host paths through the CRI.
import type { corev1 } from '../../api/types.js';

/** A volume ready on the host. */
export interface VolumeMountSource {
  hostPath: string;
  /** The volume itself is read-only (configMap, secret, downward API, projected). */
  readOnly: boolean;
}

export interface VolumeManager {
  /**
   * Sets up every volume of the pod and returns them by name. Idempotent;
   * a later call refreshes file contents (ConfigMap and Secret updates).
   * Throws KubeletError('volume') naming the volume at fault.
   */
  setUp(pod: corev1.Pod): Promise<Map<string, VolumeMountSource>>;
  /** Removes what setUp made for the pod (never anything a hostPath points at). */
  tearDown(uid: string): Promise<void>;
}
