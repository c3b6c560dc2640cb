/**
 * Puts the watch screen (WatchApp) on the command's terminal with Ink, and takes it off again.
 *
 * The caller has already decided that this is a terminal (stdout and stdin are TTYs, TERM is not
 * dumb; otherwise it prints plain lines), so Ink is told so instead of guessing. Ink's own guess
 * treats every process with `CI` set as non-interactive, and then writes only `<Static>` output
 * while it runs, holding the live frame back until unmount: a terminal started from a CI job (or
 * from a test run that has `CI` set) would show the finished-apply lines and nothing else. One
 * decision, made in one place, keeps the screen and the plain output from disagreeing.
 */
import { render } from 'ink';
import { createElement } from 'react';
import { WatchApp, type WatchAppProps } from './watch-app.js';

export interface ScreenStreams {
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream;
}

export interface MountedScreen {
  /** Leaves the last frame on the terminal, restores the cursor and raw mode; resolves when written. */
  unmount(): Promise<void>;
}

export function mountWatchScreen(props: WatchAppProps, streams: ScreenStreams): MountedScreen {
  const instance = render(createElement(WatchApp, props), {
    stdout: streams.stdout,
    stdin: streams.stdin,
    stderr: streams.stderr,
    interactive: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    unmount: async () => {
      instance.unmount();
      await instance.waitUntilExit().catch(() => undefined);
    },
  };
}
