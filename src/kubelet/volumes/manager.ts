// Volumes on the host, set up before a pod's containers start and bind-
// mounted into them through the CRI: emptyDir (a directory under the pod's
// directory, or a tmpfs of sizeLimit for `medium: Memory`), hostPath (with its type checks), persistentVolumeClaim (the
// bound volume's host directory), and configMap, secret, downwardAPI and
// projected volumes (files the kubelet writes atomically, refreshed on
// every sync). Other volume types are refused with a clear message.
import { existsSync, mkdirSync, rmSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { corev1 } from '../../api/types.js';
import { KubeletError, messageOf } from '../errors.js';
import type { VolumeManager, VolumeMountSource } from './types.js';
import { writeAtomically, type FileContent } from './atomic.js';
import { claimVolumeSource, type ClaimSources } from './claims.js';
import { checkHostPath } from './hostpath.js';
import { projectedFiles, type ProjectionSources } from './projection.js';
import { units } from '../pods/resources.js';
import { mountTmpfs, unmountUnder } from './tmpfs.js';

export interface HostVolumeOptions extends ProjectionSources, ClaimSources {
  rootDir: string;
}

const plugin = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export class HostVolumeManager implements VolumeManager {
  constructor(private readonly opts: HostVolumeOptions) {}

  private volumeDir(uid: string, kind: keyof typeof plugin, name: string): string {
    return join(this.opts.rootDir, 'pods', uid, 'volumes', plugin[kind], name);
  }

  async setUp(pod: corev1.Pod): Promise<Map<string, VolumeMountSource>> {
    const uid = pod.metadata?.uid ?? '';
    const out = new Map<string, VolumeMountSource>();
    for (const v of pod.spec?.volumes ?? []) {
      try {
        out.set(v.name, await this.setUpOne(pod, uid, v));
      } catch (err) {
        throw new KubeletError('volume', `MountVolume.SetUp failed for volume "${v.name}" : ${messageOf(err)}`, { cause: err });
      }
    }
    return out;
  }

  private async setUpOne(pod: corev1.Pod, uid: string, v: corev1.Volume): Promise<VolumeMountSource> {
    if (v.emptyDir) {
      const dir = this.volumeDir(uid, 'emptyDir', v.name);
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o777);
      }
      if (v.emptyDir.medium === 'Memory') await mountTmpfs(dir, v.emptyDir.sizeLimit !== undefined ? units(v.emptyDir.sizeLimit) : this.opts.nodeAllocatable.memoryBytes);
      return { hostPath: dir, readOnly: false };
    }
    if (v.hostPath) {
      checkHostPath(v.hostPath.path, v.hostPath.type ?? '');
      return { hostPath: v.hostPath.path, readOnly: false };
    }
    if (v.persistentVolumeClaim) return claimVolumeSource(pod, v.persistentVolumeClaim, this.opts);
    const kind = v.configMap ? 'configMap' : v.secret ? 'secret' : v.downwardAPI ? 'downwardAPI' : v.projected ? 'projected' : undefined;
    if (!kind) {
      const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      throw new KubeletError('volume', `volume type ${type} is not supported by this kubelet`);
    }
    const files: Map<string, FileContent> = await projectedFiles(pod, v, this.opts);
    const dir = this.volumeDir(uid, kind, v.name);
    writeAtomically(dir, files);
    return { hostPath: dir, readOnly: true };
  }

  async tearDown(uid: string): Promise<void> {
    await unmountUnder(join(this.opts.rootDir, 'pods', uid, 'volumes'));
    rmSync(join(this.opts.rootDir, 'pods', uid, 'volumes'), { recursive: true, force: true });
  }
}
