import { type ReactNode, useEffect, useRef, useState } from 'react';
import { linkHandler } from '../router.ts';

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/keys', label: 'Keys & teams' },
  { path: '/requests', label: 'Requests' },
  { path: '/models', label: 'Models' },
  { path: '/playground', label: 'Playground' },
] as const;

function isActive(navPath: string, path: string): boolean {
  return navPath === '/' ? path === '/' : path === navPath || path.startsWith(`${navPath}/`);
}

export function Layout(props: { path: string; onSignOut(): void; children: ReactNode }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the menu whenever the page changes.
  useEffect(() => setMenuOpen(false), [props.path]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      toggle.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/ui/" onClick={linkHandler('/')}>
          <span className="brand-mark" aria-hidden="true">
            lx
          </span>
          llmux <span className="brand-sub">console</span>
        </a>
        <button
          ref={toggle}
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
        <nav id="main-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
          {NAV.map((item) => (
            <a
              key={item.path}
              href={`/ui${item.path === '/' ? '/' : item.path}`}
              onClick={linkHandler(item.path)}
              aria-current={isActive(item.path, props.path) ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
          <button type="button" className="link-button sign-out" onClick={props.onSignOut}>
            Sign out
          </button>
        </nav>
      </header>
      <main className="content" id="content">
        {props.children}
      </main>
    </div>
  );
}
