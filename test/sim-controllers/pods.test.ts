import { describe, expect, it } from 'vitest';
import { R } from '../../src/sim/controllers/resources.js';
import { conditions, startSim } from './support/sim.js';

const pod = (name: string, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', annotations },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
});

const waiting = (p: any) => p.status.containerStatuses?.[0]?.state?.waiting?.reason;

describe('pod lifecycle', () => {
  it('a pod goes Pending, scheduled, Running, then Ready after the configured delay', () => {
    const sim = startSim({ podReadyDelayMs: 2000 });
    sim.apply(R.pods, pod('p'));
    sim.run(0);
    let p = sim.get(R.pods, 'default', 'p');
    expect(p.spec.nodeName).toBe('node-1');
    expect(p.status.phase).toBe('Pending');
    expect(waiting(p)).toBe('ContainerCreating');
    expect(p.status.hostIP).toBe('172.18.0.2');
    expect(p.status.podIP).toBe('10.244.1.2');
    sim.run(500);
    p = sim.get(R.pods, 'default', 'p');
    expect(p.status.phase).toBe('Running');
    expect(p.status.containerStatuses[0]).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect(conditions(p)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=False/ContainersNotReady', 'ContainersReady=False/ContainersNotReady', 'PodScheduled=True']);
    sim.run(1500);
    p = sim.get(R.pods, 'default', 'p');
    expect(conditions(p)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(sim.host.eventsFor('Pod', 'p')).toEqual([
      'Normal Scheduled default-scheduler Successfully assigned default/p to node-1',
      'Normal Pulled kubelet Container image "nginx:1.27" already present on machine',
      'Normal Created kubelet Created container: app',
      'Normal Started kubelet Started container app',
    ]);
  });

  it('sim.kd.io/ready-after delays readiness for one pod', () => {
    const sim = startSim();
    sim.apply(R.pods, pod('slow', { 'sim.kd.io/ready-after': '3s' }));
    sim.run(2999);
    expect(conditions(sim.get(R.pods, 'default', 'slow'))).toContain('Ready=False/ContainersNotReady');
    sim.run(1);
    expect(conditions(sim.get(R.pods, 'default', 'slow'))).toContain('Ready=True');
  });

  it("a crashlooping pod's restartCount grows with back-off", () => {
    const sim = startSim();
    sim.apply(R.pods, pod('crash', { 'sim.kd.io/fail': 'crashloop' }));
    const seen: Array<{ t: number; restarts: number }> = [];
    for (let t = 0; t <= 200_000; t += 500) {
      const restarts = sim.get(R.pods, 'default', 'crash').status?.containerStatuses?.[0]?.restartCount ?? 0;
      if (seen.length === 0 || seen[seen.length - 1]!.restarts !== restarts) seen.push({ t, restarts });
      sim.run(500);
    }
    // Runs 1 s, then back-off 10 s, 20 s, 40 s, 80 s between restarts.
    const gaps = seen.slice(2).map((s, i) => s.t - seen[i + 1]!.t);
    expect(seen.map((s) => s.restarts)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gaps).toEqual([11_000, 21_000, 41_000, 81_000]);
    const p = sim.get(R.pods, 'default', 'crash');
    expect(p.status.phase).toBe('Running');
    const status = p.status.containerStatuses[0];
    expect(status.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    const reasons = sim.host.eventsFor('Pod', 'crash').map((e) => e.split(' ')[1]);
    expect(reasons.filter((r) => r === 'BackOff')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'Started')).toHaveLength(5);
  });

  const failures = [
    { fail: 'crashloop', at: 2000, phase: 'Running', waiting: 'CrashLoopBackOff', message: /^back-off 10s restarting failed container=app pod=f_default\(uid-\d+\)$/ },
    { fail: 'image-pull', at: 500, phase: 'Pending', waiting: 'ErrImagePull', message: /failed to pull and unpack image "nginx:1.27"/ },
    { fail: 'image-pull', at: 2000, phase: 'Pending', waiting: 'ImagePullBackOff', message: /^Back-off pulling image "nginx:1.27"/ },
    { fail: 'image-pull', at: 12_000, phase: 'Pending', waiting: 'ErrImagePull', message: /not found$/ },
    { fail: 'config-error', at: 2000, phase: 'Pending', waiting: 'CreateContainerConfigError', message: /^configmap "app-config" not found$/ },
  ];
  for (const f of failures) {
    it(`sim.kd.io/fail: ${f.fail} shows ${f.waiting} after ${f.at} ms`, () => {
      const sim = startSim();
      sim.apply(R.pods, pod('f', { 'sim.kd.io/fail': f.fail }));
      sim.run(f.at);
      const p = sim.get(R.pods, 'default', 'f');
      expect(p.status.phase).toBe(f.phase);
      expect(waiting(p)).toBe(f.waiting);
      expect(p.status.containerStatuses[0].state.waiting.message).toMatch(f.message);
      expect(conditions(p)).toContain('Ready=False/ContainersNotReady');
    });
  }

  it('image-pull failures record the kubelet events in order', () => {
    const sim = startSim();
    sim.apply(R.pods, pod('f', { 'sim.kd.io/fail': 'image-pull' }));
    sim.run(2000);
    const pullError = 'rpc error: code = NotFound desc = failed to pull and unpack image "nginx:1.27": failed to resolve reference "nginx:1.27": not found';
    expect(sim.host.eventsFor('Pod', 'f')).toEqual([
      'Normal Scheduled default-scheduler Successfully assigned default/f to node-1',
      'Normal Pulling kubelet Pulling image "nginx:1.27"',
      `Warning Failed kubelet Failed to pull image "nginx:1.27": ${pullError}`,
      'Warning Failed kubelet Error: ErrImagePull',
      'Normal BackOff kubelet Back-off pulling image "nginx:1.27"',
      'Warning Failed kubelet Error: ImagePullBackOff',
    ]);
  });

  it('a config error names the missing ConfigMap the container refers to', () => {
    const sim = startSim();
    const spec = { containers: [{ name: 'app', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'settings' } }] }] };
    sim.apply(R.pods, pod('c', { 'sim.kd.io/fail': 'config-error' }, spec));
    sim.run(1000);
    expect(sim.get(R.pods, 'default', 'c').status.containerStatuses[0].state.waiting.message).toBe('configmap "settings" not found');
    expect(sim.host.eventsFor('Pod', 'c')).toContain('Warning Failed kubelet Error: configmap "settings" not found');
  });

  it('an unschedulable pod stays Pending with PodScheduled=False and the scheduler message', () => {
    const sim = startSim();
    sim.apply(R.pods, pod('u', { 'sim.kd.io/fail': 'unschedulable' }));
    sim.run(5000);
    const p = sim.get(R.pods, 'default', 'u');
    expect(p.spec.nodeName).toBeUndefined();
    expect(p.status.phase).toBe('Pending');
    const message = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    expect(p.status.conditions).toEqual([{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'Unschedulable', message }]);
    expect(sim.host.eventsFor('Pod', 'u')).toEqual([`Warning FailedScheduling default-scheduler ${message}`]);
  });

  it('a nodeSelector no node matches is reported as the scheduler words it', () => {
    const sim = startSim({ nodes: 2 });
    sim.apply(R.pods, pod('s', {}, { nodeSelector: { disk: 'ssd' } }));
    sim.run(1000);
    expect(sim.get(R.pods, 'default', 's').status.conditions[0].message).toBe(
      "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  it('pods spread over the nodes with the fewest pods', () => {
    const sim = startSim({ nodes: 3 });
    for (const n of ['a', 'b', 'c', 'd']) sim.apply(R.pods, pod(n));
    sim.run(0);
    expect(['a', 'b', 'c', 'd'].map((n) => sim.get(R.pods, 'default', n).spec.nodeName)).toEqual(['node-1', 'node-2', 'node-3', 'node-1']);
  });

  it('a pod with restartPolicy Never completes with exit code 0', () => {
    const sim = startSim();
    sim.apply(R.pods, pod('once', {}, { restartPolicy: 'Never' }));
    sim.run(1000);
    const p = sim.get(R.pods, 'default', 'once');
    expect(p.status.phase).toBe('Succeeded');
    expect(p.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(conditions(p)).toContain('Ready=False/PodCompleted');
  });

  it('the simulated nodes are Ready with their addresses', () => {
    const sim = startSim({ nodes: 2 });
    const nodes = sim.list(R.nodes);
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2']);
    expect(nodes.map((n) => conditions(n).at(-1))).toEqual(['Ready=True/KubeletReady', 'Ready=True/KubeletReady']);
    expect(nodes[1].status.addresses[0]).toEqual({ type: 'InternalIP', address: '172.18.0.3' });
  });
});
