/**
 * Run notifications (issue 14). End to end: `runCli` in-process with `--sim` and `--notify` to an
 * HTTP listener on loopback, which receives one JSON document per run — checked against
 * schemas/run-notification.schema.json, and for Secret values. Delivery rules (timeout, 3 tries
 * with backoff, warnings, Slack form) on an injected sender and sleep.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../plugin/cli.js';
import type { CommandContext } from '../../plugin/context.js';
import { startReleaseSim } from '../release/support.js';
import { NotificationBuilder, deliverNotification, type ApplyEvent, type NotificationSender, type RunNotification } from '../../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET_VALUE = 'hunter2-do-not-leak';

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

let server: Server;
let url: string;
const received: Received[] = [];
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kd-notify-'));
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'], body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function kd(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const ctx: CommandContext = { stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1', HOME: dir, ...env }, cwd: dir, signal: new AbortController().signal, version: '0.1.0' };
  const code = await runCli(args, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'run-notification.schema.json'), 'utf8')));
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const SECRET_YAML = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${SECRET_VALUE}\n`;
const CRASHING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: crashy
spec:
  replicas: 1
  selector:
    matchLabels: { app: crashy }
  template:
    metadata:
      labels: { app: crashy }
      annotations:
        sim.kd.io/fail: crashloop
    spec:
      containers:
        - name: app
          image: example/app:1
`;

describe('--notify against a loopback listener', () => {
  it('POSTs one document for a succeeded run and one for a failed run naming CrashLoopBackOff, never a Secret value', async () => {
    const validate = validator();
    received.length = 0;
    const ok = await kd(['apply', '--sim', '-n', 'shop', file('ok.yaml', SECRET_YAML), '--release', 'shop', '--notify', `${url}/hooks/ok`]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/hooks/ok');
    expect(received[0]!.contentType).toBe('application/json');
    const success = JSON.parse(received[0]!.body) as RunNotification;
    expect(validate(success), JSON.stringify(validate.errors)).toBe(true);
    expect(success).toMatchObject({ apiVersion: 'kd.io/v1', kind: 'RunNotification', release: 'shop', namespace: 'shop', context: 'kd-sim', revision: 1, operation: 'apply', status: 'succeeded' });
    expect(success.counts.applied).toBe(1);
    expect(success.failure).toBeUndefined();
    expect(Date.parse(success.finishedAt) - Date.parse(success.startedAt)).toBe(success.durationMs);

    received.length = 0;
    const failed = await kd(['apply', '--sim', '-n', 'shop', file('bad.yaml', SECRET_YAML + '---\n' + CRASHING), '--release', 'shop', '--timeout', '2m'], { KD_NOTIFY: `${url}/a, ${url}/b` });
    expect(failed.code).toBe(1);
    // KD_NOTIFY: two URLs, one document each.
    expect(received.map((r) => r.path).sort()).toEqual(['/a', '/b']);
    expect(received[0]!.body).toBe(received[1]!.body);
    const failure = JSON.parse(received[0]!.body) as RunNotification;
    expect(validate(failure), JSON.stringify(validate.errors)).toBe(true);
    expect(failure).toMatchObject({ status: 'failed', operation: 'apply', failure: { kind: 'health' } });
    expect(failure.failure!.objects).toEqual([expect.objectContaining({ object: 'Deployment shop/crashy', reason: 'CrashLoopBackOff' })]);
    for (const r of received) {
      expect(r.body).not.toContain(SECRET_VALUE);
      expect(r.body).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    }
  }, 120_000);

  it('tells an interrupted run as interrupted, exit 130', async () => {
    received.length = 0;
    const slow = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: slow\nspec:\n  replicas: 1\n  selector:\n    matchLabels: { app: slow }\n  template:\n    metadata:\n      labels: { app: slow }\n      annotations:\n        sim.kd.io/ready-after: 10h\n    spec:\n      containers:\n        - name: app\n          image: example/app:1\n`;
    const stop = new AbortController();
    const stdout = new Sink();
    const ctx: CommandContext = { stdout, stderr: new Sink(), stdin: Readable.from([]), env: { NO_COLOR: '1', HOME: dir }, cwd: dir, signal: stop.signal, version: '0.1.0' };
    const running = runCli(['apply', '--sim', '-n', 'slow', file('slow.yaml', slow), '--release', 'slow', '--notify', url], ctx);
    for (let i = 0; i < 200 && !stdout.text.includes('slow'); i++) await new Promise((r) => setTimeout(r, 25));
    stop.abort();
    expect(await running).toBe(130);
    expect(received).toHaveLength(1);
    const doc = JSON.parse(received[0]!.body) as RunNotification;
    expect(validator()(doc)).toBe(true);
    expect(doc).toMatchObject({ status: 'interrupted', failure: { kind: 'interrupted' } });
  }, 60_000);

  it('sends Slack\'s {"text"} form with --notify-format slack', async () => {
    received.length = 0;
    const r = await kd(['apply', '--sim', '-n', 'chat', file('chat.yaml', SECRET_YAML), '--release', 'chat', '--notify', url, '--notify-format', 'slack']);
    expect(r.code).toBe(0);
    expect(received).toHaveLength(1);
    const body = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['text']);
    expect(body['text']).toMatch(/kd apply of release \*chat\* in chat \(kd-sim\) revision 1: \*succeeded\*/);
  }, 60_000);

  it('warns when nobody listens and keeps the exit code; refuses a URL that is not http(s)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await kd(['apply', '--sim', '-n', 'lost', file('lost.yaml', SECRET_YAML), '--release', 'lost', '--notify', `http://127.0.0.1:${port}/secret-token-path`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: the notification to http://127.0.0.1:${port} was not delivered`);
    expect(r.stderr).not.toContain('secret-token-path');
    const bad = await kd(['apply', '--sim', file('x.yaml', SECRET_YAML), '--notify', 'ftp://example.com/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an http or https URL');
  }, 60_000);
});

describe('--notify on rollback and delete', () => {
  it('tells each run with its operation, the delete with its deleted count', async () => {
    const rs = await startReleaseSim();
    try {
      const ns = await rs.namespace('notify');
      const validate = validator();
      const cm = (v: string) => file(`cm-${v}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: "${v}"\n`);
      const k = (args: string[]) => kd([...args, '-n', ns, '--kubeconfig', rs.kubeconfigPath, '--notify', url]);
      received.length = 0;
      expect((await k(['apply', cm('one'), '--release', 'app'])).code).toBe(0);
      expect((await k(['apply', cm('two'), '--release', 'app'])).code).toBe(0);
      expect((await k(['rollback', 'app'])).code).toBe(0);
      expect((await k(['delete', 'app'])).code).toBe(0);
      const docs = received.map((r) => JSON.parse(r.body) as RunNotification);
      for (const d of docs) expect(validate(d), JSON.stringify(validate.errors)).toBe(true);
      expect(docs.map((d) => [d.operation, d.status, d.revision])).toEqual([
        ['apply', 'succeeded', 1],
        ['apply', 'succeeded', 2],
        ['rollback', 'succeeded', 3],
        ['delete', 'succeeded', null],
      ]);
      expect(docs[3]!.counts.deleted).toBe(1);
    } finally {
      await rs.stop();
    }
  }, 60_000);
});

describe('--notify with apply --watch', () => {
  it('sends one document per revision', async () => {
    received.length = 0;
    const watched = path.join(dir, 'watched');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(watched);
    const cm = (v: string) => writeFileSync(path.join(watched, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: live\ndata:\n  mode: "${v}"\n`);
    cm('one');
    const stop = new AbortController();
    const stdout = new Sink();
    const stderr = new Sink();
    const ctx: CommandContext = { stdout, stderr, stdin: Readable.from([]), env: { NO_COLOR: '1', HOME: dir }, cwd: dir, signal: stop.signal, version: '0.1.0' };
    const running = runCli(['apply', '--watch', '--no-tui', '--sim', '-n', 'live', watched, '--release', 'live', '--notify', `${url}/watch`], ctx);
    const until = async (n: number) => {
      for (let i = 0; i < 400 && received.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    };
    await until(1);
    cm('two');
    await until(2);
    stop.abort();
    await running;
    const docs = received.map((r) => JSON.parse(r.body) as RunNotification);
    expect(docs.map((d) => [d.operation, d.status, d.revision, d.release])).toEqual([
      ['apply', 'succeeded', 1, 'live'],
      ['apply', 'succeeded', 2, 'live'],
    ]);
    for (const d of docs) expect(validator()(d)).toBe(true);
  }, 60_000);
});

describe('delivery', () => {
  const doc = (() => {
    const b = new NotificationBuilder({ release: { name: 'web', namespace: 'prod' }, context: 'prod-eu', operation: 'rollback' });
    const events: ApplyEvent[] = [
      { type: 'object-failed', at: 1000, ref: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'prod', name: 'web' }, kind: 'health', reason: 'ImagePullBackOff', message: 'image example/web:9 not found', events: [] },
      { type: 'done', at: 5000, status: 'failed', failure: { kind: 'health', message: 'Deployment prod/web: ImagePullBackOff' }, revision: 7, durationMs: 4000, counts: { applied: 2, unchanged: 1, pruned: 0, hooks: 0 } },
    ];
    for (const e of events) b.observe(e);
    return b.document()!;
  })();

  it('derives the document from the events alone', () => {
    expect(doc).toEqual({
      apiVersion: 'kd.io/v1',
      kind: 'RunNotification',
      release: 'web',
      namespace: 'prod',
      context: 'prod-eu',
      revision: 7,
      operation: 'rollback',
      status: 'failed',
      startedAt: '1970-01-01T00:00:01.000Z',
      finishedAt: '1970-01-01T00:00:05.000Z',
      durationMs: 4000,
      counts: { applied: 2, unchanged: 1, pruned: 0, hooks: 0, deleted: 0 },
      failure: { kind: 'health', message: 'Deployment prod/web: ImagePullBackOff', objects: [{ object: 'Deployment prod/web', kind: 'health', reason: 'ImagePullBackOff', message: 'image example/web:9 not found' }] },
    });
    expect(validator()(doc)).toBe(true);
  });

  it('tries 3 times with doubling backoff and a 5 s timeout, then warns', async () => {
    const calls: Array<{ url: string; timeoutMs: number }> = [];
    const sleeps: number[] = [];
    const sender: NotificationSender = {
      post: async (u, _body, o) => {
        calls.push({ url: u, timeoutMs: o.timeoutMs });
        throw new Error('connect ECONNREFUSED');
      },
    };
    const warnings = await deliverNotification(doc, { urls: ['https://hooks.example.com/T000/B000/XXXX'], format: 'json', sender, sleep: async (ms) => void sleeps.push(ms) });
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.timeoutMs === 5000)).toBe(true);
    expect(sleeps).toEqual([1000, 2000]);
    expect(warnings).toEqual(["the notification to https://hooks.example.com was not delivered (connect ECONNREFUSED); the run's result is unchanged"]);
  });

  it('retries a 503 until it succeeds, and gives up at once on a 404', async () => {
    const statuses = [503, 200];
    let posts = 0;
    const flaky: NotificationSender = { post: async () => ({ status: statuses[posts++]! }) };
    expect(await deliverNotification(doc, { urls: ['http://a.example/x'], format: 'json', sender: flaky, sleep: async () => {} })).toEqual([]);
    expect(posts).toBe(2);
    let gone = 0;
    const missing: NotificationSender = { post: async () => ({ status: 404 + 0 * gone++ }) };
    const warnings = await deliverNotification(doc, { urls: ['http://a.example/x'], format: 'json', sender: missing, sleep: async () => {} });
    expect(gone).toBe(1);
    expect(warnings[0]).toContain('(HTTP 404)');
  });
});
