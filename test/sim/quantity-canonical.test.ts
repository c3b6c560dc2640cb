/**
 * Quantities as kube-apiserver stores them. The first part ports the tables of apimachinery's
 * quantity_test.go (TestQuantityParse, TestQuantityString, TestQuantityParseEmit,
 * TestJSONWhitespace and the invalid inputs), with the expectations of the 1.35 release; the
 * second checks the schema walk over the real 1.35 OpenAPI documents; the last writes through the
 * simulator's HTTP API and reads the canonical values back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QUANTITY_ERRORS, QUANTITY_SCHEMA, canonicalQuantity, canonicalizeQuantities, formatQuantity, parseQuantity, quantityString, type Quantity, type QuantityFormat,
} from '../../src/sim/quantity-canonical.js';
import { cursor } from '../../src/sim/schema-nav.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import type { SimHandle } from '../../src/sim/server.js';
import { SCHEMA_DIR, loadDoc } from './sim-support.js';
import type { OpenApiDocument } from '../../src/schema/types.js';
import { crdWithSpec, simJson, startValidatingSim, type Json } from '../support/validating-sim.js';


/** decQuantity(i, exponent, format) of the Go tests. */
const q = (mantissa: bigint | number, exponent: number, format: QuantityFormat): Quantity => ({ mantissa: BigInt(mantissa), exponent, format });

/** The exact value of a quantity as a normalised `mantissa e exponent`, to compare values. */
function exact(x: Quantity): string {
  let m = x.mantissa;
  let e = x.exponent;
  if (m === 0n) return '0';
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return `${m}e${e}`;
}

function parsed(text: string): Quantity {
  const r = parseQuantity(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.quantity;
}

const neg = (x: Quantity): Quantity => ({ ...x, mantissa: -x.mantissa });

describe('parseQuantity: the values and formats of TestQuantityParse', () => {
  const table: Array<[string, Quantity]> = [
    ['0', q(0, 0, 'DecimalSI')],
    ['0n', q(0, 0, 'DecimalSI')],
    ['0u', q(0, 0, 'DecimalSI')],
    ['0m', q(0, 0, 'DecimalSI')],
    ['0Ki', q(0, 0, 'BinarySI')],
    ['0k', q(0, 0, 'DecimalSI')],
    ['0Mi', q(0, 0, 'BinarySI')],
    ['0M', q(0, 0, 'DecimalSI')],
    ['0Gi', q(0, 0, 'BinarySI')],
    ['0G', q(0, 0, 'DecimalSI')],
    ['0Ti', q(0, 0, 'BinarySI')],
    ['0T', q(0, 0, 'DecimalSI')],
    // Quantity less numbers are allowed
    ['1', q(1, 0, 'DecimalSI')],
    // Binary suffixes
    ['1Ki', q(1024, 0, 'BinarySI')],
    ['8Ki', q(8 * 1024, 0, 'BinarySI')],
    ['7Mi', q(7 * 1024 * 1024, 0, 'BinarySI')],
    ['6Gi', q(6n * 1024n ** 3n, 0, 'BinarySI')],
    ['5Ti', q(5n * 1024n ** 4n, 0, 'BinarySI')],
    ['4Pi', q(4n * 1024n ** 5n, 0, 'BinarySI')],
    ['3Ei', q(3n * 1024n ** 6n, 0, 'BinarySI')],
    ['10Ti', q(10n * 1024n ** 4n, 0, 'BinarySI')],
    ['100Ti', q(100n * 1024n ** 4n, 0, 'BinarySI')],
    // Decimal suffixes
    ['5n', q(5, -9, 'DecimalSI')],
    ['4u', q(4, -6, 'DecimalSI')],
    ['3m', q(3, -3, 'DecimalSI')],
    ['9', q(9, 0, 'DecimalSI')],
    ['8k', q(8, 3, 'DecimalSI')],
    ['50k', q(5, 4, 'DecimalSI')],
    ['7M', q(7, 6, 'DecimalSI')],
    ['6G', q(6, 9, 'DecimalSI')],
    ['5T', q(5, 12, 'DecimalSI')],
    ['40T', q(4, 13, 'DecimalSI')],
    ['300T', q(3, 14, 'DecimalSI')],
    ['2P', q(2, 15, 'DecimalSI')],
    ['1E', q(1, 18, 'DecimalSI')],
    // Decimal exponents
    ['1E-3', q(1, -3, 'DecimalExponent')],
    ['1e3', q(1, 3, 'DecimalExponent')],
    ['1E6', q(1, 6, 'DecimalExponent')],
    ['1e9', q(1, 9, 'DecimalExponent')],
    ['1E12', q(1, 12, 'DecimalExponent')],
    ['1e15', q(1, 15, 'DecimalExponent')],
    ['1E18', q(1, 18, 'DecimalExponent')],
    // Nonstandard but still parsable
    ['1e14', q(1, 14, 'DecimalExponent')],
    ['1e13', q(1, 13, 'DecimalExponent')],
    ['100.035k', q(100035, 0, 'DecimalSI')],
    // Things that look like floating point
    ['0.001', q(1, -3, 'DecimalSI')],
    ['0.0005k', q(5, -1, 'DecimalSI')],
    ['0.005', q(5, -3, 'DecimalSI')],
    ['0.05', q(5, -2, 'DecimalSI')],
    ['0.5', q(5, -1, 'DecimalSI')],
    ['0.00050k', q(5, -1, 'DecimalSI')],
    ['0.00500', q(5, -3, 'DecimalSI')],
    ['0.05000', q(5, -2, 'DecimalSI')],
    ['0.50000', q(5, -1, 'DecimalSI')],
    ['0.5e0', q(5, -1, 'DecimalExponent')],
    ['0.5e-1', q(5, -2, 'DecimalExponent')],
    ['0.5e-2', q(5, -3, 'DecimalExponent')],
    ['10.035M', q(10035, 3, 'DecimalSI')],
    ['1.2e3', q(12, 2, 'DecimalExponent')],
    ['1.3E+6', q(13, 5, 'DecimalExponent')],
    ['1.40e9', q(14, 8, 'DecimalExponent')],
    ['1.53E12', q(153, 10, 'DecimalExponent')],
    ['1.6e15', q(16, 14, 'DecimalExponent')],
    ['1.7E18', q(17, 17, 'DecimalExponent')],
    ['9.01', q(901, -2, 'DecimalSI')],
    ['8.1k', q(81, 2, 'DecimalSI')],
    ['7.123456M', q(7123456, 0, 'DecimalSI')],
    ['6.987654321G', q(6987654321, 0, 'DecimalSI')],
    ['5.444T', q(5444, 9, 'DecimalSI')],
    ['40.1T', q(401, 11, 'DecimalSI')],
    ['300.2T', q(3002, 11, 'DecimalSI')],
    ['2.5P', q(25, 14, 'DecimalSI')],
    ['1.01E', q(101, 16, 'DecimalSI')],
    // Things that saturate/round
    ['3.001n', q(4, -9, 'DecimalSI')],
    ['1.1E-9', q(2, -9, 'DecimalExponent')],
    ['0.0000000001', q(1, -9, 'DecimalSI')],
    ['0.0000000005', q(1, -9, 'DecimalSI')],
    ['0.00000000050', q(1, -9, 'DecimalSI')],
    ['0.5e-9', q(1, -9, 'DecimalExponent')],
    ['0.9n', q(1, -9, 'DecimalSI')],
    ['0.00000012345', q(124, -9, 'DecimalSI')],
    ['0.00000012354', q(124, -9, 'DecimalSI')],
    ['9Ei', q((1n << 63n) - 1n, 0, 'BinarySI')],
    ['9223372036854775807Ki', q((1n << 63n) - 1n, 0, 'BinarySI')],
    ['12E', q(12, 18, 'DecimalSI')],
    // We'll accept fractional binary stuff, too.
    ['100.035Ki', q(10243584, -2, 'BinarySI')],
    ['0.5Mi', q(0.5 * 1024 * 1024, 0, 'BinarySI')],
    ['0.05Gi', q(536870912, -1, 'BinarySI')],
    ['0.025Ti', q(274877906944, -1, 'BinarySI')],
    // Things written by trolls
    ['0.000000000001Ki', q(2, -9, 'DecimalSI')], // rounds up, changes format
    ['.001', q(1, -3, 'DecimalSI')],
    ['.0001k', q(100, -3, 'DecimalSI')],
    ['1.', q(1, 0, 'DecimalSI')],
    ['1.G', q(1, 9, 'DecimalSI')],
  ];

  it.each(table)('%s', (input, want) => {
    const got = parsed(input);
    expect(exact(got)).toBe(exact(want));
    expect(got.format).toBe(want.format);
  });

  it.each(table)('-%s is the negative, in the same format', (input, want) => {
    const got = parsed(`-${input}`);
    expect(exact(got)).toBe(exact(neg(want)));
    expect(got.format).toBe(want.format);
  });

  it.each(table)('+%s is the same value', (input, want) => {
    const got = parsed(`+${input}`);
    expect(exact(got)).toBe(exact(want));
    expect(got.format).toBe(want.format);
  });

  it.each([
    ['', QUANTITY_ERRORS.format],
    ['1.1.M', QUANTITY_ERRORS.format],
    ['1+1.0M', QUANTITY_ERRORS.format],
    ['0.1mi', QUANTITY_ERRORS.suffix],
    ['0.1am', QUANTITY_ERRORS.format],
    ['aoeu', QUANTITY_ERRORS.format],
    ['.5i', QUANTITY_ERRORS.suffix],
    ['1i', QUANTITY_ERRORS.suffix],
    ['-3.01i', QUANTITY_ERRORS.suffix],
    ['-3.01e-', QUANTITY_ERRORS.suffix],
    ['Non-Numeric', QUANTITY_ERRORS.format],
    [' 1', QUANTITY_ERRORS.format],
    ['1 ', QUANTITY_ERRORS.format],
    ['1e9223372036854775808', QUANTITY_ERRORS.suffix],
  ])('refuses %j: %s', (input, error) => {
    expect(parseQuantity(input)).toEqual({ ok: false, error });
  });
});

describe('formatQuantity: the canonical forms of TestQuantityString', () => {
  // [quantity, canonical text, an alternate spelling that parses to the same canonical text]
  const table: Array<[Quantity, string, string]> = [
    [q(1024 * 1024 * 1024, 0, 'BinarySI'), '1Gi', '1024Mi'],
    [q(300 * 1024 * 1024, 0, 'BinarySI'), '300Mi', '307200Ki'],
    [q(6 * 1024, 0, 'BinarySI'), '6Ki', ''],
    [q(1001n * 1024n ** 3n, 0, 'BinarySI'), '1001Gi', '1025024Mi'],
    [q(1024n ** 4n, 0, 'BinarySI'), '1Ti', '1024Gi'],
    [q(5, 0, 'BinarySI'), '5', '5000m'],
    [q(500, -3, 'BinarySI'), '500m', '0.5'],
    [q(1, 9, 'DecimalSI'), '1G', '1000M'],
    [q(1000, 6, 'DecimalSI'), '1G', '0.001T'],
    [q(1000000, 3, 'DecimalSI'), '1G', ''],
    [q(1000000000, 0, 'DecimalSI'), '1G', ''],
    [q(1, -3, 'DecimalSI'), '1m', '1000u'],
    [q(80, -3, 'DecimalSI'), '80m', ''],
    [q(1080, -3, 'DecimalSI'), '1080m', '1.08'],
    [q(108, -2, 'DecimalSI'), '1080m', '1080000000n'],
    [q(10800, -4, 'DecimalSI'), '1080m', ''],
    [q(300, 6, 'DecimalSI'), '300M', ''],
    [q(1, 12, 'DecimalSI'), '1T', ''],
    [q(1, 18, 'DecimalSI'), '1E', ''],
    [q(1234567, 6, 'DecimalSI'), '1234567M', ''],
    [q(1234567, -3, 'BinarySI'), '1234567m', ''],
    [q(3, 3, 'DecimalSI'), '3k', ''],
    [q(1025, 0, 'BinarySI'), '1025', ''],
    [q(0, 0, 'DecimalSI'), '0', ''],
    [q(0, 0, 'BinarySI'), '0', ''],
    [q(1, 9, 'DecimalExponent'), '1e9', '.001e12'],
    [q(1, -3, 'DecimalExponent'), '1e-3', '0.001e0'],
    [q(1, -9, 'DecimalExponent'), '1e-9', '1000e-12'],
    [q(80, -3, 'DecimalExponent'), '80e-3', ''],
    [q(300, 6, 'DecimalExponent'), '300e6', ''],
    [q(1, 12, 'DecimalExponent'), '1e12', ''],
    [q(1, 3, 'DecimalExponent'), '1e3', ''],
    [q(3, 3, 'DecimalExponent'), '3e3', ''],
    [q(0, 0, 'DecimalExponent'), '0', '00'],
    [q(1, -9, 'DecimalSI'), '1n', ''],
    [q(80, -9, 'DecimalSI'), '80n', ''],
    [q(1080, -9, 'DecimalSI'), '1080n', ''],
    [q(108, -8, 'DecimalSI'), '1080n', ''],
    [q(10800, -10, 'DecimalSI'), '1080n', ''],
    [q(1, -6, 'DecimalSI'), '1u', ''],
    [q(80, -6, 'DecimalSI'), '80u', ''],
    [q(1080, -6, 'DecimalSI'), '1080u', ''],
  ];

  it.each(table)('%o prints as %s; parsing that keeps the text; %j is rewritten to it', (quantity, canonical, alternate) => {
    expect(formatQuantity(quantity)).toBe(canonical);
    expect(parsed(canonical).text).toBe(canonical);
    if (alternate !== '') {
      const alt = parsed(alternate);
      expect(alt.text).toBeUndefined();
      expect(quantityString(alt)).toBe(canonical);
    }
    if (quantity.mantissa !== 0n) expect(formatQuantity(neg(quantity))).toBe(`-${canonical}`);
  });

  it('negation keeps the format: -9.01 is -9010m (TestQuantityNeg)', () => {
    expect(formatQuantity(q(-901, -2, 'DecimalSI'))).toBe('-9010m');
  });

  it('beyond E a DecimalSI value loses its suffix, as in the 1.35 release (upstream later prints 1e21)', () => {
    expect(formatQuantity(q(1, 21, 'DecimalSI'))).toBe('1');
    expect(formatQuantity(q(5, 21, 'DecimalSI'))).toBe('5');
    expect(canonicalQuantity('1000E')).toEqual({ ok: true, value: '1' });
    expect(canonicalQuantity('100E')).toEqual({ ok: true, value: '100E' });
  });
});

describe('parse then print (TestQuantityParseEmit and the canonical examples)', () => {
  const table: Array<[string, string]> = [
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    // the forms a Deployment's resources are usually written in
    ['1000m', '1'],
    ['1024Mi', '1Gi'],
    ['100M', '100M'],
    ['1.5Gi', '1536Mi'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['0.5Gi', '512Mi'],
    ['1000Mi', '1000Mi'],
    ['250m', '250m'],
    ['2000Mi', '2000Mi'],
    ['2048Mi', '2Gi'],
    ['1000', '1k'],
    ['12000000', '12M'],
    ['0.1m', '100u'],
    ['0.5Ki', '512'],
    ['1.0Ki', '1Ki'],
    ['1.5Ki', '1536'],
    ['8Ei', '9223372036854775807'],
  ];

  it.each(table)('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toEqual({ ok: true, value: want });
  });

  it.each(table)('-%s → -%s', (input, want) => {
    expect(canonicalQuantity(`-${input}`)).toEqual({ ok: true, value: `-${want}` });
  });

  it.each([
    // Upstream's int64 fast path keeps a text it finds canonical, byte for byte.
    ['12e6', '12e6'],
    ['1e3', '1e3'],
    ['+1', '+1'],
    ['01', '01'],
    ['1.500', '1.500'],
    ['-1', '-1'],
    ['1025Ki', '1025Ki'],
    // ...and rewrites everything else.
    ['1.0', '1'],
    ['1000e-3', '1'],
    ['1.5e3', '1500'],
    ['-0', '0'],
    ['0.000', '0'],
    ['.', '0'],
    ['0Gi', '0'],
  ])('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toEqual({ ok: true, value: want });
  });

  it('reads JSON numbers and trims whitespace in strings (TestJSONWhitespace)', () => {
    expect(canonicalQuantity(' 1')).toEqual({ ok: true, value: '1' });
    expect(canonicalQuantity('1 ')).toEqual({ ok: true, value: '1' });
    expect(canonicalQuantity(1)).toEqual({ ok: true, value: '1' });
    expect(canonicalQuantity(10)).toEqual({ ok: true, value: '10' });
    expect(canonicalQuantity(-1)).toEqual({ ok: true, value: '-1' });
    expect(canonicalQuantity(0.5)).toEqual({ ok: true, value: '500m' });
    expect(canonicalQuantity(1e3)).toEqual({ ok: true, value: '1k' });
    expect(canonicalQuantity(12e6)).toEqual({ ok: true, value: '12M' });
    expect(canonicalQuantity(0)).toEqual({ ok: true, value: '0' });
  });

  it('answers an unparsable value with the API server error text', () => {
    expect(canonicalQuantity('lots')).toEqual({ ok: false, error: QUANTITY_ERRORS.format });
    expect(canonicalQuantity('1Ti1')).toEqual({ ok: false, error: QUANTITY_ERRORS.suffix });
  });
});

describe('canonicalizeQuantities walks the schema', () => {
  const schemaOf = (gv: string, name: string) => {
    const doc = loadDoc(gv);
    return cursor(doc, doc.components.schemas[name]);
  };

  it('rewrites container resources in a Deployment template and leaves other strings alone', () => {
    const d: Json = {
      metadata: { name: '1000m', labels: { cpu: '1000m' } },
      spec: {
        strategy: { rollingUpdate: { maxSurge: '1000m' } },
        template: {
          spec: {
            containers: [{ name: 'web', image: 'x', args: ['1000m'], resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: 2, memory: '1.5Gi' } } }],
            initContainers: [{ name: 'init', image: 'x', resources: { limits: { 'ephemeral-storage': '2048Mi' } } }],
            overhead: { cpu: '0.25' },
            volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1000Mi' } }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '0.5Gi' } }],
          },
        },
      },
    };
    expect(canonicalizeQuantities(d, schemaOf('apps/v1', 'io.k8s.api.apps.v1.Deployment'))).toEqual([]);
    expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1536Mi' } });
    expect(d.spec.template.spec.initContainers[0].resources.limits['ephemeral-storage']).toBe('2Gi');
    expect(d.spec.template.spec.overhead.cpu).toBe('250m');
    expect(d.spec.template.spec.volumes.map((v: Json) => v.emptyDir.sizeLimit)).toEqual(['1000Mi', '512Mi']);
    expect(d.metadata).toEqual({ name: '1000m', labels: { cpu: '1000m' } });
    expect(d.spec.strategy.rollingUpdate.maxSurge).toBe('1000m');
    expect(d.spec.template.spec.containers[0].args).toEqual(['1000m']);
  });

  it('rewrites ResourceQuota hard, LimitRange limits, PVC requests and Node capacity', () => {
    const quota: Json = { spec: { hard: { 'requests.cpu': '4000m', 'requests.memory': '8192Mi', pods: '10', 'count/deployments.apps': 1e3 } } };
    expect(canonicalizeQuantities(quota, schemaOf('v1', 'io.k8s.api.core.v1.ResourceQuota'))).toEqual([]);
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '10', 'count/deployments.apps': '1k' });

    const limits: Json = { spec: { limits: [{ type: 'Container', default: { cpu: '0.5' }, defaultRequest: { memory: '256Mi' }, max: { cpu: '2000m' }, min: { memory: '0.125Gi' }, maxLimitRequestRatio: { cpu: 2 } }] } };
    expect(canonicalizeQuantities(limits, schemaOf('v1', 'io.k8s.api.core.v1.LimitRange'))).toEqual([]);
    expect(limits.spec.limits[0]).toEqual({ type: 'Container', default: { cpu: '500m' }, defaultRequest: { memory: '256Mi' }, max: { cpu: '2' }, min: { memory: '128Mi' }, maxLimitRequestRatio: { cpu: '2' } });

    const pvc: Json = { spec: { resources: { requests: { storage: '1024Mi' } } }, status: { capacity: { storage: '1.0Gi' } } };
    expect(canonicalizeQuantities(pvc, schemaOf('v1', 'io.k8s.api.core.v1.PersistentVolumeClaim'))).toEqual([]);
    expect(pvc.spec.resources.requests.storage).toBe('1Gi');
    expect(pvc.status.capacity.storage).toBe('1Gi');

    const node: Json = { status: { capacity: { cpu: '4000m', memory: '16384Mi', pods: '110' }, allocatable: { cpu: '3.5' } } };
    expect(canonicalizeQuantities(node, schemaOf('v1', 'io.k8s.api.core.v1.Node'))).toEqual([]);
    expect(node.status).toEqual({ capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '3500m' } });
  });

  it('reports each unparsable quantity with its field path and leaves it as written', () => {
    const pod: Json = { spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: 'one', memory: '1Gi' }, limits: { memory: '2mi' } } }] } };
    expect(canonicalizeQuantities(pod, schemaOf('v1', 'io.k8s.api.core.v1.Pod'))).toEqual([
      { field: 'spec.containers[0].resources.requests.cpu', message: QUANTITY_ERRORS.format },
      { field: 'spec.containers[0].resources.limits.memory', message: QUANTITY_ERRORS.suffix },
    ]);
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: 'one', memory: '1Gi' });
  });

  it('finds the Quantity schema by $ref', () => {
    const doc = loadDoc('v1');
    expect(doc.components.schemas[QUANTITY_SCHEMA]).toBeDefined();
  });

  it('leaves a schema without Quantity references (a custom resource) untouched', () => {
    const doc: OpenApiDocument = { paths: {}, components: { schemas: { Widget: { type: 'object', properties: { spec: { type: 'object', properties: { cpu: { 'x-kubernetes-int-or-string': true }, size: { type: 'string' } } } } } } } };
    const w: Json = { spec: { cpu: '1000m', size: '1024Mi' } };
    expect(canonicalizeQuantities(w, cursor(doc, doc.components.schemas.Widget))).toEqual([]);
    expect(w).toEqual({ spec: { cpu: '1000m', size: '1024Mi' } });
  });
});

describe('the simulator stores quantities in canonical form', () => {
  let sim: SimHandle;
  const source = new SchemaDirSource(SCHEMA_DIR);
  const NS = 'quantities';

  const call = (method: string, p: string, body?: unknown, contentType?: string) => simJson(sim, method, p, body, contentType);

  const deployment = (name: string, resources: Json) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources }] } },
    },
  });
  const deployments = `/apis/apps/v1/namespaces/${NS}/deployments`;

  beforeAll(async () => {
    sim = await startValidatingSim(source);
    expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('on create, and the stored object reads back the same', async () => {
    const r = await call('POST', deployments, deployment('web', { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: 1.5, memory: '1.5Gi' } }));
    expect(r.status).toBe(201);
    const want = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1500m', memory: '1536Mi' } };
    expect(r.json.spec.template.spec.containers[0].resources).toEqual(want);
    expect((await call('GET', `${deployments}/web`)).json.spec.template.spec.containers[0].resources).toEqual(want);
  });

  it('server-side apply of the written form twice is a no-op the second time', async () => {
    const body = deployment('applied', { requests: { cpu: '500m', memory: '0.5Gi' } });
    const ssa = () => call('PATCH', `${deployments}/applied?fieldManager=kubectl-kd&force=true`, body, 'application/apply-patch+yaml');
    const first = await ssa();
    expect(first.status).toBe(201);
    expect(first.json.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: '500m', memory: '512Mi' });
    const second = await ssa();
    expect(second.status).toBe(200);
    expect(second.json.metadata.resourceVersion).toBe(first.json.metadata.resourceVersion);
  });

  it('in a dry run, on merge patches and in ResourceQuota and PVC objects', async () => {
    const dry = await call('POST', `${deployments}?dryRun=All`, deployment('dry', { limits: { memory: '2048Mi' } }));
    expect(dry.status).toBe(201);
    expect(dry.json.spec.template.spec.containers[0].resources.limits.memory).toBe('2Gi');

    const patched = await call('PATCH', `${deployments}/web`, { spec: { template: { spec: { containers: [{ name: 'web', resources: { limits: { cpu: '3000m' } } }] } } } }, 'application/strategic-merge-patch+json');
    expect(patched.status).toBe(200);
    expect(patched.json.spec.template.spec.containers[0].resources.limits.cpu).toBe('3');

    const quota = await call('POST', `/api/v1/namespaces/${NS}/resourcequotas`, { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { cpu: '10000m', memory: 12e9 } } });
    expect(quota.status).toBe(201);
    expect(quota.json.spec.hard).toEqual({ cpu: '10', memory: '12G' });

    const pvc = await call('POST', `/api/v1/namespaces/${NS}/persistentvolumeclaims`, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } },
    });
    expect(pvc.status).toBe(201);
    expect(pvc.json.spec.resources.requests.storage).toBe('1Gi');
  });

  it('refuses an unparsable quantity with 400, as decoding does', async () => {
    const r = await call('POST', deployments, deployment('bad', { requests: { cpu: 'lots' } }));
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(`Deployment in version "v1" cannot be handled as a Deployment: ${QUANTITY_ERRORS.format}`);
  });

  it('leaves int-or-string fields of a custom resource as written', async () => {
    const crd = crdWithSpec('example.com', 'Widget', { cpu: { 'x-kubernetes-int-or-string': true }, memory: { type: 'string' } });
    expect((await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    const w = await call('POST', `/apis/example.com/v1/namespaces/${NS}/widgets`, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { cpu: '1000m', memory: '1024Mi' } });
    expect(w.status).toBe(201);
    expect(w.json.spec).toEqual({ cpu: '1000m', memory: '1024Mi' });
  });
});
