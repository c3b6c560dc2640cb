/**
 * Whether anything is still in flight between the test's cluster client and an in-process kd sim:
 * the condition under which a virtual clock may move time (virtual-clock.ts). Time that moves
 * while an answer is on its way is what made the apply tests flake under load, so every stage a
 * request or a watch event passes through is accounted for:
 *
 * - a client request to the sim, from its creation until its answer's headers (or the WebSocket
 *   upgrade, or an error) arrive: covers waiting for a connection, the TLS handshake, the sim
 *   handling it;
 * - a request the sim is answering (not a watch, whose answer never ends), until the last byte is
 *   handed to the socket: covers handlers that wait (injected fault delays);
 * - bytes on each connection: what one end wrote and the other has not yet read (answer bodies,
 *   watch events, exec frames), paired by port, both ends counting plaintext; except while the
 *   client has paused the socket (a watch whose reader is not reading: the data waits for it,
 *   and counting it would deadlock a reader that waits for a timer);
 * - the cluster client's own waits (retry backoff, rate limit, watch reopening), which run on
 *   real time through `clientClock`, as they did on the scaled clock: with them on the virtual
 *   clock the 500-object run under injected faults stalled (test/apply/faults.test.ts timed out
 *   after 1.5 simulated seconds), so they stay short real waits and the clock holds still meanwhile;
 * - file system, DNS and connect requests of the process (the release file driver, module loads).
 *
 * What a read delivers is handled in the same turn or in microtasks, which drain before the
 * `setImmediate` rounds the clock waits for, so quiet counters over a few rounds mean idle.
 * Node's http diagnostics channels are process-wide, so requests are filtered by the sim's port.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock, type ClusterClock } from '../../../src/cluster/clock.js';

/** libuv requests that finish later without a request or socket of ours in flight. */
const BUSY_RESOURCES = new Set(['FSReqCallback', 'FSReqPromise', 'FileHandleCloseReq', 'GetAddrInfoReqWrap', 'TCPConnectWrap', 'ZlibWrap']);

export class WireMonitor {
  /** The sim's port; set once it listens. */
  port = 0;
  readonly #clientPending = new Set<ClientRequest>();
  readonly #serverPending = new Set<ServerResponse>();
  readonly #serverSockets = new Set<Socket>();
  readonly #clientSockets = new Map<number, Socket>();
  readonly #tracked = new WeakSet<Socket>();
  #clientSleeps = 0;

  /** The cluster client's clock: real time, each sleep counted as work in flight. */
  readonly clientClock: ClusterClock = {
    now: () => systemClock.now(),
    sleep: async (ms, signal) => {
      this.#clientSleeps++;
      try {
        await systemClock.sleep(ms, signal);
      } finally {
        this.#clientSleeps--;
      }
    },
  };

  constructor() {
    diagnostics.subscribe('http.client.request.created', this.#onClientRequest);
    diagnostics.subscribe('http.server.request.start', this.#onServerRequest);
  }

  /** For `startSim({ onConnection })`: the sim's end of each connection. */
  readonly onConnection = (socket: Socket): void => {
    this.#serverSockets.add(socket);
    socket.once('close', () => this.#serverSockets.delete(socket));
  };

  /** Why the system is not idle (undefined when it is): for the clock, and for a stuck test's message. */
  busy(): string | undefined {
    if (this.#clientPending.size > 0) return `${this.#clientPending.size} client request(s) awaiting an answer`;
    if (this.#serverPending.size > 0) return `${this.#serverPending.size} request(s) being answered by the sim`;
    if (this.#clientSleeps > 0) return `${this.#clientSleeps} client retry or rate-limit wait(s)`;
    for (const s of this.#serverSockets) {
      if (s.destroyed || s.remotePort === undefined) continue;
      const c = this.#clientSockets.get(s.remotePort);
      if (!c || c.destroyed) continue;
      // A paused socket is the client's backpressure: its reader is busy elsewhere or waits
      // (for a timer, say), so what the sim wrote is held for it, not on its way.
      if (s.bytesWritten !== c.bytesRead && !c.isPaused()) return `${s.bytesWritten - c.bytesRead} byte(s) on their way to the client (port ${s.remotePort})`;
      if (c.bytesWritten !== s.bytesRead) return `${c.bytesWritten - s.bytesRead} byte(s) on their way to the sim (port ${s.remotePort})`;
    }
    for (const r of process.getActiveResourcesInfo()) if (BUSY_RESOURCES.has(r)) return `a ${r} in progress`;
    return undefined;
  }

  dispose(): void {
    diagnostics.unsubscribe('http.client.request.created', this.#onClientRequest);
    diagnostics.unsubscribe('http.server.request.start', this.#onServerRequest);
  }

  readonly #onClientRequest = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    if (this.port === 0 || !host.endsWith(`:${this.port}`)) return;
    this.#clientPending.add(request);
    const settle = () => this.#clientPending.delete(request);
    for (const event of ['response', 'upgrade', 'error', 'close', 'abort']) request.once(event, settle);
    request.on('socket', (socket: Socket) => {
      const track = () => {
        if (socket.localPort === undefined || this.#tracked.has(socket)) return;
        this.#tracked.add(socket);
        this.#clientSockets.set(socket.localPort, socket);
        const port = socket.localPort;
        socket.once('close', () => {
          if (this.#clientSockets.get(port) === socket) this.#clientSockets.delete(port);
        });
      };
      if (socket.localPort !== undefined) track();
      else socket.once('connect', track);
    });
  };

  readonly #onServerRequest = (message: unknown): void => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (this.port === 0 || request.socket.localPort !== this.port || isWatch(request.url ?? '')) return;
    this.#serverPending.add(response);
    const settle = () => this.#serverPending.delete(response);
    response.once('finish', settle);
    response.once('close', settle);
  };
}

function isWatch(url: string): boolean {
  const u = new URL(url, 'http://sim');
  const w = u.searchParams.get('watch');
  return w === '1' || w === 'true' || /\/watch\//.test(u.pathname);
}
