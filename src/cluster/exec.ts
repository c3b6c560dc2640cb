/**
 * Runs a command in a container through the `pods/exec` subresource, over WebSocket as kubectl
 * 1.32 does (client-go remotecommand: subprotocol `v5.channel.k8s.io`, falling back to
 * `v4.channel.k8s.io` as the server chooses). Each binary message starts with its channel: 1
 * stdout, 2 stderr, 3 the final metav1.Status (Success, or Failure with an `ExitCode` cause).
 * No stdin and no TTY: kd only needs the exit code and the start of the output.
 */
import type WebSocket from 'ws';
import { abortReason } from './clock.js';
import { networkError, type RequestSubject } from './errors.js';
import type { HttpTransport } from './transport.js';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecTarget {
  namespace: string;
  pod: string;
  /** Default: the pod's only (or default) container, as the server picks it. */
  container?: string;
}

export interface ExecResult {
  /** The command's exit code; 0 for success. */
  exitCode: number;
  /** The first bytes of stdout and stderr, interleaved as they arrived (at most `maxOutputBytes`). */
  output: string;
  /** The server's message when the command failed for another reason than its exit code. */
  error?: string;
}

/** The exit code of the final Status on channel 3 (client-go's errorDecoderV4), or an error message. */
export function exitOfStatus(text: string): { exitCode: number; error?: string } {
  let status: { status?: string; message?: string; reason?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
  try {
    status = JSON.parse(text) as typeof status;
  } catch {
    return { exitCode: 1, error: `an undecodable status from the server: ${text.slice(0, 200)}` };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { exitCode: code };
  }
  return { exitCode: 1, error: status.message ?? 'the command failed' };
}

export async function execInPod(
  transport: HttpTransport,
  target: ExecTarget,
  command: readonly string[],
  options: { signal?: AbortSignal; maxOutputBytes?: number; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const subject: RequestSubject = { verb: 'exec in', target: `Pod ${target.namespace}/${target.pod}` };
  const query = { command: [...command], stdout: 'true', stderr: 'true', ...(target.container ? { container: target.container } : {}) };
  const max = options.maxOutputBytes ?? 4096;
  const out: Buffer[] = [];
  let outBytes = 0;
  let statusText = '';
  let closed: () => void = () => {};
  let failed: (e: unknown) => void = () => {};
  const ended = new Promise<void>((resolve, reject) => {
    closed = resolve;
    failed = reject;
  });
  // An error before the upgrade completes rejects openWebSocket instead; this one then has no reader.
  ended.catch(() => {});
  // Listeners go on before the upgrade completes: the server may answer everything at once.
  const setup = (ws: WebSocket) => {
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (!isBinary || buf.length === 0) return;
      const channel = buf[0];
      const payload = buf.subarray(1);
      if (channel === 1 || channel === 2) {
        if (outBytes < max) out.push(payload.subarray(0, max - outBytes));
        outBytes += payload.length;
      } else if (channel === 3) statusText += payload.toString('utf8');
    });
    ws.on('close', () => closed());
    ws.on('error', (e) => failed(e));
  };
  const ws = await transport.openWebSocket(
    { path: `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`, query, subject, ...(options.signal ? { signal: options.signal } : {}) },
    EXEC_PROTOCOLS,
    setup,
  );
  const onAbort = () => ws.terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          ws.terminate();
        }, options.timeoutMs);
  try {
    await ended;
  } catch (e) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    throw networkError(subject, transport.server, e);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  }
  if (options.signal?.aborted) throw abortReason(options.signal);
  if (timedOut) throw networkError(subject, transport.server, Object.assign(new Error(`the command did not finish within ${Math.round(options.timeoutMs! / 1000)}s`), { code: 'ETIMEDOUT' }));
  const output = Buffer.concat(out).toString('utf8');
  // Without a status the stream ended early: client-go reports success then, and so does kd.
  const status = statusText === '' ? { exitCode: 0 } : exitOfStatus(statusText);
  return { ...status, output };
}
