/**
 * The PersistentVolume controller with a simulated provisioner: a pending claim binds to the
 * PersistentVolume it names, else to an Available volume that fits (class, access modes,
 * capacity), else gets a new volume `pvc-<claim uid>` provisioned for it. Both sides then
 * show Bound, with the annotations the real binder writes. A Delete-policy volume whose claim
 * is gone is deleted; a Retain one is Released.
 */
import type { ControllerHost } from '../controller-host.js';
import type { KubeObject } from '../../model/object-ref.js';
import { R, MANAGER } from './resources.js';
import { runController, objectKey, splitKey, type RunOptions } from './work-queue.js';
import { annotationsOf, isDeleting, jsonEqual, meta, nameOf, uidOf, type Obj } from './objects.js';
import { FAIL_ANNOTATION } from './failure-injection.js';

export const PV_COMPONENT = 'persistentvolume-controller';
export const PROVISIONER = 'kd.sim/hostpath';

interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
  storageClassName?: string;
  volumeName?: string;
  volumeMode?: string;
}
interface VolumeSpec {
  capacity?: { storage?: string };
  accessModes?: string[];
  storageClassName?: string;
  claimRef?: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string };
  persistentVolumeReclaimPolicy?: string;
  volumeMode?: string;
}

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
export function quantityBytes(q: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)([kMGT]i?|Ki)?$/.exec(q ?? '');
  return m ? Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1) : 0;
}

export function startVolumeController(options: RunOptions = {}) {
  return (host: ControllerHost): (() => void) =>
    runController(
      host,
      {
        name: 'persistentvolume',
        watches: [
          { key: R.pvcs, map: (o) => [`claim:${objectKey(o)}`] },
          { key: R.pvs, map: (o) => [`volume:${nameOf(o)}`] },
        ],
        reconcile: (k) => {
          if (k.startsWith('volume:')) {
            const pv = host.get(R.pvs, undefined, k.slice(7)) as Obj<VolumeSpec> | undefined;
            if (!pv || isDeleting(pv)) return;
            const ref = pv.spec?.claimRef;
            if (!ref?.name) {
              if (pv.status?.phase !== 'Available') host.updateStatus(R.pvs, { ...pv, status: { phase: 'Available' } }, MANAGER.controllerManager);
              return;
            }
            const claim = host.get(R.pvcs, ref.namespace, ref.name);
            if (claim && (!ref.uid || uidOf(claim) === ref.uid)) return;
            if (!ref.uid) return;
            if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Delete') === 'Delete') host.delete(R.pvs, undefined, nameOf(pv));
            else if (pv.status?.phase !== 'Released') host.updateStatus(R.pvs, { ...pv, status: { phase: 'Released' } }, MANAGER.controllerManager);
            return;
          }
          const { namespace, name } = splitKey(k.slice(6));
          const pvc = host.get(R.pvcs, namespace, name) as Obj<ClaimSpec> | undefined;
          if (!pvc || isDeleting(pvc)) return;
          if (pvc.status?.phase === 'Bound' && pvc.spec?.volumeName) return;
          const ns = namespace ?? 'default';
          const spec = pvc.spec ?? {};
          const request = quantityBytes(spec.resources?.requests?.storage);
          const claimRef = { kind: 'PersistentVolumeClaim', namespace: ns, name, uid: uidOf(pvc), apiVersion: 'v1', resourceVersion: meta(pvc).resourceVersion ?? '' };
          // 1. The named volume, an Available one that fits, or a new one.
          let pv: KubeObject | undefined = spec.volumeName ? host.get(R.pvs, undefined, spec.volumeName) : undefined;
          if (spec.volumeName && !pv) return;
          let provisioned = false;
          if (!pv) {
            pv = host
              .list(R.pvs)
              .filter((v) => {
                const vs = ((v as Obj<VolumeSpec>).spec ?? {}) as VolumeSpec;
                return !vs.claimRef && (vs.storageClassName ?? '') === (spec.storageClassName ?? '') && (spec.accessModes ?? []).every((m) => vs.accessModes?.includes(m)) && quantityBytes(vs.capacity?.storage) >= request;
              })
              .sort((a, b) => quantityBytes((a as Obj<VolumeSpec>).spec?.capacity?.storage) - quantityBytes((b as Obj<VolumeSpec>).spec?.capacity?.storage))[0];
          }
          if (!pv) {
            if (spec.storageClassName === '') return;
            // Injected: the provisioner fails as a real one does (a Warning event; the claim stays Pending).
            if (annotationsOf(pvc)[FAIL_ANNOTATION]?.trim() === 'provisioning') {
              const cls = spec.storageClassName ?? 'standard';
              host.recordEvent(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls}": rpc error: code = ResourceExhausted desc = simulated provisioning failure`, PROVISIONER);
              return;
            }
            const pvName = `pvc-${uidOf(pvc)}`;
            pv = host.create(
              R.pvs,
              {
                apiVersion: 'v1',
                kind: 'PersistentVolume',
                metadata: { name: pvName, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER }, finalizers: ['kubernetes.io/pv-protection'] },
                spec: {
                  capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' },
                  accessModes: spec.accessModes ?? ['ReadWriteOnce'],
                  hostPath: { path: `/var/lib/kd-sim/${pvName}`, type: '' },
                  persistentVolumeReclaimPolicy: 'Delete',
                  storageClassName: spec.storageClassName ?? 'standard',
                  volumeMode: spec.volumeMode ?? 'Filesystem',
                  claimRef,
                },
              },
              MANAGER.controllerManager,
            );
            provisioned = true;
            host.recordEvent(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`, PROVISIONER);
          }
          const volume = pv as Obj<VolumeSpec>;
          if (!provisioned && !volume.spec?.claimRef?.uid) {
            pv = host.update(R.pvs, { ...volume, spec: { ...volume.spec, claimRef } }, MANAGER.controllerManager);
          }
          const bound = pv as Obj<VolumeSpec>;
          if (bound.status?.phase !== 'Bound') pv = host.updateStatus(R.pvs, { ...bound, status: { phase: 'Bound' } }, MANAGER.controllerManager);
          // 2. The claim side: volumeName, binder annotations, Bound status.
          const annotations = {
            ...(meta(pvc).annotations ?? {}),
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
            ...(provisioned ? { 'volume.beta.kubernetes.io/storage-provisioner': PROVISIONER, 'volume.kubernetes.io/storage-provisioner': PROVISIONER } : {}),
          };
          let claim = pvc as KubeObject;
          if (spec.volumeName !== nameOf(pv) || !jsonEqual(annotations, meta(pvc).annotations)) {
            claim = host.update(R.pvcs, { ...pvc, metadata: { ...meta(pvc), annotations }, spec: { ...spec, volumeName: nameOf(pv) } }, MANAGER.controllerManager);
          }
          const vs = ((pv as Obj<VolumeSpec>).spec ?? {}) as VolumeSpec;
          const status = { phase: 'Bound', accessModes: vs.accessModes ?? [], capacity: vs.capacity ?? {} };
          if (!jsonEqual(status, (claim as Obj).status)) host.updateStatus(R.pvcs, { ...claim, status }, MANAGER.controllerManager);
        },
      },
      options,
    );
}
