/**
 * Server-side Table rendering (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), ported from
 * the upstream printers (pkg/printers/internalversion/printers.go) for the common kinds, the CRD
 * `additionalPrinterColumns` for custom resources, and the default `Name`/`Created At` convertor
 * otherwise. Ages use upstream's HumanDuration against the injected clock.
 */
import { formatLabelSelector } from '../model/label-selector.js';
import type { KubeObject } from '../model/object-ref.js';
import { isPlainObject } from './schema-nav.js';
import type { SimResource } from './api-catalog.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Obj = Record<string, unknown>;
type Cell = string | number | boolean | null | unknown;

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

const o = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const a = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function col(name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}

const NAME = col('Name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');

// Every kind with a pod template shows these wide columns the same way; only the Selector description varies.
const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);
const selectorColumn = (description: string) => col('Selector', 'string', description, 1);
const JOB_SELECTOR = selectorColumn('A label query over pods that should match the pod count.');

/** What a printer's row reads: the object, its parts every printer takes apart, and the clock. */
interface RowInput {
  obj: Obj;
  spec: Obj;
  status: Obj;
  name: unknown;
  /** The Age cell: time since `metadata.creationTimestamp`. */
  created: string;
  age: (ts: unknown) => string;
}

interface Printer {
  columns: ColumnDefinition[];
  row(x: RowInput): Cell[];
}

function containersImages(podSpec: Obj): [string, string] {
  const cs = a(podSpec.containers).map(o);
  return [cs.map((c) => String(c.name ?? '')).join(','), cs.map((c) => String(c.image ?? '')).join(',')];
}

/** The wide cells of a workload spec: its template's containers and images, then its selector. */
function templateCells(spec: Obj): [string, string, string] {
  return [...containersImages(o(o(spec.template).spec)), selectorString(spec.selector)];
}

function selectorString(sel: unknown): string {
  return formatLabelSelector(sel) || '<none>';
}

function mapSelectorString(m: unknown): string {
  const entries = Object.entries(o(m)).sort(([x], [y]) => (x < y ? -1 : 1));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

function podStatus(pod: Obj, age: (ts: unknown) => string): { reason: string; ready: string; restarts: string } {
  const spec = o(pod.spec);
  const status = o(pod.status);
  const meta = o(pod.metadata);
  let restarts = 0;
  let lastRestart: string | undefined;
  const total = a(spec.containers).length;
  let readyContainers = 0;
  let reason = String(status.phase ?? '');
  if (typeof status.reason === 'string' && status.reason !== '') reason = status.reason;
  for (const c of a(status.conditions).map(o))
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  let initializing = false;
  const initStatuses = a(status.initContainerStatuses).map(o);
  initStatuses.forEach((c, i) => {
    restarts += num(c.restartCount);
    const st = o(c.state);
    const term = o(st.terminated);
    const wait = o(st.waiting);
    if (isPlainObject(st.terminated) && term.exitCode === 0) return;
    if (isPlainObject(st.terminated)) {
      reason = term.reason ? `Init:${String(term.reason)}` : term.signal ? `Init:Signal:${String(term.signal)}` : `Init:ExitCode:${String(term.exitCode)}`;
      initializing = true;
    } else if (isPlainObject(st.waiting) && wait.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${String(wait.reason)}`;
      initializing = true;
    } else if (!(isPlainObject(st.running) && c.started === true)) {
      reason = `Init:${i}/${a(spec.initContainers).length}`;
      initializing = true;
    }
  });
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const cs = a(status.containerStatuses).map(o);
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += num(c.restartCount);
      const lt = o(o(c.lastState).terminated);
      if (typeof lt.finishedAt === 'string' && (lastRestart === undefined || lt.finishedAt > lastRestart)) lastRestart = lt.finishedAt;
      const st = o(c.state);
      const wait = o(st.waiting);
      const term = o(st.terminated);
      if (isPlainObject(st.waiting) && wait.reason) reason = String(wait.reason);
      else if (isPlainObject(st.terminated) && term.reason) reason = String(term.reason);
      else if (isPlainObject(st.terminated)) reason = term.signal ? `Signal:${String(term.signal)}` : `ExitCode:${String(term.exitCode)}`;
      else if (c.ready === true && isPlainObject(st.running)) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = a(status.conditions).map(o).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (meta.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  const restartsStr = lastRestart !== undefined ? `${restarts} (${age(lastRestart)} ago)` : String(restarts);
  return { reason, ready: `${readyContainers}/${total}`, restarts: restartsStr };
}

function hasCondition(status: Obj, type: string): boolean {
  return a(status.conditions).map(o).some((c) => c.type === type && c.status === 'True');
}

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      col('Node', 'string', 'Name of the Node this pod is assigned to.', 1),
      col('Nominated Node', 'string', 'Name of the node that the pod is nominated to run on.', 1),
      col('Readiness Gates', 'string', 'The readiness gates of this pod.', 1),
    ],
    row({ obj: p, spec, status, name, created, age }) {
      const st = podStatus(p, age);
      const gates = a(spec.readinessGates).map(o);
      let gatesCell = '<none>';
      if (gates.length > 0) {
        const conds = a(status.conditions).map(o);
        const trueCount = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
        gatesCell = `${trueCount}/${gates.length}`;
      }
      return [
        name,
        st.ready,
        st.reason,
        st.restarts,
        created,
        status.podIP || '<none>',
        spec.nodeName || '<none>',
        status.nominatedNodeName || '<none>',
        gatesCell,
      ];
    },
  },
  'apps/deployments': {
    columns: [
      NAME,
      col('Ready', 'string', 'Number of the pod with ready state'),
      col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      AGE,
      CONTAINERS,
      IMAGES,
      selectorColumn('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
    ],
    row({ spec: s, status: st, name, created }) {
      return [name, `${num(st.readyReplicas)}/${num(s.replicas)}`, num(st.updatedReplicas), num(st.availableReplicas), created, ...templateCells(s)];
    },
  },
  'apps/replicasets': {
    columns: [
      NAME,
      col('Desired', 'integer', 'Replicas is the number of desired pods.'),
      col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
      col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
      AGE,
      CONTAINERS,
      IMAGES,
      selectorColumn('Selector is a label query over pods that should match the replica count.'),
    ],
    row({ spec: s, status: st, name, created }) {
      return [name, num(s.replicas), num(st.replicas), num(st.readyReplicas), created, ...templateCells(s)];
    },
  },
  'apps/statefulsets': {
    columns: [NAME, col('Ready', 'string', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    row({ spec: s, status: st, name, created }) {
      return [name, `${num(st.readyReplicas)}/${num(s.replicas)}`, created, ...containersImages(o(o(s.template).spec))];
    },
  },
  'apps/daemonsets': {
    columns: [
      NAME,
      col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
      col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
      col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
      col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
      col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
      col('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'),
      AGE,
      CONTAINERS,
      IMAGES,
      selectorColumn('A label query over pods that are managed by the daemon set.'),
    ],
    row({ spec: s, status: st, name, created }) {
      const nodeSelector = o(o(s.template).spec).nodeSelector;
      return [name, num(st.desiredNumberScheduled), num(st.currentNumberScheduled), num(st.numberReady), num(st.updatedNumberScheduled), num(st.numberAvailable), mapSelectorString(nodeSelector), created, ...templateCells(s)];
    },
  },
  '/services': {
    columns: [
      NAME,
      col('Type', 'string', 'type determines how the Service is exposed.'),
      col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
      AGE,
      col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    row({ spec: s, status, name, created }) {
      const type = String(s.type ?? 'ClusterIP');
      let clusterIP = typeof s.clusterIP === 'string' && s.clusterIP !== '' ? s.clusterIP : '<none>';
      if (type === 'ExternalName') clusterIP = '<none>';
      const ingress = a(o(status.loadBalancer).ingress).map(o).map((i) => String(i.ip ?? i.hostname ?? '')).filter((x) => x !== '');
      const ext = a(s.externalIPs).map(String);
      let external: string;
      if (type === 'ExternalName') external = String(s.externalName ?? '<none>');
      else if (type === 'LoadBalancer') external = [...ingress, ...ext].join(',') || '<pending>';
      else external = ext.length > 0 ? ext.join(',') : '<none>';
      const ports = a(s.ports).map(o).map((p) => (p.nodePort ? `${String(p.port)}:${String(p.nodePort)}/${String(p.protocol ?? 'TCP')}` : `${String(p.port)}/${String(p.protocol ?? 'TCP')}`));
      return [name, type, clusterIP, external, ports.length ? ports.join(',') : '<none>', created, mapSelectorString(s.selector)];
    },
  },
  '/configmaps': {
    columns: [NAME, col('Data', 'integer', 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'), AGE],
    row({ obj: c, name, created }) {
      return [name, Object.keys(o(c.data)).length + Object.keys(o(c.binaryData)).length, created];
    },
  },
  '/secrets': {
    columns: [NAME, col('Type', 'string', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'), col('Data', 'integer', 'Data contains the secret data.'), AGE],
    row({ obj: c, name, created }) {
      return [name, c.type ?? 'Opaque', Object.keys(o(c.data)).length, created];
    },
  },
  '/namespaces': {
    columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
    row({ status, name, created }) {
      return [name, status.phase ?? '', created];
    },
  },
  '/serviceaccounts': {
    columns: [NAME, col('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
    row({ obj: n, name, created }) {
      return [name, a(n.secrets).length, created];
    },
  },
  '/nodes': {
    columns: [NAME, col('Status', 'string', 'The status of the node'), col('Roles', 'string', 'The roles of the node'), AGE, col('Version', 'string', 'Kubelet Version reported by the node.')],
    row({ obj: n, spec, status: st, name, created }) {
      const ready = a(st.conditions).map(o).find((c) => c.type === 'Ready');
      let status = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
      if (spec.unschedulable === true) status += ',SchedulingDisabled';
      const roles = Object.keys(o(o(n.metadata).labels))
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length))
        .sort();
      return [name, status, roles.length ? roles.join(',') : '<none>', created, o(o(st.nodeInfo)).kubeletVersion ?? ''];
    },
  },
  'batch/jobs': {
    columns: [
      NAME,
      col('Status', 'string', 'Status of the job.'),
      col('Completions', 'string', 'The completion status of the job'),
      col('Duration', 'string', 'Time required to complete the job.'),
      AGE,
      CONTAINERS,
      IMAGES,
      JOB_SELECTOR,
    ],
    row({ obj: j, spec: s, status: st, name, created, age }) {
      let completions: string;
      if (typeof s.completions === 'number') completions = `${num(st.succeeded)}/${s.completions}`;
      else if (typeof s.parallelism !== 'number') completions = `${num(st.succeeded)}/1`;
      else completions = s.parallelism > 1 ? `${num(st.succeeded)}/1 of ${s.parallelism}` : `${num(st.succeeded)}/1`;
      let duration = '';
      if (typeof st.startTime === 'string') {
        const end = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : undefined;
        duration = end === undefined ? age(st.startTime) : humanDuration(end - Date.parse(st.startTime));
      }
      let status = 'Running';
      if (hasCondition(st, 'Complete')) status = 'Complete';
      else if (hasCondition(st, 'Failed')) status = 'Failed';
      else if (o(j.metadata).deletionTimestamp) status = 'Terminating';
      else if (hasCondition(st, 'Suspended')) status = 'Suspended';
      else if (hasCondition(st, 'FailureTarget')) status = 'FailureTarget';
      else if (hasCondition(st, 'SuccessCriteriaMet')) status = 'SuccessCriteriaMet';
      return [name, status, completions, duration, created, ...templateCells(s)];
    },
  },
  'batch/cronjobs': {
    columns: [
      NAME,
      col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
      col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
      col('Active', 'integer', 'A list of pointers to currently running jobs.'),
      col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
      AGE,
      CONTAINERS,
      IMAGES,
      JOB_SELECTOR,
    ],
    row({ spec: s, status: st, name, created, age }) {
      return [name, s.schedule ?? '', s.timeZone ?? '<none>', s.suspend === true, a(st.active).length, st.lastScheduleTime ? age(st.lastScheduleTime) : '<none>', created, ...templateCells(o(o(s.jobTemplate).spec))];
    },
  },
  '/events': {
    columns: [
      col('Last Seen', 'string', 'Time when last event of this type was observed.'),
      col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      col('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for this event being generated.'),
      col('Object', 'string', 'The object this Event is about.'),
      col('Subobject', 'string', 'The subobject this event is about.', 1),
      col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
      col('Message', 'string', 'A human-readable description of the status of this operation.'),
      col('First Seen', 'string', 'The time at which the event was first recorded.', 1),
      col('Count', 'string', 'The number of times this event has occurred.', 1),
      col('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
    ],
    row({ obj: e, name, age }) {
      const inv = o(e.involvedObject);
      const src = o(e.source);
      const last = e.lastTimestamp ?? e.eventTime ?? o(e.metadata).creationTimestamp;
      const first = e.firstTimestamp ?? e.eventTime ?? o(e.metadata).creationTimestamp;
      const source = src.host ? `${String(src.component ?? '')}, ${String(src.host)}` : String(src.component ?? e.reportingComponent ?? '');
      return [age(last), e.type ?? '', e.reason ?? '', `${String(inv.kind ?? '').toLowerCase()}/${String(inv.name ?? '')}`, inv.fieldPath ?? '', source, String(e.message ?? '').trim(), age(first), String(e.count ?? 1), name];
    },
  },
};

const CREATED_AT = col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/** A JSONPath like `.status.replicas` evaluated the simple way CRD printer columns use it. */
function simpleJsonPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  const parts = path.replace(/^\{?\.?/, '').replace(/\}$/, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else cur = isPlainObject(cur) ? cur[p] : undefined;
  }
  return cur;
}

export interface TableOptions {
  now: number;
  /** 'Metadata' (default: PartialObjectMetadata), 'Object', or 'None'. */
  includeObject?: string;
}

export function tableFor(resource: SimResource, objects: KubeObject[], resourceVersion: string, options: TableOptions, extraMeta: Obj = {}): Obj {
  const age = (ts: unknown) => (typeof ts === 'string' ? humanDuration(options.now - Date.parse(ts)) : '<unknown>');
  let columns: ColumnDefinition[];
  let row: (obj: Obj) => Cell[];
  const printer = resource.custom ? undefined : PRINTERS[`${resource.group}/${resource.plural}`];
  if (printer) {
    columns = printer.columns;
    row = (x) => {
      const meta = o(x.metadata);
      return printer.row({ obj: x, spec: o(x.spec), status: o(x.status), name: meta.name, created: age(meta.creationTimestamp), age });
    };
  } else if (resource.custom) {
    const pcs = resource.printerColumns ?? [];
    columns = [NAME, ...pcs.map((p) => col(p.name, p.type, p.description ?? '', p.priority ?? 0, p.format ?? ''))];
    const hasAge = pcs.some((p) => p.jsonPath === '.metadata.creationTimestamp');
    if (!hasAge) columns.push(AGE);
    row = (x) => {
      const cells: Cell[] = [o(x.metadata).name];
      for (const p of pcs) {
        const v = simpleJsonPath(x, p.jsonPath);
        if (v === undefined) cells.push(null);
        else if (p.type === 'date') cells.push(typeof v === 'string' ? age(v) : v);
        else if (p.type === 'string' && typeof v === 'object') cells.push(JSON.stringify(v));
        else cells.push(v);
      }
      if (!hasAge) cells.push(age(o(x.metadata).creationTimestamp));
      return cells;
    };
  } else {
    columns = [NAME, CREATED_AT];
    row = (x) => [o(x.metadata).name, o(x.metadata).creationTimestamp];
  }
  const include = options.includeObject ?? 'Metadata';
  const rows = objects.map((x) => {
    const r: Obj = { cells: row(x as Obj) };
    if (include === 'Object') r.object = x;
    else if (include !== 'None') {
      const md = { ...o(x.metadata) };
      r.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: md };
    }
    return r;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion, ...extraMeta }, columnDefinitions: columns, rows };
}
