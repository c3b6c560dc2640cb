/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1). Current when Established, the moment the
 * API server serves its kinds (objects of those kinds must wait for it). NamesAccepted False is a
 * failure: another CRD holds the names, and waiting will not release them.
 */
import type { KubeObject } from '../../model/index.js';
import { describeCondition, findCondition } from '../fields.js';
import { result, type HealthResult } from '../types.js';

export function customResourceDefinitionHealth(object: KubeObject): HealthResult {
  const names = findCondition(object, 'NamesAccepted');
  if (names?.status === 'False') {
    return result.failed(names.reason || 'NamesNotAccepted', describeCondition(names, 'the CRD names were not accepted'), { failFast: true });
  }
  const established = findCondition(object, 'Established');
  if (established?.status === 'True') return result.current('Established', 'the API server serves this resource');
  if (established) return result.inProgress(established.reason || 'NotEstablished', describeCondition(established, 'not yet established'));
  return result.inProgress('NotEstablished', 'waiting for the API server to establish the resource');
}
