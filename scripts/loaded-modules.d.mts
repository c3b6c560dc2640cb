/** Types of scripts/loaded-modules.mjs, for the tests that drive it. */
export interface LoadedModules {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every JavaScript file the run loaded, with its size in bytes. */
  files: Array<{ file: string; bytes: number }>;
  /** Node built-ins the run loaded beyond what Node loads for an empty module. */
  builtins: string[];
}

export function loadedModules(
  args: string[],
  options?: { node?: string; env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeout?: number },
): LoadedModules;

export function bundleContents(root: string): (file: string) => Array<[origin: string, bytes: number]>;

export function originOf(input: string): string;
