/**
 * Decoding of the Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`) for the
 * kinds kubectl's typed clients POST: `kubectl create namespace|configmap|secret|serviceaccount|
 * deployment|service|job|cronjob|ingress|role|rolebinding|clusterrole|clusterrolebinding|quota|
 * pdb|priorityclass` and `kubectl auth can-i|whoami`. kubectl sends protobuf whatever the server
 * advertises and does not fall back to JSON on 415, and protobuf field numbers are not in the
 * OpenAPI documents, so the messages are hand-written tables taken from the upstream
 * generated.proto files (and checked against bodies the real kubectl 1.32 sends).
 *
 * Limits: the tables cover the fields those commands set (and the usual pod template fields); a
 * non-empty field outside them makes the body undecodable rather than silently dropped (the
 * caller answers 415 naming the supported kinds). gogo-protobuf writes every non-pointer field,
 * so empty values of unknown fields are skipped, and zero scalars are omitted as JSON's
 * `omitempty` would, except for pointer fields (`replicas: 0` stays). Never throws.
 */
import { formatMetav1Time } from '../model/time.js';

type FieldType = 'string' | 'int' | 'bool' | 'bytes' | 'time' | 'intstr' | { msg: MessageSchema } | { map: 'string' | 'bytes' | 'quantity' };
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** A Go pointer field (present only when set) or one JSON writes without omitempty: its zero value is kept. */
  ptr?: boolean;
  /** An embedded Go struct whose fields JSON inlines into the parent (IngressRule's IngressRuleValue). */
  inline?: boolean;
}
type MessageSchema = Record<number, FieldSpec>;

const OWNER_REFERENCE: MessageSchema = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

const OBJECT_META: MessageSchema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int' },
  11: { name: 'labels', type: { map: 'string' } },
  12: { name: 'annotations', type: { map: 'string' } },
  13: { name: 'ownerReferences', type: { msg: OWNER_REFERENCE }, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const RESOURCE_ATTRIBUTES: MessageSchema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};


const LABEL_SELECTOR: MessageSchema = {
  1: { name: 'matchLabels', type: { map: 'string' } },
  2: { name: 'matchExpressions', repeated: true, type: { msg: { 1: { name: 'key', type: 'string' }, 2: { name: 'operator', type: 'string' }, 3: { name: 'values', type: 'string', repeated: true } } } },
};

const CONTAINER: MessageSchema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'image', type: 'string' },
  3: { name: 'command', type: 'string', repeated: true },
  4: { name: 'args', type: 'string', repeated: true },
  5: { name: 'workingDir', type: 'string' },
  6: {
    name: 'ports',
    repeated: true,
    type: { msg: { 1: { name: 'name', type: 'string' }, 2: { name: 'hostPort', type: 'int' }, 3: { name: 'containerPort', type: 'int' }, 4: { name: 'protocol', type: 'string' }, 5: { name: 'hostIP', type: 'string' } } },
  },
  7: { name: 'env', repeated: true, type: { msg: { 1: { name: 'name', type: 'string' }, 2: { name: 'value', type: 'string' } } } },
  8: { name: 'resources', type: { msg: { 1: { name: 'limits', type: { map: 'quantity' } }, 2: { name: 'requests', type: { map: 'quantity' } } } } },
  13: { name: 'terminationMessagePath', type: 'string' },
  14: { name: 'imagePullPolicy', type: 'string' },
  16: { name: 'stdin', type: 'bool' },
  17: { name: 'stdinOnce', type: 'bool' },
  18: { name: 'tty', type: 'bool' },
  20: { name: 'terminationMessagePolicy', type: 'string' },
};

const POD_SPEC: MessageSchema = {
  2: { name: 'containers', type: { msg: CONTAINER }, repeated: true },
  3: { name: 'restartPolicy', type: 'string' },
  4: { name: 'terminationGracePeriodSeconds', type: 'int', ptr: true },
  5: { name: 'activeDeadlineSeconds', type: 'int', ptr: true },
  6: { name: 'dnsPolicy', type: 'string' },
  7: { name: 'nodeSelector', type: { map: 'string' } },
  8: { name: 'serviceAccountName', type: 'string' },
  9: { name: 'serviceAccount', type: 'string' },
  10: { name: 'nodeName', type: 'string' },
  11: { name: 'hostNetwork', type: 'bool' },
  12: { name: 'hostPID', type: 'bool' },
  13: { name: 'hostIPC', type: 'bool' },
  15: { name: 'imagePullSecrets', type: { msg: { 1: { name: 'name', type: 'string' } } }, repeated: true },
  16: { name: 'hostname', type: 'string' },
  17: { name: 'subdomain', type: 'string' },
  19: { name: 'schedulerName', type: 'string' },
  20: { name: 'initContainers', type: { msg: CONTAINER }, repeated: true },
  21: { name: 'automountServiceAccountToken', type: 'bool', ptr: true },
  24: { name: 'priorityClassName', type: 'string' },
  25: { name: 'priority', type: 'int', ptr: true },
  30: { name: 'enableServiceLinks', type: 'bool', ptr: true },
};

const POD_TEMPLATE_SPEC: MessageSchema = { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: POD_SPEC } } };

const JOB_SPEC: MessageSchema = {
  1: { name: 'parallelism', type: 'int', ptr: true },
  2: { name: 'completions', type: 'int', ptr: true },
  3: { name: 'activeDeadlineSeconds', type: 'int', ptr: true },
  4: { name: 'selector', type: { msg: LABEL_SELECTOR } },
  5: { name: 'manualSelector', type: 'bool', ptr: true },
  6: { name: 'template', type: { msg: POD_TEMPLATE_SPEC } },
  7: { name: 'backoffLimit', type: 'int', ptr: true },
  8: { name: 'ttlSecondsAfterFinished', type: 'int', ptr: true },
  9: { name: 'completionMode', type: 'string', ptr: true },
  10: { name: 'suspend', type: 'bool', ptr: true },
};

const INGRESS_BACKEND: MessageSchema = {
  3: { name: 'resource', type: { msg: { 1: { name: 'apiGroup', type: 'string', ptr: true }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } } } },
  4: {
    name: 'service',
    type: { msg: { 1: { name: 'name', type: 'string' }, 2: { name: 'port', type: { msg: { 1: { name: 'name', type: 'string' }, 2: { name: 'number', type: 'int' } } } } } },
  },
};

const POLICY_RULE: MessageSchema = {
  1: { name: 'verbs', type: 'string', repeated: true },
  2: { name: 'apiGroups', type: 'string', repeated: true },
  3: { name: 'resources', type: 'string', repeated: true },
  4: { name: 'resourceNames', type: 'string', repeated: true },
  5: { name: 'nonResourceURLs', type: 'string', repeated: true },
};

const ROLE_BINDING: MessageSchema = {
  1: { name: 'metadata', type: { msg: OBJECT_META } },
  2: { name: 'subjects', repeated: true, type: { msg: { 1: { name: 'kind', type: 'string' }, 2: { name: 'apiGroup', type: 'string' }, 3: { name: 'name', type: 'string' }, 4: { name: 'namespace', type: 'string' } } } },
  3: { name: 'roleRef', type: { msg: { 1: { name: 'apiGroup', type: 'string' }, 2: { name: 'kind', type: 'string' }, 3: { name: 'name', type: 'string' } } } },
};

/** Statuses kubectl sends are empty Go structs; only the shape JSON shows (`status: {}`) matters. */
const EMPTY: MessageSchema = {};
const LOAD_BALANCER_STATUS: MessageSchema = { 1: { name: 'loadBalancer', type: { msg: EMPTY } } };

const KINDS: Record<string, MessageSchema> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: { msg: { 1: { name: 'resourceAttributes', type: { msg: RESOURCE_ATTRIBUTES } }, 2: { name: 'nonResourceAttributes', type: { msg: { 1: { name: 'path', type: 'string' }, 2: { name: 'verb', type: 'string' } } } } } },
    },
  },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'spec', type: { msg: { 1: { name: 'namespace', type: 'string' } } } },
  },
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: { name: 'metadata', type: { msg: OBJECT_META } } },
  'apps/v1/Deployment': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: {
        msg: {
          1: { name: 'replicas', type: 'int', ptr: true },
          2: { name: 'selector', type: { msg: LABEL_SELECTOR } },
          3: { name: 'template', type: { msg: POD_TEMPLATE_SPEC } },
          4: { name: 'strategy', type: { msg: { 1: { name: 'type', type: 'string' }, 2: { name: 'rollingUpdate', type: { msg: { 1: { name: 'maxUnavailable', type: 'intstr' }, 2: { name: 'maxSurge', type: 'intstr' } } } } } } },
          5: { name: 'minReadySeconds', type: 'int' },
          6: { name: 'revisionHistoryLimit', type: 'int', ptr: true },
          7: { name: 'paused', type: 'bool' },
          9: { name: 'progressDeadlineSeconds', type: 'int', ptr: true },
        },
      },
    },
    3: { name: 'status', type: { msg: EMPTY } },
  },
  'v1/Service': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: {
        msg: {
          1: {
            name: 'ports',
            repeated: true,
            type: {
              msg: {
                1: { name: 'name', type: 'string' },
                2: { name: 'protocol', type: 'string' },
                3: { name: 'port', type: 'int' },
                4: { name: 'targetPort', type: 'intstr' },
                5: { name: 'nodePort', type: 'int' },
                6: { name: 'appProtocol', type: 'string', ptr: true },
              },
            },
          },
          2: { name: 'selector', type: { map: 'string' } },
          3: { name: 'clusterIP', type: 'string' },
          4: { name: 'type', type: 'string' },
          5: { name: 'externalIPs', type: 'string', repeated: true },
          7: { name: 'sessionAffinity', type: 'string' },
          8: { name: 'loadBalancerIP', type: 'string' },
          9: { name: 'loadBalancerSourceRanges', type: 'string', repeated: true },
          10: { name: 'externalName', type: 'string' },
          11: { name: 'externalTrafficPolicy', type: 'string' },
          12: { name: 'healthCheckNodePort', type: 'int' },
          13: { name: 'publishNotReadyAddresses', type: 'bool' },
          18: { name: 'clusterIPs', type: 'string', repeated: true },
          19: { name: 'ipFamilies', type: 'string', repeated: true },
          20: { name: 'ipFamilyPolicy', type: 'string', ptr: true },
          21: { name: 'allocateLoadBalancerNodePorts', type: 'bool', ptr: true },
          22: { name: 'loadBalancerClass', type: 'string', ptr: true },
          23: { name: 'internalTrafficPolicy', type: 'string', ptr: true },
        },
      },
    },
    3: { name: 'status', type: { msg: LOAD_BALANCER_STATUS } },
  },
  'batch/v1/Job': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'spec', type: { msg: JOB_SPEC } },
    3: { name: 'status', type: { msg: EMPTY } },
  },
  'batch/v1/CronJob': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: {
        msg: {
          1: { name: 'schedule', type: 'string' },
          2: { name: 'startingDeadlineSeconds', type: 'int', ptr: true },
          3: { name: 'concurrencyPolicy', type: 'string' },
          4: { name: 'suspend', type: 'bool', ptr: true },
          5: { name: 'jobTemplate', type: { msg: { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'spec', type: { msg: JOB_SPEC } } } } },
          6: { name: 'successfulJobsHistoryLimit', type: 'int', ptr: true },
          7: { name: 'failedJobsHistoryLimit', type: 'int', ptr: true },
          8: { name: 'timeZone', type: 'string', ptr: true },
        },
      },
    },
    3: { name: 'status', type: { msg: EMPTY } },
  },
  'networking.k8s.io/v1/Ingress': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: {
        msg: {
          1: { name: 'defaultBackend', type: { msg: INGRESS_BACKEND } },
          2: { name: 'tls', repeated: true, type: { msg: { 1: { name: 'hosts', type: 'string', repeated: true }, 2: { name: 'secretName', type: 'string' } } } },
          3: {
            name: 'rules',
            repeated: true,
            type: {
              msg: {
                1: { name: 'host', type: 'string' },
                2: {
                  name: 'ingressRuleValue',
                  inline: true,
                  type: {
                    msg: {
                      1: {
                        name: 'http',
                        type: {
                          msg: {
                            1: {
                              name: 'paths',
                              repeated: true,
                              type: { msg: { 1: { name: 'path', type: 'string' }, 2: { name: 'backend', type: { msg: INGRESS_BACKEND } }, 3: { name: 'pathType', type: 'string', ptr: true } } },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          4: { name: 'ingressClassName', type: 'string', ptr: true },
        },
      },
    },
    3: { name: 'status', type: { msg: LOAD_BALANCER_STATUS } },
  },
  'rbac.authorization.k8s.io/v1/Role': { 1: { name: 'metadata', type: { msg: OBJECT_META } }, 2: { name: 'rules', type: { msg: POLICY_RULE }, repeated: true } },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'rules', type: { msg: POLICY_RULE }, repeated: true },
    3: { name: 'aggregationRule', type: { msg: { 1: { name: 'clusterRoleSelectors', type: { msg: LABEL_SELECTOR }, repeated: true } } } },
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': ROLE_BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ROLE_BINDING,
  'v1/ResourceQuota': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'spec', type: { msg: { 1: { name: 'hard', type: { map: 'quantity' } }, 2: { name: 'scopes', type: 'string', repeated: true } } } },
    3: { name: 'status', type: { msg: EMPTY } },
  },
  'policy/v1/PodDisruptionBudget': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: {
      name: 'spec',
      type: {
        msg: {
          1: { name: 'minAvailable', type: 'intstr' },
          2: { name: 'selector', type: { msg: LABEL_SELECTOR } },
          3: { name: 'maxUnavailable', type: 'intstr' },
          4: { name: 'unhealthyPodEvictionPolicy', type: 'string', ptr: true },
        },
      },
    },
    3: {
      name: 'status',
      type: {
        msg: {
          3: { name: 'disruptionsAllowed', type: 'int', ptr: true },
          4: { name: 'currentHealthy', type: 'int', ptr: true },
          5: { name: 'desiredHealthy', type: 'int', ptr: true },
          6: { name: 'expectedPods', type: 'int', ptr: true },
        },
      },
    },
  },
  'scheduling.k8s.io/v1/PriorityClass': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'value', type: 'int', ptr: true },
    3: { name: 'globalDefault', type: 'bool' },
    4: { name: 'description', type: 'string' },
    5: { name: 'preemptionPolicy', type: 'string', ptr: true },
  },
  'v1/Namespace': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'spec', type: { msg: { 1: { name: 'finalizers', type: 'string', repeated: true } } } },
    3: { name: 'status', type: { msg: { 1: { name: 'phase', type: 'string' } } } },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', type: { msg: OBJECT_META } },
    3: { name: 'imagePullSecrets', type: { msg: { 1: { name: 'name', type: 'string' } } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('truncated');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`wire type ${wire}`);
  }
}

function fields(buf: Buffer, visit: (num: number, wire: number, r: Reader) => void): void {
  const r = new Reader(buf);
  while (r.pos < r.buf.length) {
    const tag = Number(r.varint());
    visit(tag >>> 3, tag & 7, r);
  }
}

/** A metav1.Time; the zero time (how gogo writes an unset one) is JSON's null, so it is left out. */
function decodeTime(buf: Buffer): string | undefined {
  let seconds = 0n;
  fields(buf, (num, wire, r) => {
    if (num === 1 && wire === 0) seconds = r.varint();
    else r.skip(wire);
  });
  if (seconds === 0n) return undefined;
  return formatMetav1Time(Number(seconds) * 1000);
}

/** intstr.IntOrString: type 0 holds intVal (field 2), type 1 strVal (field 3). */
function decodeIntOrString(buf: Buffer): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  fields(buf, (num, wire, r) => {
    if (num === 1 && wire === 0) type = r.varint();
    else if (num === 2 && wire === 0) intVal = Number(BigInt.asIntN(32, r.varint()));
    else if (num === 3 && wire === 2) strVal = r.bytes().toString('utf8');
    else r.skip(wire);
  });
  return type === 1n ? strVal : intVal;
}

class UnsupportedField extends Error {}

/** True when a length-delimited value is a message of only zero values (a Go struct left unset). */
function isZeroMessage(buf: Buffer): boolean {
  try {
    let zero = true;
    fields(buf, (_num, wire, r) => {
      if (wire === 0) zero &&= r.varint() === 0n;
      else if (wire === 2) {
        const b = r.bytes();
        zero &&= b.length === 0 || isZeroMessage(b);
      } else throw new Error('not zero');
    });
    return zero;
  } catch {
    return false;
  }
}

/** Skips a field the tables do not know when it holds only zero values (gogo writes every non-pointer field); fails otherwise. */
function skipEmpty(num: number, wire: number, r: Reader): void {
  if (wire === 0 ? r.varint() === 0n : wire === 2 ? isZeroMessage(r.bytes()) : false) return;
  throw new UnsupportedField(`field ${num}`);
}

function decodeMessage(buf: Buffer, schema: MessageSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields(buf, (num, wire, r) => {
    const f = schema[num];
    if (!f) return skipEmpty(num, wire, r);
    let value: unknown;
    const t = f.type;
    if (t === 'string') value = r.bytes().toString('utf8');
    else if (t === 'bytes') value = r.bytes().toString('base64');
    else if (t === 'int') value = Number(BigInt.asIntN(64, r.varint()));
    else if (t === 'bool') value = r.varint() !== 0n;
    else if (t === 'time') value = decodeTime(r.bytes());
    else if (t === 'intstr') value = decodeIntOrString(r.bytes());
    else if ('msg' in t) {
      value = decodeMessage(r.bytes(), t.msg);
      if (f.inline) {
        Object.assign(out, value);
        return;
      }
    } else {
      let k = '';
      let v: unknown = '';
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1) k = rr.bytes().toString('utf8');
        else if (n === 2 && t.map === 'quantity') {
          // resource.Quantity is a message holding its string form as field 1.
          fields(rr.bytes(), (qn, qw, qr) => {
            if (qn === 1) v = qr.bytes().toString('utf8');
            else qr.skip(qw);
          });
        } else if (n === 2) v = t.map === 'bytes' ? rr.bytes().toString('base64') : rr.bytes().toString('utf8');
        else rr.skip(w);
      });
      const m = (out[f.name] as Record<string, unknown> | undefined) ?? {};
      m[k] = v;
      out[f.name] = m;
      return;
    }
    if (value === undefined) return;
    if (f.repeated) {
      const list = (out[f.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[f.name] = list;
    } else if (f.ptr || (value !== '' && value !== 0 && value !== false)) out[f.name] = value;
    // Empty scalars are how gogo-protobuf writes unset non-pointer fields; JSON omits them.
  });
  return out;
}

/** The kinds whose protobuf bodies can be decoded, as `apiVersion Kind`, for the 415 message. */
export const PROTOBUF_KINDS: readonly string[] = Object.keys(KINDS).map((k) => {
  const slash = k.lastIndexOf('/');
  return `${k.slice(0, slash)} ${k.slice(slash + 1)}`;
});

/** Decodes an enveloped object, or undefined when malformed or of a kind not covered here. */
export function decodeKubeProtobuf(buf: Buffer): Record<string, unknown> | undefined {
  try {
    if (buf.length < 4 || buf.subarray(0, 4).toString('latin1') !== 'k8s\u0000') return undefined;
    let apiVersion = '';
    let kind = '';
    let raw: Buffer | undefined;
    fields(buf.subarray(4), (num, wire, r) => {
      if (num === 1 && wire === 2)
        fields(r.bytes(), (n, w, rr) => {
          if (n === 1) apiVersion = rr.bytes().toString('utf8');
          else if (n === 2) kind = rr.bytes().toString('utf8');
          else rr.skip(w);
        });
      else if (num === 2 && wire === 2) raw = r.bytes();
      else r.skip(wire);
    });
    const schema = KINDS[`${apiVersion}/${kind}`];
    if (!schema || !raw) return undefined;
    return { apiVersion, kind, ...decodeMessage(raw, schema) };
  } catch {
    return undefined;
  }
}
