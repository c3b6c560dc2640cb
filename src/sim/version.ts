/**
 * The one Kubernetes version kd sim reports: `/version` (what `kubectl version` shows) and every
 * node's kubeletVersion. It is the version of the kubectl kd is tested with (1.32), so kubectl
 * never warns about version skew. What the sim serves — resources, schemas, validation — comes
 * from its schema source instead (the built-in bundle, or --schema-dir), and the banner names both.
 */
export const SIM_KUBERNETES_VERSION = 'v1.32.4';
