/**
 * Certificates for the HTTPS mode: a throwaway CA, a server certificate for 127.0.0.1/localhost
 * and a client certificate (CN kd-sim-admin, O system:masters) signed by it. Node has no X.509
 * generation API, so this uses the `openssl` command line in a private temporary directory that
 * is removed afterwards; without openssl, it fails with an instruction.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { environmentError } from '../errors.js';

export interface TlsMaterial {
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function generateTlsMaterial(hosts: string[] = ['127.0.0.1', 'localhost']): TlsMaterial {
  const dir = mkdtempSync(path.join(tmpdir(), 'kd-sim-tls-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    try {
      run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '365', '-subj', '/CN=kd-sim-ca']);
    } catch (cause) {
      throw environmentError(`cannot generate certificates with openssl: ${(cause as Error).message.split('\n')[0]}`, 'install the openssl command line tool, or run the simulator without TLS');
    }
    const san = hosts.map((h) => (/^[\d.]+$/.test(h) || h.includes(':') ? `IP:${h}` : `DNS:${h}`)).join(',');
    writeFileSync(path.join(dir, 'server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`);
    writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
    for (const [name, subj] of [['server', '/CN=kd-sim'], ['client', '/O=system:masters/CN=kd-sim-admin']] as const) {
      run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj]);
      run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '365', '-extfile', `${name}.ext`]);
    }
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');
    return { caCert: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
