import { describe, expect, it } from 'vitest';
import { R } from '../../src/sim/controllers/resources.js';
import { conditions, deployment, startSim } from './support/sim.js';

describe('deployment controller', () => {
  it('a deployment with 3 replicas becomes Available after pods are ready', () => {
    const sim = startSim();
    sim.apply(R.deployments, deployment('web', { replicas: 3 }));
    sim.run(0);
    const rs = sim.list(R.replicaSets, 'default');
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs[0].metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
    const progressReasons = sim.host.writes
      .filter((w) => w.key.resource === 'deployments')
      .map((w) => conditions(w.object).find((c) => c.startsWith('Progressing')))
      .filter((c, i, all) => c !== undefined && c !== all[i - 1]);
    expect(progressReasons).toEqual(['Progressing=True/NewReplicaSetCreated', 'Progressing=True/ReplicaSetUpdated']);
    expect(conditions(sim.get(R.deployments, 'default', 'web'))).toEqual(['Available=False/MinimumReplicasUnavailable', 'Progressing=True/ReplicaSetUpdated']);
    sim.run(999);
    expect(sim.get(R.deployments, 'default', 'web').status.availableReplicas).toBeUndefined();
    sim.run(1);
    const d = sim.get(R.deployments, 'default', 'web');
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(d.status.unavailableReplicas).toBeUndefined();
    expect(conditions(d)).toEqual(['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
    expect(sim.host.eventsFor('Deployment', 'web')).toEqual([`Normal ScalingReplicaSet deployment-controller Scaled up replica set ${rs[0].metadata.name} from 0 to 3`]);
  });
});

describe('rolling updates', () => {
  const cases = [
    { replicas: 4, maxSurge: 1, maxUnavailable: 0 },
    { replicas: 4, maxSurge: 0, maxUnavailable: 1 },
    { replicas: 10, maxSurge: '25%', maxUnavailable: '25%' },
    { replicas: 3, maxSurge: 2, maxUnavailable: 1 },
  ];
  for (const c of cases) {
    it(`a rolling update of ${c.replicas} replicas never exceeds maxSurge=${c.maxSurge} nor drops below replicas-maxUnavailable=${c.maxUnavailable}`, () => {
      const sim = startSim();
      const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable } };
      sim.apply(R.deployments, deployment('web', { replicas: c.replicas, strategy }));
      sim.run(5000);
      expect(sim.get(R.deployments, 'default', 'web').status.availableReplicas).toBe(c.replicas);
      const resolve = (v: number | string, up: boolean) => (typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((parseInt(v) * c.replicas) / 100));
      const surge = resolve(c.maxSurge, true);
      const unavailable = resolve(c.maxUnavailable, false);
      sim.apply(R.deployments, deployment('web', { replicas: c.replicas, strategy, image: 'nginx:1.28' }));
      let maxPods = 0;
      let minAvailable = Infinity;
      for (let t = 0; t < 60_000; t += 100) {
        sim.run(100);
        const pods = sim.list(R.pods, 'default').filter((p) => !p.metadata.deletionTimestamp);
        maxPods = Math.max(maxPods, pods.length);
        minAvailable = Math.min(minAvailable, pods.filter((p) => p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True')).length);
      }
      expect(maxPods).toBeLessThanOrEqual(c.replicas + surge);
      expect(minAvailable).toBeGreaterThanOrEqual(c.replicas - unavailable);
      const d = sim.get(R.deployments, 'default', 'web');
      expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
      expect(d.status).toMatchObject({ replicas: c.replicas, updatedReplicas: c.replicas, availableReplicas: c.replicas });
      expect(conditions(d)).toEqual(['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
      const rs = sim.list(R.replicaSets, 'default');
      expect(rs.map((r) => [r.metadata.annotations['deployment.kubernetes.io/revision'], r.spec.replicas]).sort()).toEqual([
        ['1', 0],
        ['2', c.replicas],
      ]);
      expect(sim.list(R.pods, 'default').every((p) => p.spec.containers[0].image === 'nginx:1.28')).toBe(true);
    });
  }

  it('a Recreate deployment removes every old pod before creating a new one', () => {
    const sim = startSim();
    sim.apply(R.deployments, deployment('db', { replicas: 2, strategy: { type: 'Recreate' } }));
    sim.run(3000);
    const start = sim.host.writes.length;
    sim.apply(R.deployments, deployment('db', { replicas: 2, strategy: { type: 'Recreate' }, image: 'nginx:1.28' }));
    sim.run(5000);
    const podWrites = sim.host.writes.slice(start).filter((w) => w.key.resource === 'pods');
    const lastOldDelete = podWrites.findLastIndex((w) => w.type === 'DELETED');
    const firstNewCreate = podWrites.findIndex((w) => w.type === 'ADDED');
    expect(lastOldDelete).toBeGreaterThanOrEqual(0);
    expect(firstNewCreate).toBeGreaterThan(lastOldDelete);
    expect(sim.get(R.deployments, 'default', 'db').status).toMatchObject({ updatedReplicas: 2, availableReplicas: 2 });
  });

  it('scaling a deployment scales its ReplicaSet and records ScalingReplicaSet events', () => {
    const sim = startSim();
    sim.apply(R.deployments, deployment('web', { replicas: 2 }));
    sim.run(2000);
    sim.apply(R.deployments, deployment('web', { replicas: 5 }));
    sim.run(2000);
    expect(sim.list(R.pods, 'default')).toHaveLength(5);
    sim.apply(R.deployments, deployment('web', { replicas: 1 }));
    sim.run(2000);
    expect(sim.list(R.pods, 'default')).toHaveLength(1);
    const rs = sim.list(R.replicaSets, 'default')[0].metadata.name;
    expect(sim.host.eventsFor('Deployment', 'web')).toEqual([
      `Normal ScalingReplicaSet deployment-controller Scaled up replica set ${rs} from 0 to 2`,
      `Normal ScalingReplicaSet deployment-controller Scaled up replica set ${rs} from 2 to 5`,
      `Normal ScalingReplicaSet deployment-controller Scaled down replica set ${rs} from 5 to 1`,
    ]);
    expect(sim.get(R.deployments, 'default', 'web').status).toMatchObject({ observedGeneration: 3, replicas: 1, availableReplicas: 1 });
  });

  it('old ReplicaSets are pruned to revisionHistoryLimit', () => {
    const sim = startSim();
    for (let i = 0; i < 5; i++) {
      sim.apply(R.deployments, deployment('web', { revisionHistoryLimit: 2, image: `nginx:1.${i}` }));
      sim.run(5000);
    }
    const revisions = sim.list(R.replicaSets, 'default').map((r) => r.metadata.annotations['deployment.kubernetes.io/revision']).sort();
    expect(revisions).toEqual(['3', '4', '5']);
  });

  it('a crashlooping deployment reports ProgressDeadlineExceeded after progressDeadlineSeconds', () => {
    const sim = startSim();
    sim.apply(R.deployments, deployment('web', { replicas: 2, progressDeadlineSeconds: 30, podAnnotations: { 'sim.kd.io/fail': 'crashloop' } }));
    sim.run(29_000);
    expect(conditions(sim.get(R.deployments, 'default', 'web'))).toEqual(['Available=False/MinimumReplicasUnavailable', 'Progressing=True/ReplicaSetUpdated']);
    sim.run(3_000);
    const d = sim.get(R.deployments, 'default', 'web');
    expect(conditions(d)).toEqual(['Available=False/MinimumReplicasUnavailable', 'Progressing=False/ProgressDeadlineExceeded']);
    expect(d.status.conditions[1].message).toBe(`ReplicaSet "${sim.list(R.replicaSets, 'default')[0].metadata.name}" has timed out progressing.`);
    expect(d.status.unavailableReplicas).toBe(2);
  });

  it('failure annotations on the Deployment itself reach its pods', () => {
    const sim = startSim();
    sim.apply(R.deployments, deployment('web', { annotations: { 'sim.kd.io/fail': 'never-ready' } }));
    sim.run(5000);
    const [pod] = sim.list(R.pods, 'default');
    expect(pod.status.phase).toBe('Running');
    expect(conditions(pod)).toContain('Ready=False/ContainersNotReady');
  });
});
