/**
 * The API semantics over the object store, in the shape of kube-apiserver's generic registry:
 * create/update/patch/apply/delete with preconditions, the per-kind strategies (strategies/:
 * defaults, validation, immutable fields), generation, managedFields (Update and Apply), status and
 * scale subresources, finalizers and propagation policies (the collector itself is
 * garbage-collector.ts), namespace population and CRD objects (their served resources are
 * crd-serving.ts's). Failures are thrown as ApiError and answered by the HTTP layer; nothing here
 * knows HTTP.
 *
 * Invariants: nothing is persisted on dryRun; a write that changes nothing is not persisted (no new
 * resourceVersion, no event); generation moves only when something outside metadata and status
 * changes; an object with deletionTimestamp and no finalizers does not exist.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObject } from '../model/object-ref.js';
import type { StatusCause } from '../model/status.js';
import type { SimClock } from './controller-host.js';
import type { ApiCatalog, SimResource } from './api-catalog.js';
import { ObjectStore, meta, nameOf, namespaceOf } from './object-store.js';
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, invalid, notFound, pathNotFound, successStatus, unsupportedMediaType,
} from './api-status.js';
import { clone, cursor, deepEqual, isPlainObject, type SchemaCursor } from './schema-nav.js';
import { ServiceAllocator } from './allocator.js';
import { patchScale, requestedReplicas, setPath, toScale, type ScalePaths } from './scale.js';
import { GarbageCollector, servedResource } from './garbage-collector.js';
import { strategyFor } from './strategies/index.js';
import { subdomainName } from './strategies/names.js';
import { CRD_CLEANUP_FINALIZER } from './strategies/crd.js';
import { reviewAnswer } from './strategies/reviews.js';
import { convertThroughInternal } from './internal-conversion.js';
import { canonicalizeQuantities } from './quantity-canonical.js';
import { checkStructure, validateLabels } from './object-validation.js';
import { conflictMessage, formatFieldPath, serverSideApply, updateManagedFields, type ManagedFieldsEntry } from './managed-fields.js';
import { applyJsonPatch, applyMergePatch } from './json-patch.js';
import { applyStrategicMergePatch, PatchError } from './strategic-merge-patch.js';
import { acceptedCrdStatus } from './crd-registration.js';
import { CustomResourceServing } from './crd-serving.js';
import { groupVersionPath } from '../schema/types.js';
import { matchesFields, matchesLabels, type FieldRequirement, type LabelSelector } from './selectors.js';
import { formatMetav1Time as formatTime } from '../model/time.js';

type Obj = Record<string, unknown>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  fieldManager: string;
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Collected `Warning:` header texts. */
  warnings?: string[];
  subresource?: string;
}

export interface SimProblem {
  /** Field path as the server prints it: `spec.replicas`. */
  field: string;
  /** `FieldValueInvalid`, `FieldValueRequired`, `FieldValueForbidden`, ... */
  reason?: string;
  message: string;
  /**
   * How the server answers it: a validation failure (422 cause, the default), a failure of the
   * Go decoder (400 BadRequest), or an unknown field (handled per `fieldValidation`).
   */
  kind?: 'invalid' | 'decode' | 'unknown-field';
}

export interface WriteCheckContext {
  resource: SimResource;
  /** The stored object, on update. */
  old?: KubeObject;
  subresource?: string;
}

/** Validation of every write beyond the server's own (the core validator, wired in embedded.ts). */
export interface WriteValidator {
  /** Problems of the defaulted object about to be stored. */
  validate(obj: KubeObject, context: WriteCheckContext): SimProblem[];
  /** A CRD was stored or restored: its kinds must be validated with its schemas from now on. */
  crdStored?(crd: KubeObject): void;
  /**
   * Awaited before a write request of the resource is handled: what `validate` (synchronous)
   * needs and loads only on first use, such as the CEL engine for kinds with rules.
   */
  prepare?(resource: SimResource): Promise<void>;
}

export interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  gracePeriodSeconds?: number;
}

export interface RestStorageOptions {
  catalog: ApiCatalog;
  store: ObjectStore;
  clock: SimClock;
  validator?: WriteValidator;
  /** Fresh uids; injectable for reproducible tests. */
  uid?: () => string;
}

/** etcd's default `--max-request-bytes`. */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

const GENERATION_GROUPS = new Set(['apps', 'batch', 'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'policy', 'autoscaling']);
const GENERATION_CORE = new Set(['replicationcontrollers']);

/** apimachinery's rand.String alphabet: no vowels, no confusable characters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export { formatTime };

export class RestStorage {
  readonly catalog: ApiCatalog;
  readonly store: ObjectStore;
  readonly clock: SimClock;
  readonly #validator: WriteValidator | undefined;
  readonly #uid: () => string;
  /** Cluster IPs and node ports of Services. */
  readonly allocator: ServiceAllocator;
  readonly #gc: GarbageCollector;
  readonly #crds: CustomResourceServing;

  constructor(options: RestStorageOptions) {
    this.catalog = options.catalog;
    this.store = options.store;
    this.clock = options.clock;
    this.#validator = options.validator;
    this.#uid = options.uid ?? randomUUID;
    this.allocator = new ServiceAllocator(this.store);
    this.#crds = new CustomResourceServing(this.catalog, this.store);
    this.#gc = new GarbageCollector({
      catalog: this.catalog,
      store: this.store,
      delete: (res, namespace, name, options) => this.delete(res, namespace, name, options),
      updateAsController: (res, old, obj) => void this.#commit(res, old, obj, { fieldManager: 'kube-controller-manager', fieldValidation: 'Ignore' }, undefined),
      customResourcesOf: (crdName) => this.#crds.apisOf(crdName),
    });
  }

  // Reads -----------------------------------------------------------------------------------------

  /** Before a write request: lets the validator load what it needs on first use (see WriteValidator.prepare). */
  async prepareWrite(res: SimResource): Promise<void> {
    await this.#validator?.prepare?.(res);
  }

  schemaOf(res: SimResource): SchemaCursor | undefined {
    const doc = this.catalog.document(groupVersionPath(res));
    if (!doc || res.schemaName === undefined) return undefined;
    return cursor(doc, doc.components.schemas[res.schemaName]);
  }

  now(): string {
    return formatTime(this.clock.now());
  }

  get(res: SimResource, namespace: string, name: string): KubeObject {
    const obj = this.store.get(res.group, res.plural, res.namespaced ? namespace : '', name);
    if (!obj) throw notFound(res.group, res.plural, name);
    return this.#present(res, obj);
  }

  tryGet(res: SimResource, namespace: string, name: string): KubeObject | undefined {
    const obj = this.store.get(res.group, res.plural, res.namespaced ? namespace : '', name);
    return obj ? this.#present(res, obj) : undefined;
  }

  list(res: SimResource, namespace: string | undefined, labels?: LabelSelector, fields?: FieldRequirement[]): KubeObject[] {
    const all = this.store.list(res.group, res.plural, res.namespaced ? namespace : undefined);
    return all.filter((o) => (!labels || matchesLabels(labels, isPlainObject(o.metadata) ? (o.metadata.labels as Obj) : undefined)) && (!fields || matchesFields(fields, o))).map((o) => this.#present(res, o));
  }

  /** Objects are stored in the version that wrote them; readers see the version they asked for. */
  #present(res: SimResource, obj: KubeObject): KubeObject {
    const apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
    if (obj.apiVersion === apiVersion) return obj;
    return { ...obj, apiVersion };
  }

  // Writes ----------------------------------------------------------------------------------------

  create(res: SimResource, namespace: string, body: unknown, opts: WriteOptions): KubeObject {
    const obj = this.#decode(res, body);
    const review = reviewAnswer(res, obj);
    if (review) return review;
    const m = meta(obj);
    if (m.resourceVersion !== undefined && m.resourceVersion !== '') throw badRequest('resourceVersion should not be set on objects to be created');
    this.#checkNamespace(res, namespace, m, opts);
    if ((m.name === undefined || m.name === '') && typeof m.generateName === 'string' && m.generateName !== '')
      m.name = m.generateName + [...randomBytes(5)].map((b) => SAFE_ALPHABET[b % SAFE_ALPHABET.length]).join('');
    if (typeof m.name !== 'string' || m.name === '')
      throw invalid(res.group, res.kind, '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    if (this.store.get(res.group, res.plural, res.namespaced ? namespace : '', m.name)) throw alreadyExists(res.group, res.plural, m.name);
    return this.#commit(res, undefined, obj, opts, undefined);
  }

  update(res: SimResource, namespace: string, name: string, body: unknown, opts: WriteOptions): { object: KubeObject; created: boolean } {
    const obj = this.#decode(res, body);
    const m = meta(obj);
    if (m.name !== undefined && m.name !== name) throw badRequest(`the name of the object (${String(m.name)}) does not match the name on the URL (${name})`);
    m.name = name;
    this.#checkNamespace(res, namespace, m, opts, true);
    const old = this.store.get(res.group, res.plural, res.namespaced ? namespace : '', name);
    if (!old) {
      if (opts.subresource !== undefined || !res.custom) throw notFound(res.group, res.plural, name);
      if (m.resourceVersion !== undefined && m.resourceVersion !== '') throw notFound(res.group, res.plural, name);
      return { object: this.#commit(res, undefined, obj, opts, undefined), created: true };
    }
    if (m.resourceVersion === undefined || m.resourceVersion === '') {
      if (res.custom) throw invalid(res.group, res.kind, name, [{ reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' }]);
    }
    return { object: this.#commit(res, old, obj, opts, undefined), created: false };
  }

  patch(res: SimResource, namespace: string, name: string, contentType: string, body: unknown, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    const ns = res.namespaced ? namespace : '';
    const old = this.store.get(res.group, res.plural, ns, name);
    if (contentType === 'application/apply-patch+yaml') return this.#apply(res, namespace, name, old, body, opts);
    if (!old) throw notFound(res.group, res.plural, name);
    const base = clone(old);
    let patched: unknown;
    if (contentType === 'application/json-patch+json') {
      const r = applyJsonPatch(base, body);
      if ('error' in r) throw new ApiError(422, 'Invalid', r.error);
      patched = r.value;
    } else if (contentType === 'application/merge-patch+json') {
      if (!isPlainObject(body)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      patched = applyMergePatch(base, body);
    } else if (contentType === 'application/strategic-merge-patch+json') {
      if (res.custom) throw unsupportedMediaType(PATCH_TYPES.filter((t) => t !== contentType));
      try {
        patched = applyStrategicMergePatch(base, body, this.schemaOf(res));
      } catch (e) {
        if (e instanceof PatchError) throw badRequest(e.message);
        throw e;
      }
    } else throw unsupportedMediaType(PATCH_TYPES);
    if (!isPlainObject(patched)) throw badRequest('the patch produced a value that is not an object');
    // The stored RV is kept unless the patch set one itself (an optimistic-lock precondition).
    const pm = isPlainObject(patched.metadata) ? patched.metadata : {};
    const bm = isPlainObject(body) && isPlainObject(body.metadata) ? body.metadata : undefined;
    const rvInPatch =
      (bm !== undefined && bm.resourceVersion !== undefined) ||
      (Array.isArray(body) && body.some((op) => isPlainObject(op) && typeof op.path === 'string' && op.path.startsWith('/metadata/resourceVersion')));
    if (!rvInPatch) pm.resourceVersion = meta(old).resourceVersion;
    const explicitManagedFields = !deepEqual(pm.managedFields, meta(old).managedFields) ? (pm.managedFields as ManagedFieldsEntry[] | undefined) : undefined;
    return { object: this.#commit(res, old, patched, opts, explicitManagedFields), created: false };
  }

  #apply(res: SimResource, namespace: string, name: string, old: KubeObject | undefined, body: unknown, opts: WriteOptions & { force?: boolean }): { object: KubeObject; created: boolean } {
    if (!isPlainObject(body)) throw badRequest('error decoding YAML: the apply patch must be an object');
    if (opts.fieldManager === '' || opts.fieldManager === undefined) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    const apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
    if (body.apiVersion !== apiVersion)
      throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${String(body.apiVersion ?? '')}, expected: ${apiVersion}`);
    if (body.kind !== res.kind) throw badRequest(`Incorrect kind specified in apply patch. Specified patch kind: ${String(body.kind ?? '')}, expected: ${res.kind}`);
    const bm = isPlainObject(body.metadata) ? body.metadata : {};
    if (bm.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    if (bm.name !== undefined && bm.name !== name) throw badRequest(`the name of the object (${String(bm.name)}) does not match the name on the URL (${name})`);
    const schema = this.schemaOf(res);
    const applied = clone(body);
    const report = checkStructure(applied, schema);
    if (report.typeErrors.length > 0)
      throw badRequest(`failed to create typed patch object (${namespace ? namespace + '/' : ''}${name}; ${apiVersion}, Kind=${res.kind}): .${report.typeErrors[0]!.field}: expected ${report.typeErrors[0]!.expected}, got ${report.typeErrors[0]!.found}`);
    // Whatever fieldValidation says: kube-apiserver converts every apply patch into a typed value
    // of the schema, which fails on a field the schema does not declare (KEP-2885: for apply,
    // "server side schema validation already occurs and is not optional"). Its Strict only adds
    // a strict re-decode of the patch, which finds duplicate keys.
    if (report.unknownFields.length > 0)
      throw new ApiError(500, '', `failed to create typed patch object (${namespace ? namespace + '/' : ''}${name}; ${apiVersion}, Kind=${res.kind}): .${report.unknownFields[0]}: field not declared in schema`);
    const id = { manager: opts.fieldManager, apiVersion, time: this.now(), ...(opts.subresource ? { subresource: opts.subresource } : {}) };
    const live = old === undefined ? undefined : (clone(old) as Obj);
    if (live === undefined) {
      const m = meta(applied);
      m.name = name;
      if (res.namespaced) m.namespace = namespace;
    }
    const result = serverSideApply(live, applied, schema, id, opts.force === true);
    if (result.conflicts.length > 0) {
      throw new ApiError(409, 'Conflict', conflictMessage(result.conflicts), {
        causes: result.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: formatFieldPath(c.path) })),
      });
    }
    const merged = result.object;
    const mm = meta(merged);
    if (old === undefined) {
      this.#checkNamespace(res, namespace, mm, opts);
      delete mm.resourceVersion;
      return { object: this.#commit(res, undefined, merged, opts, result.managedFields), created: true };
    }
    mm.resourceVersion = bm.resourceVersion ?? meta(old).resourceVersion;
    return { object: this.#commit(res, old, merged, opts, result.managedFields), created: false };
  }

  #decode(res: SimResource, body: unknown): Obj {
    if (!isPlainObject(body)) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    const obj = clone(body);
    const apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
    if (obj.kind === undefined || obj.kind === '') obj.kind = res.kind;
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersion;
    if (obj.kind !== res.kind && !(obj.kind === 'Scale'))
      throw badRequest(`${String(obj.kind)} in version "${res.version}" cannot be handled as a ${res.kind}: no kind "${String(obj.kind)}" is registered for version "${apiVersion}" in scheme "k8s.io/apiextensions-apiserver/pkg/apiserver/apiserver.go:52"`);
    if (obj.apiVersion !== apiVersion) throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`);
    return obj;
  }

  #checkNamespace(res: SimResource, namespace: string, m: Obj, opts: WriteOptions, updating = false): void {
    if (!res.namespaced) {
      delete m.namespace;
      return;
    }
    if (m.namespace !== undefined && m.namespace !== '' && m.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    m.namespace = namespace;
    if (updating) return;
    const ns = this.store.get('', 'namespaces', '', namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    const phase = isPlainObject(ns.status) ? ns.status.phase : undefined;
    if (phase === 'Terminating' || (isPlainObject(ns.metadata) && ns.metadata.deletionTimestamp))
      throw forbidden(res.group, res.plural, String(m.name ?? ''), `unable to create new content in namespace ${namespace} because it is being terminated`);
    void opts;
  }

  /**
   * The common write path (numbered as in the registry's Create/Update):
   * 1. subresource scoping, 2. metadata carried over, 3. precondition, 4. structure and unknown
   * fields, then the internal version's conversion (Secret stringData into data), 5. defaults,
   * 6. validation, 7. generation, 8. managedFields, 9. no-op detection,
   * 10. persist (or not, on dryRun), 11. follow-ups (finalized deletion, CRDs, GC).
   */
  #commit(res: SimResource, old: KubeObject | undefined, input: Obj, opts: WriteOptions, managedFields: ManagedFieldsEntry[] | undefined): KubeObject {
    let obj = input;
    const hasStatusSub = res.subresources.includes('status');
    const name = nameOf(obj);
    // 1.
    if (opts.subresource === 'status' && old) {
      const status = obj.status;
      obj = clone(old);
      if (status === undefined) delete obj.status;
      else obj.status = status;
      meta(obj).resourceVersion = meta(input).resourceVersion;
      if (managedFields !== undefined) meta(obj).managedFields = managedFields;
    } else if (hasStatusSub && opts.subresource === undefined) {
      if (old) {
        if (old.status === undefined) delete obj.status;
        else obj.status = clone(old.status);
      } else if (!(res.group === '' && (res.plural === 'pods' || res.plural === 'namespaces'))) {
        // Built-in statuses are Go structs, so a fresh object shows `status: {}`; CRs have none.
        if (res.custom) delete obj.status;
        else obj.status = {};
      }
    }
    const strategy = strategyFor(res);
    if (!old && strategy.initialStatus) obj.status = strategy.initialStatus(obj);
    const m = meta(obj);
    // 2.
    if (old) {
      const om = meta(old);
      for (const k of ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace'] as const) {
        if (om[k] === undefined) delete m[k];
        else m[k] = om[k];
      }
      // 3.
      const rv = m.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== om.resourceVersion) throw conflict(res.group, res.plural, name);
      strategy.prepareForUpdate?.(old as Obj, obj);
    } else {
      m.uid = this.#uid();
      m.creationTimestamp = this.now();
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
      delete m.generation;
    }
    delete m.selfLink;
    // 4.
    const schema = this.schemaOf(res);
    const fv = opts.fieldValidation ?? 'Strict';
    const report = checkStructure(obj, schema);
    if (report.typeErrors.length > 0) {
      // CRs are validated against their schema (422); built-ins fail in the Go decoder (400).
      if (res.custom)
        throw invalid(res.group, res.kind, name, report.typeErrors.map((t) => ({ reason: 'FieldValueTypeInvalid', field: t.field, message: `Invalid value: "${t.found}": ${t.field} in body must be of type ${t.expected}: "${t.found}"` })));
      throw badRequest(`${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: ${report.typeErrors[0]!.message}`);
    }
    // Decoding parses every Quantity; encoding writes it back in canonical form (`1000m` → `1`).
    const badQuantity = canonicalizeQuantities(obj, schema)[0];
    if (badQuantity) throw badRequest(`${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: ${badQuantity.message}`);
    if (report.unknownFields.length > 0) {
      if (fv === 'Strict') throw badRequest(`${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: strict decoding error: ${report.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
      for (const f of report.unknownFields) {
        if (fv === 'Warn') opts.warnings?.push(`unknown field "${f}"`);
        deletePath(obj, f);
      }
    }
    convertThroughInternal(res.group, res.kind, obj);
    // 5.
    strategy.defaults?.(obj, { alloc: this.allocator, uid: String(m.uid ?? '') });
    // 6.
    const causes: StatusCause[] = [];
    if (!old) causes.push(...(strategy.validateName ?? subdomainName)(name));
    causes.push(...checkStructure(obj, schema).required.filter((c) => !c.field?.startsWith('status') || opts.subresource === 'status'));
    causes.push(...(strategy.validate?.(obj) ?? []));
    causes.push(...validateLabels(m.labels, 'metadata.labels'));
    if (old && strategy.validateUpdate) causes.push(...strategy.validateUpdate(old as Obj, obj));
    if (old && meta(old).deletionTimestamp !== undefined) {
      const before = new Set(Array.isArray(meta(old).finalizers) ? (meta(old).finalizers as string[]) : []);
      const added = (Array.isArray(m.finalizers) ? (m.finalizers as string[]) : []).filter((f) => !before.has(f));
      if (added.length > 0)
        causes.push({ reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` });
    }
    if (this.#validator) this.#extraProblems(res, obj, old, opts, causes);
    if (causes.length > 0) throw invalid(res.group, res.kind, name, causes);
    // 7.
    if (res.custom || GENERATION_GROUPS.has(res.group) || (res.group === '' && GENERATION_CORE.has(res.plural))) {
      if (!old) m.generation = 1;
      else {
        const strip = (x: Obj) => {
          const c = { ...x };
          delete c.metadata;
          if (hasStatusSub) delete c.status;
          return c;
        };
        const og = typeof meta(old).generation === 'number' ? (meta(old).generation as number) : 1;
        m.generation = deepEqual(strip(old as Obj), strip(obj)) ? og : og + 1;
      }
    }
    // 8.
    const apiVersion = res.group === '' ? res.version : `${res.group}/${res.version}`;
    if (managedFields !== undefined) m.managedFields = managedFields;
    else {
      const cleanOld = old === undefined ? undefined : (old as Obj);
      m.managedFields = updateManagedFields(cleanOld, obj, schema, {
        manager: opts.fieldManager,
        apiVersion,
        time: this.now(),
        ...(opts.subresource !== undefined ? { subresource: opts.subresource } : {}),
      });
    }
    if (Array.isArray(m.managedFields) && m.managedFields.length === 0) delete m.managedFields;
    // 9.
    if (old) {
      const a = withoutVolatile(old as Obj);
      const b = withoutVolatile(obj);
      if (deepEqual(a, b)) return this.#present(res, old);
    }
    // 10.
    if (opts.dryRun) {
      if (!old) delete m.resourceVersion;
      else m.resourceVersion = meta(old).resourceVersion;
      return this.#present(res, obj);
    }
    const finalizers = Array.isArray(m.finalizers) ? m.finalizers : [];
    if (old && m.deletionTimestamp !== undefined && finalizers.length === 0) {
      // Emptied finalizers on a deleting object: deleted without an intermediate MODIFIED, as upstream.
      this.store.remove(res.group, res.plural, namespaceOf(obj), name, obj);
      this.#afterWrite(res, obj, true);
      return this.#present(res, obj);
    }
    // etcd refuses values over its --max-request-bytes (1.5 MiB) and kube-apiserver passes that on
    // as a 500 with etcd's message and no reason. Measured on the JSON here (the API server stores
    // protobuf, a little smaller); dry runs never reach etcd.
    if (JSON.stringify(obj).length > ETCD_MAX_REQUEST_BYTES) throw new ApiError(500, '', 'etcdserver: request is too large');
    const stored = this.store.put(res.group, res.plural, obj, old ? 'MODIFIED' : 'ADDED');
    this.#afterWrite(res, stored, false);
    if (!old && res.group === '' && res.plural === 'namespaces') this.#populateNamespace(name);
    return this.#present(res, stored);
  }

  /**
   * The write validator's problems, answered as the server answers each kind of problem: a decoding
   * failure first (400), then unknown fields per `fieldValidation`, then 422 causes not already found.
   */
  #extraProblems(res: SimResource, obj: Obj, old: KubeObject | undefined, opts: WriteOptions, causes: StatusCause[]): void {
    const context: WriteCheckContext = { resource: res, ...(old ? { old } : {}), ...(opts.subresource !== undefined ? { subresource: opts.subresource } : {}) };
    const problems = this.#validator!.validate(obj, context);
    const decode = problems.find((p) => p.kind === 'decode');
    if (decode) throw badRequest(`${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: ${decode.message}`);
    const unknown = problems.filter((p) => p.kind === 'unknown-field');
    const fv = opts.fieldValidation ?? 'Strict';
    if (unknown.length > 0 && fv === 'Strict')
      throw badRequest(`${res.kind} in version "${res.version}" cannot be handled as a ${res.kind}: strict decoding error: ${unknown.map((p) => `unknown field "${p.field}"`).join(', ')}`);
    for (const p of unknown) {
      if (fv === 'Warn') opts.warnings?.push(`unknown field "${p.field}"`);
      deletePath(obj, p.field);
    }
    const seen = new Set(causes.map((c) => `${c.field ?? ''}\u0000${c.message}`));
    for (const p of problems) {
      if (p.kind === 'unknown-field' || seen.has(`${p.field}\u0000${p.message}`)) continue;
      seen.add(`${p.field}\u0000${p.message}`);
      causes.push({ reason: p.reason ?? 'FieldValueInvalid', message: p.message, field: p.field });
    }
  }

  /** What kube-controller-manager puts in every new namespace: the `default` ServiceAccount and the root CA ConfigMap. */
  #populateNamespace(namespace: string): void {
    const sa = this.catalog.resource('', 'v1', 'serviceaccounts');
    const cm = this.catalog.resource('', 'v1', 'configmaps');
    const opts = { fieldManager: 'kube-controller-manager', fieldValidation: 'Ignore' as const };
    if (sa && !this.store.get('', 'serviceaccounts', namespace, 'default'))
      this.create(sa, namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, opts);
    if (cm && !this.store.get('', 'configmaps', namespace, 'kube-root-ca.crt'))
      this.create(
        cm,
        namespace,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', namespace, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
          data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nkd-sim\n-----END CERTIFICATE-----\n' },
        },
        opts,
      );
  }

  /** After a state restore: serve the resources of the stored CRDs again. */
  reregisterCustomResources(): void {
    for (const crd of this.store.list('apiextensions.k8s.io', 'customresourcedefinitions')) this.#registerCrd(crd as Obj);
  }

  #afterWrite(res: SimResource, obj: KubeObject, deleted: boolean): void {
    if (res.group === 'apiextensions.k8s.io' && res.plural === 'customresourcedefinitions') {
      if (deleted) this.#crds.stop(nameOf(obj));
      else this.#registerCrd(obj as Obj);
    }
    // A pass scans every object, so it runs only when this write can give it work: something was
    // deleted (dependents may be orphaned), is being deleted (finalizers), or names owners (which
    // may be gone already). A plain write of an ownerless object cannot.
    const m = meta(obj);
    if (deleted || m.deletionTimestamp !== undefined || (Array.isArray(m.ownerReferences) && m.ownerReferences.length > 0)) this.scheduleGc();
    if (deleted && res.group === '' && ((res.plural === 'configmaps' && nameOf(obj) === 'kube-root-ca.crt') || (res.plural === 'serviceaccounts' && nameOf(obj) === 'default')))
      this.#republish(namespaceOf(obj));
  }

  /**
   * kube-controller-manager's root-CA publisher and service-account controller put a deleted
   * `kube-root-ca.crt` or `default` ServiceAccount straight back (so `kubectl delete cm --all`
   * leaves the root CA there), except in a namespace that is gone or terminating.
   */
  #republish(namespace: string): void {
    const ns = this.store.get('', 'namespaces', '', namespace);
    if (!ns || meta(ns).deletionTimestamp !== undefined || (isPlainObject(ns.status) && ns.status.phase === 'Terminating')) return;
    this.#populateNamespace(namespace);
  }

  // Deletion --------------------------------------------------------------------------------------

  delete(res: SimResource, namespace: string, name: string, options: DeleteOptions = {}): { status: number; body: KubeObject } {
    const ns = res.namespaced ? namespace : '';
    const old = this.store.get(res.group, res.plural, ns, name);
    if (!old) throw notFound(res.group, res.plural, name);
    const om = meta(old);
    const pre = options.preconditions ?? {};
    if (pre.uid !== undefined && pre.uid !== om.uid)
      throw conflict(res.group, res.plural, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(om.uid)}`);
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== om.resourceVersion)
      throw conflict(res.group, res.plural, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(om.resourceVersion)}`);
    let policy = options.propagationPolicy;
    if (policy === undefined && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
    if (policy === undefined) policy = strategyFor(res).defaultPropagation;
    if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy))
      throw invalid(res.group, res.kind, name, [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"` }]);
    const obj = clone(old) as Obj;
    const m = meta(obj);
    let finalizers = Array.isArray(m.finalizers) ? [...(m.finalizers as string[])] : [];
    if (m.deletionTimestamp === undefined) {
      if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
      if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
      if (policy === 'Background') finalizers = finalizers.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
      if (res.group === 'apiextensions.k8s.io' && res.plural === 'customresourcedefinitions' && !finalizers.includes(CRD_CLEANUP_FINALIZER))
        finalizers.push(CRD_CLEANUP_FINALIZER);
    }
    const isNamespace = res.group === '' && res.plural === 'namespaces';
    const nsFinalizers = isNamespace && isPlainObject(obj.spec) && Array.isArray(obj.spec.finalizers) ? obj.spec.finalizers : [];
    if (finalizers.length === 0 && nsFinalizers.length === 0) {
      if (options.dryRun) return { status: 200, body: successStatus({ name, group: res.group, kind: res.plural, uid: String(om.uid) }) };
      this.store.remove(res.group, res.plural, ns, name);
      this.#afterWrite(res, obj, true);
      return { status: 200, body: successStatus({ name, group: res.group, kind: res.plural, uid: String(om.uid) }) };
    }
    if (m.deletionTimestamp !== undefined) return { status: 200, body: this.#present(res, old) };
    m.deletionTimestamp = this.now();
    m.deletionGracePeriodSeconds = 0;
    if (finalizers.length > 0) m.finalizers = finalizers;
    if (isNamespace) obj.status = { ...(isPlainObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
    if (res.group === 'apiextensions.k8s.io' && res.plural === 'customresourcedefinitions') {
      const st = isPlainObject(obj.status) ? obj.status : {};
      const conds = (Array.isArray(st.conditions) ? st.conditions : []).filter((c) => !(isPlainObject(c) && c.type === 'Terminating'));
      conds.push({ type: 'Terminating', status: 'True', lastTransitionTime: this.now(), reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' });
      obj.status = { ...st, conditions: conds };
    }
    if (options.dryRun) return { status: 200, body: this.#present(res, obj) };
    const stored = this.store.put(res.group, res.plural, obj, 'MODIFIED');
    this.scheduleGc();
    return { status: 200, body: this.#present(res, stored) };
  }

  deleteCollection(res: SimResource, namespace: string | undefined, labels: LabelSelector | undefined, fields: FieldRequirement[] | undefined, options: DeleteOptions): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.list(res, namespace, labels, fields)) {
      const r = this.delete(res, namespaceOf(o), nameOf(o), options);
      out.push(r.body.kind === 'Status' ? o : r.body);
    }
    return out;
  }

  // Garbage collection --------------------------------------------------------------------------

  /** Runs a collector pass soon (once however many writes ask before it runs). */
  scheduleGc(): void {
    this.#gc.schedule();
  }

  /** One pass of the garbage collector and the namespace/CRD finalizers; repeats until settled. */
  runGc(): void {
    this.#gc.run();
  }

  #resourceFor(group: string, plural: string): SimResource | undefined {
    return servedResource(this.catalog, group, plural);
  }

  // CRD objects: served resources (crd-serving.ts), the Established condition --------------------

  #registerCrd(crd: Obj): void {
    const name = nameOf(crd);
    this.#validator?.crdStored?.(crd);
    const apis = this.#crds.serve(crd);
    const st = isPlainObject(crd.status) ? crd.status : {};
    const conds = Array.isArray(st.conditions) ? st.conditions : [];
    const established = conds.some((c) => isPlainObject(c) && c.type === 'Established' && c.status === 'True');
    if (!established && meta(crd).deletionTimestamp === undefined && apis.length > 0) {
      const crdRes = this.#resourceFor('apiextensions.k8s.io', 'customresourcedefinitions');
      if (crdRes)
        queueMicrotask(() => {
          const cur = this.store.get('apiextensions.k8s.io', 'customresourcedefinitions', '', name);
          if (!cur) return;
          const c = clone(cur) as Obj;
          c.status = acceptedCrdStatus(c, this.now());
          this.#commit(crdRes, cur, c, { fieldManager: 'kube-apiserver', fieldValidation: 'Ignore', subresource: 'status' }, undefined);
        });
    }
  }

  // Scale subresource ------------------------------------------------------------------------------

  /** The Scale of an object; 404 when its resource serves no scale. */
  getScale(res: SimResource, namespace: string, name: string): KubeObject {
    const paths = this.scalePaths(res);
    if (!paths) throw pathNotFound();
    return toScale(this.get(res, namespace, name), paths) as KubeObject;
  }

  /** PUT of a Scale: its replicas are written to the object (as an update of the scale subresource). */
  updateScale(res: SimResource, namespace: string, name: string, body: unknown, opts: WriteOptions): KubeObject {
    return this.#writeScale(res, namespace, name, () => body, opts);
  }

  /** PATCH of a Scale, with the patch type's own semantics applied to the Scale view (scale.ts). */
  patchScale(res: SimResource, namespace: string, name: string, contentType: string, body: unknown, opts: WriteOptions): KubeObject {
    const doc = this.catalog.document('apis/autoscaling/v1');
    const schema = doc?.components.schemas['io.k8s.api.autoscaling.v1.Scale'] ? cursor(doc, doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']) : undefined;
    return this.#writeScale(res, namespace, name, (scale) => patchScale(scale, contentType, body, schema, PATCH_TYPES), opts);
  }

  #writeScale(res: SimResource, namespace: string, name: string, next: (scale: Obj) => unknown, opts: WriteOptions): KubeObject {
    const paths = this.scalePaths(res);
    if (!paths) throw pathNotFound();
    const current = this.get(res, namespace, name);
    const { replicas, resourceVersion } = requestedReplicas(next(toScale(current, paths)), name);
    if (resourceVersion !== undefined && resourceVersion !== meta(current).resourceVersion) throw conflict(res.group, res.plural, name);
    const updated = clone(current) as Obj;
    setPath(updated, paths.spec, replicas);
    const out = this.update(res, namespace, name, updated, { ...opts, subresource: 'scale' });
    return toScale(out.object, paths) as KubeObject;
  }

  /** Scale subresource support of a resource: built-in paths, or the CRD's declared paths. */
  scalePaths(res: SimResource): ScalePaths | undefined {
    if (!res.subresources.includes('scale')) return undefined;
    if (res.custom) {
      const api = this.#crds.apiOf(res);
      if (!api?.scale) return undefined;
      const p = (s: string) => s.replace(/^\./, '').split('.');
      const out: ScalePaths = { spec: p(api.scale.specReplicasPath), status: p(api.scale.statusReplicasPath) };
      if (api.scale.labelSelectorPath) out.selector = p(api.scale.labelSelectorPath);
      return out;
    }
    return { spec: ['spec', 'replicas'], status: ['status', 'replicas'], selector: ['spec', 'selector'] };
  }
}

function deletePath(obj: Obj, fieldPath: string): void {
  const parts = fieldPath.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    cur = Array.isArray(cur) ? cur[Number(p)] : isPlainObject(cur) ? cur[p] : undefined;
  }
  const last = parts[parts.length - 1];
  if (isPlainObject(cur) && last !== undefined) delete cur[last];
}

function withoutVolatile(o: Obj): Obj {
  const c = clone(o);
  const m = meta(c);
  delete m.resourceVersion;
  if (Array.isArray(m.managedFields)) m.managedFields = m.managedFields.map((e) => (isPlainObject(e) ? { ...e, time: undefined } : e));
  return c;
}
