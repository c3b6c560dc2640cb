/**
 * Decoding of the Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`) for the
 * few kinds kubectl's typed clients POST (`kubectl create namespace|configmap|secret|serviceaccount`,
 * `kubectl auth can-i|whoami`):
 * the `k8s\0` envelope holding a runtime.Unknown, then the object by hand-written field tables
 * taken from the upstream generated.proto files. Other kinds are not decodable (the caller answers
 * 415). Returns undefined on anything malformed; never throws.
 */

type FieldType = 'string' | 'int' | 'bool' | 'bytes' | 'time' | { msg: MessageSchema } | { map: 'string' | 'bytes' };
type MessageSchema = Record<number, { name: string; type: FieldType; repeated?: boolean }>;

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

function decodeTime(buf: Buffer): string {
  let seconds = 0n;
  fields(buf, (num, wire, r) => {
    if (num === 1 && wire === 0) seconds = r.varint();
    else r.skip(wire);
  });
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeMessage(buf: Buffer, schema: MessageSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  fields(buf, (num, wire, r) => {
    const f = schema[num];
    if (!f) return r.skip(wire);
    let value: unknown;
    const t = f.type;
    if (t === 'string') value = r.bytes().toString('utf8');
    else if (t === 'bytes') value = r.bytes().toString('base64');
    else if (t === 'int') value = Number(BigInt.asIntN(64, r.varint()));
    else if (t === 'bool') value = r.varint() !== 0n;
    else if (t === 'time') value = decodeTime(r.bytes());
    else if ('msg' in t) value = decodeMessage(r.bytes(), t.msg);
    else {
      let k = '';
      let v: unknown = '';
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1) k = rr.bytes().toString('utf8');
        else if (n === 2) v = t.map === 'bytes' ? rr.bytes().toString('base64') : rr.bytes().toString('utf8');
        else rr.skip(w);
      });
      const m = (out[f.name] as Record<string, unknown> | undefined) ?? {};
      m[k] = v;
      out[f.name] = m;
      return;
    }
    if (f.repeated) {
      const list = (out[f.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[f.name] = list;
    } else if (value !== '' && value !== 0 && value !== false) out[f.name] = value;
    // Empty scalars are how gogo-protobuf writes unset non-pointer fields; JSON omits them.
  });
  return out;
}

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
