/**
 * Waiting until objects have disappeared (deleted, finalizers done), through the run's watch
 * cache: no polling. Used before a hook is created again and when a release is deleted.
 */
import type { ObjectRef } from '../model/index.js';
import type { RunFailure } from './failure.js';
import type { RunContext } from './run-context.js';

/** Resolves when no ref is left in its collection; rejects with `onTimeout(left)` at the run's deadline. */
export async function waitGone(ctx: RunContext, refs: readonly ObjectRef[], onTimeout: (left: readonly ObjectRef[]) => RunFailure): Promise<void> {
  if (refs.length === 0) return;
  const collections = refs.map((ref) => ({ ref, collection: ctx.cache.collection(ref, ref.namespace) }));
  await Promise.all(collections.map((c) => c.collection.ready));
  const remaining = () => collections.filter((c) => c.collection.objects.has(c.ref.name));
  if (remaining().length === 0) return;
  await new Promise<void>((resolve, reject) => {
    const timer = new AbortController();
    const finish = (error?: unknown) => {
      unsubscribe();
      timer.abort();
      if (error === undefined) resolve();
      else reject(error);
    };
    const unsubscribe = ctx.cache.subscribe(() => {
      if (remaining().length === 0) finish();
    });
    ctx.clock.sleep(Math.max(0, ctx.deadline - ctx.clock.now()), AbortSignal.any([timer.signal, ctx.signal])).then(
      () => finish(onTimeout(remaining().map((c) => c.ref))),
      () => {
        if (ctx.signal.aborted) finish(ctx.signal.reason);
      },
    );
  });
}
