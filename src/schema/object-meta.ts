/**
 * The ObjectMeta schema the API server applies to custom resources and embedded resources,
 * whatever their CRD says about `metadata` (a CRD may only constrain name and generateName).
 * Written out here so that CRDs validate without any built-in document loaded.
 */
import type { SchemaObject } from './types.js';

const str: SchemaObject = { type: 'string' };
const strMap: SchemaObject = { type: 'object', additionalProperties: { type: 'string' } };
const time: SchemaObject = { type: 'string', format: 'date-time' };

export const OBJECT_META_NAME = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export const objectMetaComponents: Record<string, SchemaObject> = {
  [OBJECT_META_NAME]: {
    type: 'object',
    properties: {
      name: str,
      generateName: str,
      namespace: str,
      selfLink: str,
      uid: str,
      resourceVersion: str,
      generation: { type: 'integer', format: 'int64' },
      creationTimestamp: time,
      deletionTimestamp: time,
      deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
      labels: strMap,
      annotations: strMap,
      finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'set' },
      ownerReferences: {
        type: 'array',
        items: {
          type: 'object',
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: str,
            kind: str,
            name: str,
            uid: str,
            controller: { type: 'boolean' },
            blockOwnerDeletion: { type: 'boolean' },
          },
        },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
      },
      managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  },
};
