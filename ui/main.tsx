/** The dashboard's entry: token adoption, the 401 banner, and the two pages. */

import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { adoptTokenFromUrl, onUnauthorized, prefetch } from './api.ts';
import { Link, parseRoute, useRoute } from './router.tsx';
import { RunPage } from './run-page.tsx';
import { FIRST_SCREEN, RunsPage } from './runs-page.tsx';

function App() {
  const route = useRoute();
  const [authProblem, setAuthProblem] = useState<string | null>(null);
  useEffect(() => onUnauthorized(setAuthProblem), []);
  useEffect(() => {
    document.title = route.page === 'run' ? `${route.id} · Vigil` : 'Vigil';
  }, [route]);

  return (
    <>
      <header class="top">
        <Link href="/" class="brand">
          Vigil
        </Link>
        <span class="muted">training runs</span>
      </header>
      {authProblem && (
        <div class="banner error" role="alert">
          {authProblem}
        </div>
      )}
      <main>
        {route.page === 'runs' && <RunsPage />}
        {route.page === 'run' && <RunPage key={route.id} id={route.id} />}
        {route.page === 'missing' && <p class="empty">No such page.</p>}
      </main>
    </>
  );
}

adoptTokenFromUrl();
// The runs page's data is asked for before the first render, not after its first frame.
if (parseRoute(location.pathname).page === 'runs') {
  prefetch(FIRST_SCREEN);
  prefetch('/api/runs');
}
render(<App />, document.getElementById('app')!);
