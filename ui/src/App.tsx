import { useEffect, useState } from 'react';
import { forgetAdminKey, storeAdminKey, storedAdminKey } from './api/auth.ts';
import { onSignedOut } from './api/client.ts';
import { Layout } from './components/Layout.tsx';
import { Empty } from './components/Status.tsx';
import { Keys } from './pages/Keys.tsx';
import { Models } from './pages/Models.tsx';
import { Overview } from './pages/Overview.tsx';
import { Playground } from './pages/Playground.tsx';
import { RequestDetail } from './pages/RequestDetail.tsx';
import { Requests } from './pages/Requests.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { usePath } from './router.ts';

const TITLES: Record<string, string> = {
  '/': 'Overview',
  '/keys': 'Keys & teams',
  '/requests': 'Requests',
  '/models': 'Models',
  '/playground': 'Playground',
};

function Page(props: { path: string }) {
  const detail = /^\/requests\/([^/]+)$/.exec(props.path);
  if (detail?.[1]) return <RequestDetail requestId={decodeURIComponent(detail[1])} />;
  switch (props.path) {
    case '/':
      return <Overview />;
    case '/keys':
      return <Keys />;
    case '/requests':
      return <Requests />;
    case '/models':
      return <Models />;
    case '/playground':
      return <Playground />;
    default:
      return <Empty title="No such page.">Pick a page from the menu.</Empty>;
  }
}

export function App() {
  const path = usePath();
  const [signedIn, setSignedIn] = useState(() => storedAdminKey() !== null);
  const [notice, setNotice] = useState<string>();

  useEffect(
    () =>
      onSignedOut(() => {
        setNotice('The admin key was refused: sign in again.');
        setSignedIn(false);
      }),
    [],
  );
  useEffect(() => {
    const title = TITLES[path] ?? (path.startsWith('/requests/') ? 'Request' : 'llmux');
    document.title = signedIn ? `${title} · llmux console` : 'Sign in · llmux console';
  }, [path, signedIn]);

  if (!signedIn)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(key) => {
          storeAdminKey(key);
          setNotice(undefined);
          setSignedIn(true);
        }}
      />
    );
  return (
    <Layout
      path={path}
      onSignOut={() => {
        forgetAdminKey();
        setNotice('Signed out.');
        setSignedIn(false);
      }}
    >
      <Page key={path} path={path} />
    </Layout>
  );
}
