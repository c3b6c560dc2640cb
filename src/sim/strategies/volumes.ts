/** PersistentVolumes and PersistentVolumeClaims: volume mode and reclaim policy defaults, and the claim's immutable spec. */
import { deepEqual } from '../schema-nav.js';
import { setDefault, specOf, specsOf, type Obj, type Strategy } from './strategy.js';

export const persistentVolumeClaimStrategy: Strategy = {
  defaults(o) {
    setDefault(specOf(o), 'volumeMode', 'Filesystem');
  },
  validateUpdate(oldObj, newObj) {
    const { os, ns } = specsOf(oldObj, newObj);
    const strip = (s: Obj) => {
      const c = { ...s };
      delete c.resources;
      delete c.volumeAttributesClassName;
      delete c.volumeName;
      return c;
    };
    if (deepEqual(strip(os), strip(ns))) return [];
    return [{ reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims' }];
  },
};

export const persistentVolumeStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'persistentVolumeReclaimPolicy', 'Retain');
    setDefault(s, 'volumeMode', 'Filesystem');
  },
};
