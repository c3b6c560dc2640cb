/** Types of scripts/loaded-modules.mjs, for the tests that drive it. */
export interface LoadedModules {
  status: number | null;
  stdout: string;
  stderr: string;
  /**
   * Every JavaScript file the run loaded, with its size in bytes and, for the modules it evaluates
   * on first import (esbuild's wrappers), whether the run evaluated each (undefined: no coverage).
   */
  files: Array<{ file: string; bytes: number; wrapped?: Record<string, boolean> }>;
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

/** The source files (metafile inputs) whose code a run evaluated, from the bundle files it loaded and its coverage. */
export function evaluatedSources(root: string): (run: LoadedModules) => string[];

export function bundleContents(root: string): (file: string) => Array<[origin: string, bytes: number]>;

export function originOf(input: string): string;
