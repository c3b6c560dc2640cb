/**
 * `pods/exec` over WebSocket, as kubectl 1.32 speaks it (subprotocol `v5.channel.k8s.io`, or
 * `v4.channel.k8s.io`): every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr,
 * 3 the final metav1.Status, 4 resize, 255 a v5 stream close). Nothing runs in a simulated pod:
 * `echo` prints its arguments, anything else prints nothing, and the exit code is the pod's
 * `sim.kd.io/exec-exit` annotation (default 0), reported as kube-apiserver does (a Failure Status
 * with reason NonZeroExitCode and an `ExitCode` cause). kubectl falls back to SPDY only when the
 * WebSocket upgrade itself fails, so no SPDY is served.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { KubeObject } from '../model/object-ref.js';
import type { RestStorage } from './rest-storage.js';

export const EXEC_EXIT_ANNOTATION = 'sim.kd.io/exec-exit';
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDOUT = 1;
const ERROR = 3;

const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function reject(socket: Socket, code: number, reason: string, message: string): void {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  const text = code === 400 ? 'Bad Request' : code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : 'Error';
  socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** What a simulated command prints and its exit code. */
export function simulateCommand(pod: KubeObject, command: readonly string[]): { stdout: string; exitCode: number } {
  const raw = (pod.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[EXEC_EXIT_ANNOTATION];
  const exitCode = typeof raw === 'string' && /^[0-9]{1,3}$/.test(raw.trim()) ? Number(raw.trim()) % 256 : 0;
  if (command[0] !== 'echo') return { stdout: '', exitCode };
  const noNewline = command[1] === '-n';
  const words = command.slice(noNewline ? 2 : 1);
  return { stdout: words.join(' ') + (noNewline ? '' : '\n'), exitCode };
}

/** The final Status of a command, as the kubelet's exec reports it on the error channel. */
export function exitStatus(command: readonly string[], exitCode: number): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** Handles an HTTP upgrade: pods/exec over WebSocket, anything else refused. */
export function upgrade(storage: RestStorage, req: IncomingMessage, socket: Socket, head: Buffer, refused: [number, string, string] | undefined, log?: (line: string) => void): void {
  log?.(`${req.method} ${req.url} upgrade`);
  if (refused) return reject(socket, ...refused);
  const url = new URL(req.url ?? '/', 'http://sim');
  const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/.exec(url.pathname);
  if (!m) return reject(socket, 404, 'NotFound', 'the server could not find the requested resource');
  const namespace = decodeURIComponent(m[1]!);
  const name = decodeURIComponent(m[2]!);
  const pod = storage.tryGet(storage.catalog.resource('', 'v1', 'pods')!, namespace, name);
  if (!pod) return reject(socket, 404, 'NotFound', `pods "${name}" not found`);
  const command = url.searchParams.getAll('command');
  if (command.length === 0) return reject(socket, 400, 'BadRequest', 'you must specify at least 1 command');
  const containers = ((pod['spec'] as { containers?: Array<{ name?: string }> } | undefined)?.containers ?? []).map((c) => c.name);
  const container = url.searchParams.get('container') ?? containers[0];
  if (!containers.includes(container)) return reject(socket, 400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return reject(socket, 400, 'BadRequest', `cannot exec into a container in a completed pod; current phase is ${phase}`);
  if (!String(req.headers['sec-websocket-protocol'] ?? '').split(',').some((p) => PROTOCOLS.includes(p.trim())))
    return reject(socket, 400, 'BadRequest', `kd sim serves pods/exec over WebSocket with subprotocol ${PROTOCOLS.join(' or ')}`);
  wss.handleUpgrade(req, socket, head, (ws) => {
    const { stdout, exitCode } = simulateCommand(pod, command);
    const frame = (channel: number, data: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data, 'utf8')]));
    if (stdout !== '' && url.searchParams.get('stdout') !== 'false') frame(STDOUT, stdout);
    frame(ERROR, JSON.stringify(exitStatus(command, exitCode)));
    ws.close(1000);
    // Input (stdin, resize, a v5 close) is read and dropped: the command has already finished.
    ws.on('message', () => {});
    ws.on('error', () => ws.terminate());
  });
}
