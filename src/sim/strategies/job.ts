/**
 * batch: Jobs (defaults, the generated controller-uid selector, immutable selector and template,
 * and `Orphan` as the default propagation policy, as upstream keeps it for batch/v1) and CronJobs.
 */
import type { StatusCause } from '../../model/status.js';
import { deepEqual, isPlainObject } from '../schema-nav.js';
import { defaultPodSpec, defaultTemplate } from './pod.js';
import { child, goLabelSelector, setDefault, specOf, specsOf, type Obj, type Strategy } from './strategy.js';

function defaultJobSpec(s: Obj, o: Obj, uid: string): void {
  // A work queue (parallelism without completions) keeps completions unset.
  if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
  setDefault(s, 'parallelism', 1);
  setDefault(s, 'backoffLimit', 6);
  setDefault(s, 'completionMode', 'NonIndexed');
  setDefault(s, 'suspend', false);
  setDefault(s, 'podReplacementPolicy', 'TerminatingOrFailed');
  const tpl = child(s, 'template');
  const tm = child(tpl, 'metadata');
  setDefault(tm, 'creationTimestamp', null);
  if (s.manualSelector !== true && s.selector === undefined && uid !== '') {
    const name = isPlainObject(o.metadata) ? String(o.metadata.name ?? '') : '';
    s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const labels = child(tm, 'labels');
    setDefault(labels, 'batch.kubernetes.io/controller-uid', uid);
    setDefault(labels, 'batch.kubernetes.io/job-name', name);
    setDefault(labels, 'controller-uid', uid);
    setDefault(labels, 'job-name', name);
  }
  defaultPodSpec(child(tpl, 'spec'), { restartPolicy: false });
}

export const jobStrategy: Strategy = {
  defaults(o, { uid }) {
    defaultJobSpec(specOf(o), o, uid);
  },
  validateUpdate(oldObj, newObj) {
    const out: StatusCause[] = [];
    const { os, ns } = specsOf(oldObj, newObj);
    if (!deepEqual(os.selector, ns.selector))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.selector', message: `Invalid value: ${goLabelSelector(ns.selector)}: field is immutable` });
    if (!deepEqual(os.template, ns.template))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.template', message: 'Invalid value: core.PodTemplateSpec{...}: field is immutable' });
    return out;
  },
  defaultPropagation: 'Orphan',
};

export const cronJobStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'concurrencyPolicy', 'Allow');
    setDefault(s, 'suspend', false);
    setDefault(s, 'successfulJobsHistoryLimit', 3);
    setDefault(s, 'failedJobsHistoryLimit', 1);
    const jt = child(s, 'jobTemplate');
    setDefault(child(jt, 'metadata'), 'creationTimestamp', null);
    const js = child(jt, 'spec');
    setDefault(js, 'completions', 1);
    setDefault(js, 'parallelism', 1);
    setDefault(js, 'backoffLimit', 6);
    setDefault(js, 'completionMode', 'NonIndexed');
    setDefault(js, 'suspend', false);
    setDefault(js, 'podReplacementPolicy', 'TerminatingOrFailed');
    defaultTemplate(js, { restartPolicy: false });
  },
};
