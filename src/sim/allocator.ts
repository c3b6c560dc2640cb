/**
 * Service cluster IPs (from 10.96.0.0/12, skipping what stored Services hold) and node ports (the
 * 30000-32767 range, round robin), as kube-apiserver's service IP and port allocators. State is
 * the stored Services plus a cursor, so a restored store allocates around what it holds.
 */
import type { ObjectStore } from './object-store.js';
import { ApiError } from './api-status.js';
import { isPlainObject } from './schema-nav.js';
import type { Allocator } from './strategies/strategy.js';

const NODE_PORT_BASE = 30000;
const NODE_PORT_COUNT = 2768;

export class ServiceAllocator implements Allocator {
  readonly #store: ObjectStore;
  #nextIp = 1;
  #nextPort = NODE_PORT_BASE;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  clusterIP(): string {
    const used = new Set(this.#store.list('', 'services').map((s) => String((isPlainObject(s.spec) && s.spec.clusterIP) || '')));
    for (;;) {
      const n = 10 + this.#nextIp++;
      const ip = `10.96.${Math.floor(n / 256) % 256}.${n % 256}`;
      if (!used.has(ip)) return ip;
    }
  }

  nodePort(): number {
    const used = new Set<number>();
    for (const s of this.#store.list('', 'services'))
      for (const p of isPlainObject(s.spec) && Array.isArray(s.spec.ports) ? s.spec.ports : []) if (isPlainObject(p) && typeof p.nodePort === 'number') used.add(p.nodePort);
    for (let i = 0; i < NODE_PORT_COUNT; i++) {
      const p = NODE_PORT_BASE + ((this.#nextPort++ - NODE_PORT_BASE) % NODE_PORT_COUNT);
      if (!used.has(p)) return p;
    }
    throw new ApiError(500, 'InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full');
  }
}
