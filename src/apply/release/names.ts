/**
 * Names, labels and annotations of kd's release records, in one place. A release is a name in a
 * namespace; revision N of it is the Secret `kd.release.v1.<release>.v<N>` (type
 * `kd.io/release.v1`), with parts `...v<N>.part-<n>` when the record is too large for one Secret.
 *
 * Invariants: release names are DNS-1123 labels of at most 53 characters (like Helm's), so that
 * the record names stay valid Secret names and the name fits in a label value. Labels carry what
 * listing needs (owner, name, status, revision) and annotations what history shows (updated,
 * objects, description): `history` and `list` never decompress a record.
 */

export const RECORD_TYPE = 'kd.io/release.v1';
export const RECORD_PREFIX = 'kd.release.v1.';
export const OWNER = 'kubectl-kd';

export const LABEL_OWNER = 'owner';
export const LABEL_NAME = 'name';
export const LABEL_STATUS = 'status';
export const LABEL_REVISION = 'revision';
/** Set on the part Secrets only (1-based), so that listing revisions skips them. */
export const LABEL_PART = 'kd.io/part';
/** The release's namespace, on records kept in another (storage) namespace. */
export const LABEL_NAMESPACE = 'kd.io/namespace';

export const ANNOTATION_UPDATED = 'kd.io/updated';
export const ANNOTATION_STARTED = 'kd.io/started';
export const ANNOTATION_OBJECTS = 'kd.io/objects';
export const ANNOTATION_DESCRIPTION = 'kd.io/description';
export const ANNOTATION_MESSAGE = 'kd.io/message';
export const ANNOTATION_PARTS = 'kd.io/parts';
export const ANNOTATION_KD_VERSION = 'kd.io/version';

/** The data key holding the gzip-compressed JSON (or one chunk of it). */
export const DATA_KEY = 'release';

export const MAX_RELEASE_NAME = 53;

/** Why a release name is unusable, or undefined when it is fine. */
export function releaseNameProblem(name: string): string | undefined {
  if (name === '') return 'the release name is empty';
  if (name.length > MAX_RELEASE_NAME) return `the release name "${name}" is longer than ${MAX_RELEASE_NAME} characters`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return `the release name "${name}" is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)`;
  return undefined;
}

/**
 * The default release name for a path: its base name without a YAML/JSON extension, lower-cased
 * and reduced to a DNS-1123 label (`./deploy/Shop_App.yaml` → `shop-app`).
 */
export function defaultReleaseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const base = trimmed.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(ya?ml|json)$/i, '');
  const name = stem
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_RELEASE_NAME)
    .replace(/-+$/, '');
  return name;
}

export function recordName(release: string, revision: number): string {
  return `${RECORD_PREFIX}${release}.v${revision}`;
}

export function partName(release: string, revision: number, part: number): string {
  return `${recordName(release, revision)}.part-${part}`;
}

/** Label selector of a release's revision Secrets (parts included; callers drop them by LABEL_PART). */
export function releaseSelector(release?: string): string {
  return release === undefined ? `${LABEL_OWNER}=${OWNER}` : `${LABEL_OWNER}=${OWNER},${LABEL_NAME}=${release}`;
}
