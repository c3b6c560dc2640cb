import { describe, expect, it } from 'vitest';
import { R } from '../../src/sim/controllers/resources.js';
import { conditions, startSim } from './support/sim.js';

const job = (name: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default', annotations },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36' }] } }, ...spec },
});

const statefulSet = (name: string, replicas: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'db', image: 'postgres:17' }] } },
    ...extra,
  },
});

describe('jobs', () => {
  it('a job runs its pods to completion and is Complete with a completionTime', () => {
    const sim = startSim();
    sim.apply(R.jobs, job('once', { completions: 2, parallelism: 1 }));
    sim.run(5000);
    const j = sim.get(R.jobs, 'default', 'once');
    expect(conditions(j)).toEqual(['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
    expect(j.status).toMatchObject({ succeeded: 2, ready: 0, startTime: '2025-01-01T00:00:00Z', completionTime: '2025-01-01T00:00:02Z' });
    expect(j.status.active).toBeUndefined();
    const pods = sim.list(R.pods, 'default');
    expect(pods.map((p) => p.status.phase)).toEqual(['Succeeded', 'Succeeded']);
    expect(pods[0].metadata.labels['batch.kubernetes.io/job-name']).toBe('once');
    expect(sim.host.eventsFor('Job', 'once').map((e) => e.replace(/once-\w+/, 'once-x'))).toEqual([
      'Normal SuccessfulCreate job-controller Created pod: once-x',
      'Normal SuccessfulCreate job-controller Created pod: once-x',
      'Normal Completed job-controller Job completed',
    ]);
  });

  it('a job-fail job retries with back-off until backoffLimit, then Fails with BackoffLimitExceeded', () => {
    const sim = startSim();
    sim.apply(R.jobs, job('bad', { backoffLimit: 2 }, { 'sim.kd.io/fail': 'job-fail' }));
    sim.run(5_000);
    expect(sim.get(R.jobs, 'default', 'bad').status.failed).toBe(1);
    sim.run(120_000);
    const j = sim.get(R.jobs, 'default', 'bad');
    expect(conditions(j)).toEqual(['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
    expect(j.status.failed).toBe(3);
    expect(j.status.completionTime).toBeUndefined();
    const pods = sim.list(R.pods, 'default');
    expect(pods.map((p) => p.status.containerStatuses[0].state.terminated.exitCode)).toEqual([1, 1, 1]);
    // Replacements wait 10 s, then 20 s after each failure.
    const created = sim.host.events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.at - sim.host.events[0]!.at);
    expect(created[1]! - created[0]!).toBeGreaterThanOrEqual(10_000);
    expect(created[2]! - created[1]!).toBeGreaterThanOrEqual(20_000);
    expect(sim.host.eventsFor('Job', 'bad').at(-1)).toBe('Warning BackoffLimitExceeded job-controller Job has reached the specified backoff limit');
  });

  it('an Indexed job gives each pod its completion index', () => {
    const sim = startSim();
    sim.apply(R.jobs, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    sim.run(3000);
    const j = sim.get(R.jobs, 'default', 'idx');
    expect(j.status.completedIndexes).toBe('0-2');
    expect(sim.list(R.pods, 'default').map((p) => p.metadata.annotations['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
  });
});

describe('statefulsets and daemonsets', () => {
  it('a statefulset creates name-0, name-1, name-2 in order, each after the previous is Ready', () => {
    const sim = startSim();
    sim.apply(R.statefulSets, statefulSet('db', 3));
    const created: string[] = [];
    for (let t = 0; t < 6000; t += 100) {
      sim.run(100);
      for (const p of sim.list(R.pods, 'default')) if (!created.includes(p.metadata.name)) created.push(`${p.metadata.name}`);
    }
    expect(created).toEqual(['db-0', 'db-1', 'db-2']);
    const podAdds = sim.host.writes.filter((w) => w.key.resource === 'pods' && w.type === 'ADDED');
    expect(podAdds).toHaveLength(3);
    const s = sim.get(R.statefulSets, 'default', 'db');
    expect(s.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(s.status.currentRevision).toBe(s.status.updateRevision);
    expect(sim.get(R.pods, 'default', 'db-1').spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
  });

  it('a statefulset rolling update replaces pods from the highest ordinal and moves currentRevision', () => {
    const sim = startSim();
    sim.apply(R.statefulSets, statefulSet('db', 3));
    sim.run(6000);
    const first = sim.get(R.statefulSets, 'default', 'db').status.updateRevision;
    const next = statefulSet('db', 3);
    (next.spec.template.spec.containers[0] as { image: string }).image = 'postgres:18';
    sim.apply(R.statefulSets, next);
    sim.run(100);
    const mid = sim.get(R.statefulSets, 'default', 'db').status;
    expect(mid.currentRevision).toBe(first);
    expect(mid.updateRevision).not.toBe(first);
    sim.run(10_000);
    const deleted = sim.host.writes.filter((w) => w.key.resource === 'pods' && w.type === 'DELETED').map((w) => (w.object.metadata as { name: string }).name);
    expect(deleted).toEqual(['db-2', 'db-1', 'db-0']);
    const done = sim.get(R.statefulSets, 'default', 'db').status;
    expect(done.currentRevision).toBe(done.updateRevision);
    expect(done.updatedReplicas).toBe(3);
  });

  it('volumeClaimTemplates give each statefulset pod a Bound claim', () => {
    const sim = startSim();
    sim.apply(R.statefulSets, statefulSet('db', 2, { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] }));
    sim.run(5000);
    const claims = sim.list(R.pvcs, 'default');
    expect(claims.map((c) => [c.metadata.name, c.status.phase])).toEqual([
      ['data-db-0', 'Bound'],
      ['data-db-1', 'Bound'],
    ]);
    expect(sim.list(R.pvs).map((v) => [v.metadata.name, v.status.phase, v.spec.claimRef.name])).toEqual([
      [`pvc-${claims[0].metadata.uid}`, 'Bound', 'data-db-0'],
      [`pvc-${claims[1].metadata.uid}`, 'Bound', 'data-db-1'],
    ]);
    expect(sim.get(R.pods, 'default', 'db-0').spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } }]);
  });

  it('a daemonset runs one pod on each of the simulated nodes', () => {
    const sim = startSim({ nodes: 4 });
    sim.apply(R.daemonSets, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } } },
    });
    sim.run(3000);
    expect(sim.list(R.pods, 'default').map((p) => p.spec.nodeName).sort()).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    expect(sim.get(R.daemonSets, 'default', 'agent').status).toMatchObject({
      desiredNumberScheduled: 4,
      currentNumberScheduled: 4,
      numberReady: 4,
      numberAvailable: 4,
      updatedNumberScheduled: 4,
      numberMisscheduled: 0,
    });
    // As the real controller: pods carry the template hash, the ControllerRevision has it as a label.
    const [revision] = sim.list(R.controllerRevisions, 'default');
    const hash = revision.metadata.name.slice('agent-'.length);
    expect(revision.metadata.labels).toMatchObject({ app: 'agent', 'controller-revision-hash': hash });
    expect(sim.list(R.pods, 'default').map((p) => p.metadata.labels['controller-revision-hash'])).toEqual([hash, hash, hash, hash]);
  });
});

describe('storage, services and namespaces', () => {
  it('a claim naming no volume gets one provisioned and both become Bound', () => {
    const sim = startSim();
    sim.apply(R.pvcs, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } });
    sim.run(0);
    const claim = sim.get(R.pvcs, 'default', 'data');
    expect(claim.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    expect(claim.spec.volumeName).toBe(`pvc-${claim.metadata.uid}`);
    expect(claim.metadata.annotations['pv.kubernetes.io/bind-completed']).toBe('yes');
    expect(sim.host.eventsFor('PersistentVolumeClaim', 'data')).toEqual([`Normal ProvisioningSucceeded kd.sim/hostpath Successfully provisioned volume pvc-${claim.metadata.uid}`]);
  });

  it('a LoadBalancer service gets an ingress IP; a ClusterIP one does not', () => {
    const sim = startSim();
    const svc = (name: string, type: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { type, selector: { app: name }, ports: [{ port: 80 }] } });
    sim.apply(R.services, svc('lb', 'LoadBalancer'));
    sim.apply(R.services, svc('internal', 'ClusterIP'));
    sim.run(0);
    expect(sim.get(R.services, 'default', 'lb').status.loadBalancer).toEqual({ ingress: [{ ip: '172.18.255.1', ipMode: 'VIP' }] });
    expect(sim.get(R.services, 'default', 'internal').status.loadBalancer).toBeUndefined();
    expect(sim.host.eventsFor('Service', 'lb')).toEqual(['Normal EnsuringLoadBalancer service-controller Ensuring load balancer', 'Normal EnsuredLoadBalancer service-controller Ensured load balancer']);
  });

  it("a service's EndpointSlice lists its pods, ready once the pods are Ready", () => {
    const sim = startSim();
    sim.apply(R.services, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    sim.apply(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } });
    sim.run(0);
    let [slice] = sim.list(R.endpointSlices, 'default');
    expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready])).toEqual([['10.244.1.2', false]]);
    sim.run(1000);
    [slice] = sim.list(R.endpointSlices, 'default');
    expect(slice.endpoints.map((e: any) => [e.addresses[0], e.conditions.ready, e.nodeName, e.targetRef.name])).toEqual([['10.244.1.2', true, 'node-1', 'web-1']]);
  });

  it('a Terminating namespace loses its kubernetes finalizer once it is empty', () => {
    const sim = startSim();
    sim.apply(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', finalizers: ['test/hold'] }, spec: { finalizers: ['kubernetes'] } });
    sim.apply(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'a', image: 'x:1' }] } });
    // A metadata finalizer keeps the namespace visible while Terminating, so the test can look.
    sim.host.delete(R.namespaces, undefined, 'shop');
    sim.run(2000);
    expect(sim.get(R.namespaces, undefined, 'shop').metadata.deletionTimestamp).toBeDefined();
    expect(sim.get(R.namespaces, undefined, 'shop').spec.finalizers).toEqual(['kubernetes']);
    sim.host.delete(R.pods, 'shop', 'p');
    sim.run(0);
    expect(sim.get(R.namespaces, undefined, 'shop').spec.finalizers).toEqual([]);
  });
});
