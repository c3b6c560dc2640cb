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

/** The same without blocking this process (an in-process kd sim keeps answering); stdin is closed. */
export function loadedModulesAsync(
  args: string[],
  options?: { node?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number },
): Promise<LoadedModules>;

/** For a bundle file's absolute path, the source files (metafile inputs) it holds code of. */
export function bundleInputs(root: string): (file: string) => string[];

export function bundleContents(root: string): (file: string) => Array<[origin: string, bytes: number]>;

export function originOf(input: string): string;
