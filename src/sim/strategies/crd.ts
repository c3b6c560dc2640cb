/**
 * CustomResourceDefinitions: the names and conversion defaults. Registration of the served
 * resources is crd-registration.ts and the storage's; cleanup of their objects on delete is the
 * garbage collector's.
 */
import { isPlainObject } from '../schema-nav.js';
import type { Strategy } from './strategy.js';

/** The finalizer that keeps a CRD until its custom objects are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export const crdStrategy: Strategy = {
  defaults(crd) {
    const spec = isPlainObject(crd.spec) ? crd.spec : undefined;
    if (!spec) return;
    const names = isPlainObject(spec.names) ? spec.names : undefined;
    if (names) {
      if (names.singular === undefined && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
      if (names.listKind === undefined && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
    }
    if (spec.conversion === undefined) spec.conversion = { strategy: 'None' };
  },
};
