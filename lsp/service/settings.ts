/**
 * kd-lsp's settings, from `initializationOptions` and the `kd` section of workspace/configuration
 * (either may hold them flat or under `kd`). Unknown or ill-typed entries are ignored rather than
 * rejected: an editor config mistake must not stop the server.
 */
import { isPlainObject as isRecord } from '../../src/index.js';

export interface KdLspSettings {
  /** Kubernetes version of the schemas (`1.35`); needs a schema directory for that version. */
  kubernetesVersion?: string;
  /** Folder of OpenAPI v3 documents in the `/openapi/v3` layout; wins over the built-in bundle. */
  schemaDir?: string;
  /** CRD files or folders whose schemas to use, besides the CRDs found in the workspace. */
  crdPaths: string[];
  /** Unknown fields are errors (true, the default) or warnings. */
  strict: boolean;
  /**
   * A kubeconfig context. Off by default. When set, it picks the default namespace (as
   * `--context` does for `kubectl kd validate`) and hovering `kind:` adds the object's live
   * health from that cluster. Live drift in hovers is not offered (use `kubectl kd drift`).
   */
  context?: string;
}

export const DEFAULT_SETTINGS: KdLspSettings = { crdPaths: [], strict: true };

/** Reads settings over `base`: present, well-typed entries win. */
export function parseSettings(raw: unknown, base: KdLspSettings = DEFAULT_SETTINGS): KdLspSettings {
  const src = isRecord(raw) && isRecord(raw.kd) ? raw.kd : raw;
  const out: KdLspSettings = { ...base, crdPaths: [...base.crdPaths] };
  if (!isRecord(src)) return out;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const kubernetesVersion = str(src.kubernetesVersion);
  if (kubernetesVersion !== undefined) out.kubernetesVersion = kubernetesVersion;
  const schemaDir = str(src.schemaDir);
  if (schemaDir !== undefined) out.schemaDir = schemaDir;
  if (Array.isArray(src.crdPaths)) out.crdPaths = src.crdPaths.filter((p): p is string => typeof p === 'string' && p !== '');
  if (typeof src.strict === 'boolean') out.strict = src.strict;
  const context = str(src.context);
  if (context !== undefined) out.context = context;
  return out;
}
