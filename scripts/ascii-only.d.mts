/** Types of ascii-only.mjs (the build's check that a command file is pure ASCII). */
export function nonAsciiProblem(code: string): string | undefined;
