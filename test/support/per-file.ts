/**
 * One stoppable resource (a sim with its session) shared by every test of a file: started
 * before the file's first test, stopped after its last. The returned object stands for it,
 * so tests write `rs.namespace(...)` as if they held the resource itself; using it outside a
 * test (before it started) is an error that says so.
 */
import { afterAll, beforeAll } from 'vitest';

export function perFile<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    await value?.stop();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (value === undefined) throw new Error(`perFile: read .${String(key)} before the file's beforeAll started it`);
      const v: unknown = Reflect.get(value, key);
      return typeof v === 'function' ? v.bind(value) : v;
    },
  });
}
