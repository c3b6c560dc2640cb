/**
 * The error a promise rejects with, checked to be of the expected class, so that a test can
 * assert on its fields; fulfilling or rejecting with anything else fails the test, naming what
 * happened instead.
 */
export async function rejectionOf<E extends Error>(p: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof type)) throw new Error(`expected a ${type.name}, got ${String(e)}`);
  return e;
}
