/** With colour on, the screen is the same text as without, coloured (chalk is forced on before Ink loads). */
import { expect, test } from 'vitest';

test('colour on: the same text as the colourless frame, with escape sequences', async () => {
  process.env.FORCE_COLOR = '1';
  const { render } = await import('ink-testing-library');
  const { WatchScreen } = await import('../../plugin/ui/components/watch-screen.js');
  const { initialView, reduceView } = await import('../../plugin/ui/view-model.js');
  const { plain, utcClock, WALL } = await import('./support.js');
  const view = reduceView(initialView({ context: 'c', namespace: 'shop', release: 'shop' }), { type: 'notice', at: WALL, level: 'error', message: 'lock held by another apply' }, { formatClock: utcClock });
  const coloured = render(<WatchScreen view={view} width={80} height={24} theme={{ color: true }} formatClock={utcClock} />).lastFrame() ?? '';
  const colourless = render(<WatchScreen view={view} width={80} height={24} theme={{ color: false }} formatClock={utcClock} />).lastFrame() ?? '';
  expect(coloured).toMatch(/\u001b\[31m/);
  expect(colourless).not.toMatch(/\u001b\[/);
  expect(plain(coloured)).toBe(plain(colourless));
});
