/** kd's version, printed by --version and recorded in SARIF and release records. */
export const VERSION = '0.1.0';
