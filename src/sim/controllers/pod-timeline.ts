/**
 * The simulated container runtime, as a pure function: a bound pod's status and the kubelet's
 * Events at any instant follow from when it was bound, its restart policy and its failure
 * annotations. The kubelet controller only evaluates this at the instants it reports
 * (`nextChangeAt`), writes the status when it differs, and records the events not yet recorded.
 *
 * Timings (simulated): containers start `min(readyDelay, 500ms)` after binding and are Ready
 * at `readyDelay`; a crashing container runs 1 s, then waits 10 s, 20 s, 40 s ... (capped at
 * 5 min) before its restart, as the kubelet's back-off does; image pulls are retried on the same
 * back-off; pods whose restartPolicy is not Always finish their work at `readyDelay`.
 */
import type { Container, Obj, PodSpec } from './objects.js';
import { formatTime, nameOf, namespaceOf, uidOf } from './objects.js';
import { behaviourOf, formatGoDuration } from './failure-injection.js';
import { fnv32a } from './names.js';

export const TIMING = {
  containerStartMaxMs: 500,
  crashRunMs: 1000,
  imagePullFailMs: 300,
  backOffBaseMs: 10_000,
  backOffMaxMs: 300_000,
} as const;

export interface TimelineInput {
  pod: Obj<PodSpec>;
  /** When the kubelet first saw the pod bound to its node. */
  boundAt: number;
  now: number;
  /** Default time from binding to Ready; `sim.kd.io/ready-after` overrides it. */
  readyDelayMs: number;
  hostIP: string;
  podIP: string;
}

export interface TimedEvent {
  at: number;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface PodTimeline {
  status: Record<string, unknown>;
  /** Every event from binding up to `now`, in order. */
  events: TimedEvent[];
  /** The next instant the status or events change, if they ever do. */
  nextChangeAt?: number;
}

type Mode = 'serve' | 'never-ready' | 'crash' | 'complete' | 'fail' | 'image-pull' | 'config-error';

interface ContainerAt {
  state: Record<string, unknown>;
  lastState: Record<string, unknown>;
  ready: boolean;
  started: boolean;
  restartCount: number;
  /** When `ready` last changed (binding time if it never did). */
  readySince: number;
  terminated?: { exitCode: number };
  running: boolean;
  events: TimedEvent[];
  nextChangeAt?: number;
}

export const backOffMs = (attempt: number): number => Math.min(TIMING.backOffMaxMs, TIMING.backOffBaseMs * 2 ** attempt);

function modeOf(pod: Obj<PodSpec>): Mode {
  const restartPolicy = pod.spec?.restartPolicy ?? 'Always';
  const fail = behaviourOf(pod).fail;
  switch (fail) {
    case 'image-pull':
      return 'image-pull';
    case 'config-error':
      return 'config-error';
    case 'never-ready':
      return restartPolicy === 'Always' ? 'never-ready' : 'complete';
    case 'crashloop':
    case 'job-fail':
      return restartPolicy === 'Never' ? 'fail' : 'crash';
    default:
      return restartPolicy === 'Always' ? 'serve' : 'complete';
  }
}

const hex64 = (seed: string): string => {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += fnv32a(`${seed}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
};

const imageOf = (c: Container): string => c.image ?? '';
const alwaysPulls = (c: Container): boolean => {
  const image = imageOf(c);
  const tagged = /:[^/]+$/.test(image) || image.includes('@');
  return c.imagePullPolicy === 'Always' || (c.imagePullPolicy === undefined && (!tagged || image.endsWith(':latest')));
};

/** The kubelet's reference to a missing ConfigMap or Secret, for CreateContainerConfigError. */
function configErrorMessage(c: Container): string {
  for (const e of c.env ?? []) {
    if (e.valueFrom?.configMapKeyRef?.name) return `configmap "${e.valueFrom.configMapKeyRef.name}" not found`;
    if (e.valueFrom?.secretKeyRef?.name) return `secret "${e.valueFrom.secretKeyRef.name}" not found`;
  }
  for (const e of c.envFrom ?? []) {
    if (e.configMapRef?.name) return `configmap "${e.configMapRef.name}" not found`;
    if (e.secretRef?.name) return `secret "${e.secretRef.name}" not found`;
  }
  return `configmap "${c.name}-config" not found`;
}

function containerAt(input: TimelineInput, c: Container, mode: Mode, readyAt: number, startAt: number): ContainerAt {
  const { now, boundAt, pod } = input;
  const image = imageOf(c);
  const podId = `${nameOf(pod)}_${namespaceOf(pod) ?? 'default'}(${uidOf(pod)})`;
  const events: TimedEvent[] = [];
  const ev = (at: number, type: TimedEvent['type'], reason: string, message: string) => {
    if (at <= now) events.push({ at, type, reason, message });
  };
  const waiting = (reason: string, message?: string) => ({ waiting: message === undefined ? { reason } : { reason, message } });
  const base = { lastState: {}, restartCount: 0, readySince: boundAt, running: false, events };
  const containerId = (restart: number) => `containerd://${hex64(`${uidOf(pod)}/${c.name}/${restart}`)}`;

  const pullEvents = (at: number, first: boolean) => {
    if (first && alwaysPulls(c)) {
      ev(at, 'Normal', 'Pulling', `Pulling image "${image}"`);
      ev(at, 'Normal', 'Pulled', `Successfully pulled image "${image}" in 0s (0s including waiting). Image size: 0 bytes.`);
    } else {
      ev(at, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    }
  };
  const startEvents = (at: number) => {
    ev(at, 'Normal', 'Created', `Created container: ${c.name}`);
    ev(at, 'Normal', 'Started', `Started container ${c.name}`);
  };

  if (mode === 'image-pull') {
    // 1. Each attempt pulls, fails with ErrImagePull, then waits in ImagePullBackOff.
    const pullError = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": not found`;
    let attemptAt = boundAt;
    let current: ContainerAt = { ...base, state: waiting('ContainerCreating'), ready: false, started: false, nextChangeAt: boundAt + TIMING.imagePullFailMs };
    for (let k = 0; attemptAt <= now; k++) {
      const failAt = attemptAt + TIMING.imagePullFailMs;
      const backOffAt = failAt + 1000;
      const nextAttempt = backOffAt + backOffMs(k);
      ev(attemptAt, 'Normal', 'Pulling', `Pulling image "${image}"`);
      ev(failAt, 'Warning', 'Failed', `Failed to pull image "${image}": ${pullError}`);
      ev(failAt, 'Warning', 'Failed', 'Error: ErrImagePull');
      ev(backOffAt, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      ev(backOffAt, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      if (now < failAt) current = { ...current, state: waiting('ContainerCreating'), nextChangeAt: failAt };
      else if (now < backOffAt) current = { ...current, state: waiting('ErrImagePull', pullError), nextChangeAt: backOffAt };
      else current = { ...current, state: waiting('ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${pullError}`), nextChangeAt: nextAttempt + TIMING.imagePullFailMs };
      attemptAt = nextAttempt;
    }
    return current;
  }

  if (mode === 'config-error') {
    const message = configErrorMessage(c);
    ev(boundAt, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    ev(boundAt, 'Warning', 'Failed', `Error: ${message}`);
    return { ...base, state: waiting('CreateContainerConfigError', message), ready: false, started: false };
  }

  if (now < startAt) {
    pullEvents(boundAt, true);
    return { ...base, state: waiting('ContainerCreating'), ready: false, started: false, nextChangeAt: startAt };
  }
  pullEvents(boundAt, true);
  startEvents(startAt);
  const running = (since: number, restart: number) => ({ running: { startedAt: formatTime(since) } , containerID: containerId(restart) });

  if (mode === 'serve' || mode === 'never-ready') {
    const ready = mode === 'serve' && now >= readyAt;
    if (mode === 'never-ready') ev(readyAt, 'Warning', 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503');
    const next = now < readyAt ? readyAt : undefined;
    const r = running(startAt, 0);
    return {
      ...base,
      state: { running: r.running },
      ready,
      started: true,
      running: true,
      readySince: ready ? readyAt : boundAt,
      ...(next !== undefined ? { nextChangeAt: next } : {}),
    };
  }

  if (mode === 'complete' || mode === 'fail') {
    const endAt = Math.max(startAt, readyAt);
    if (now < endAt) {
      return { ...base, state: { running: { startedAt: formatTime(startAt) } }, ready: true, started: true, running: true, readySince: startAt, nextChangeAt: endAt };
    }
    const exitCode = mode === 'complete' ? 0 : 1;
    return {
      ...base,
      state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: formatTime(startAt), finishedAt: formatTime(endAt), containerID: containerId(0) } },
      ready: false,
      started: false,
      readySince: endAt,
      terminated: { exitCode },
    };
  }

  // mode === 'crash': run, exit 1, back off, restart, with a growing restartCount.
  let start = startAt;
  for (let k = 0; ; k++) {
    const crashAt = start + TIMING.crashRunMs;
    if (now < crashAt) {
      return {
        ...base,
        state: { running: { startedAt: formatTime(start) } },
        lastState: k === 0 ? {} : { terminated: { exitCode: 1, reason: 'Error', startedAt: formatTime(start - backOffMs(k - 1) - TIMING.crashRunMs), finishedAt: formatTime(start - backOffMs(k - 1)), containerID: containerId(k - 1) } },
        ready: false,
        started: true,
        running: true,
        restartCount: k,
        nextChangeAt: crashAt,
      };
    }
    const restartAt = crashAt + backOffMs(k);
    ev(crashAt, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podId}`);
    if (now < restartAt) {
      return {
        ...base,
        state: waiting('CrashLoopBackOff', `back-off ${formatGoDuration(backOffMs(k))} restarting failed container=${c.name} pod=${podId}`),
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: formatTime(start), finishedAt: formatTime(crashAt), containerID: containerId(k) } },
        ready: false,
        started: false,
        restartCount: k + 1,
        nextChangeAt: restartAt,
      };
    }
    pullEvents(restartAt, false);
    startEvents(restartAt);
    start = restartAt;
  }
}

/** Evaluates a bound pod's status and kubelet events at `input.now`. */
export function podTimeline(input: TimelineInput): PodTimeline {
  const { pod, boundAt, now } = input;
  const behaviour = behaviourOf(pod);
  const readyDelay = Math.max(0, behaviour.readyAfterMs ?? input.readyDelayMs);
  const startAt = boundAt + Math.min(readyDelay, TIMING.containerStartMaxMs);
  const readyAt = boundAt + readyDelay;
  const mode = modeOf(pod);
  const containers = pod.spec?.containers ?? [];
  const results = containers.map((c) => ({ c, at: containerAt(input, c, mode, readyAt, startAt) }));

  const allReady = results.length > 0 && results.every((r) => r.at.ready);
  const anyStarted = results.some((r) => r.at.running || r.at.restartCount > 0 || r.at.terminated);
  const allTerminated = results.length > 0 && results.every((r) => r.at.terminated);
  const anyFailed = results.some((r) => (r.at.terminated?.exitCode ?? 0) !== 0);
  const phase = allTerminated ? (anyFailed ? 'Failed' : 'Succeeded') : anyStarted ? 'Running' : 'Pending';
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const readySince = results.reduce((t, r) => Math.max(t, r.at.readySince), boundAt);
  const notReady = results.filter((r) => !r.at.ready).map((r) => r.c.name);
  const bound = formatTime(boundAt);

  const readyCondition = (type: string) =>
    allReady
      ? { type, status: 'True', lastProbeTime: null, lastTransitionTime: formatTime(readySince) }
      : {
          type,
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: formatTime(readySince),
          reason: finished ? 'PodCompleted' : 'ContainersNotReady',
          ...(finished ? {} : { message: `containers with unready status: [${notReady.join(' ')}]` }),
        };
  const existing = (pod.status ?? {}) as Record<string, unknown>;
  const scheduled = ((existing.conditions as Array<Record<string, unknown>> | undefined) ?? []).find((c) => c.type === 'PodScheduled') ?? {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: bound,
  };
  const conditions = [
    { type: 'PodReadyToStartContainers', status: finished ? 'False' : 'True', lastProbeTime: null, lastTransitionTime: finished ? formatTime(readySince) : bound },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: bound, ...(finished ? { reason: 'PodCompleted' } : {}) },
    readyCondition('Ready'),
    readyCondition('ContainersReady'),
    scheduled,
  ];
  const containerStatuses = results.map(({ c, at }) => {
    const { containerID, ...state } = Object.values(at.state)[0] as Record<string, unknown> & { containerID?: string };
    const key = Object.keys(at.state)[0] ?? 'waiting';
    const repo = imageOf(c).replace(/[:@][^/]*$/, '');
    const pulled = key !== 'waiting' || at.restartCount > 0;
    return {
      name: c.name,
      image: imageOf(c),
      imageID: pulled ? `${repo}@sha256:${hex64(imageOf(c))}` : '',
      ...(containerID ? { containerID } : pulled && at.running ? { containerID: `containerd://${hex64(`${uidOf(pod)}/${c.name}/${at.restartCount}`)}` } : {}),
      ready: at.ready,
      started: at.started,
      restartCount: at.restartCount,
      state: { [key]: state },
      lastState: at.lastState,
    };
  });
  const initStatuses = (pod.spec?.initContainers ?? []).map((c) => ({
    name: c.name,
    image: imageOf(c),
    imageID: `${imageOf(c).replace(/[:@][^/]*$/, '')}@sha256:${hex64(imageOf(c))}`,
    containerID: `containerd://${hex64(`${uidOf(pod)}/${c.name}/init`)}`,
    ready: true,
    started: false,
    restartCount: 0,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: bound, finishedAt: bound } },
    lastState: {},
  }));

  const status: Record<string, unknown> = {
    ...existing,
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: bound,
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses,
  };
  const events = results.flatMap((r) => r.at.events).sort((a, b) => a.at - b.at);
  const nexts = results.map((r) => r.at.nextChangeAt).filter((t): t is number => t !== undefined && t > now);
  return nexts.length > 0 ? { status, events, nextChangeAt: Math.min(...nexts) } : { status, events };
}
