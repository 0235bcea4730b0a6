/** Path routing (`/`, `/runs/<id>`): the server answers index.html for both. */

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'runs' } | { page: 'run'; id: string } | { page: 'missing' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'runs' };
  const run = /^\/runs\/([^/]+)\/?$/.exec(pathname);
  return run?.[1] ? { page: 'run', id: decodeURIComponent(run[1]) } : { page: 'missing' };
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A link that navigates in the page; a modified click (new tab, …) keeps the browser's behaviour. */
export function Link({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} class={className} onClick={onClick}>
      {children}
    </a>
  );
}

export function runPath(id: string): string {
  return `/runs/${encodeURIComponent(id)}`;
}
