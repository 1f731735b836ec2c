import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { getSessionUser } from "~/platform/session.server";
import { loadEnv } from "~/platform/env.server";
import { useNonce } from "~/lib/csp-nonce";
import { isCoordinator } from "~/models/permissions.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles.css" }, { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return { user, coordinator: user !== null && isCoordinator(user), mailMode: loadEnv().mailMode };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Nav() {
  const { user, coordinator, mailMode } = useLoaderData<typeof loader>();
  return (
    <header className="site-header">
      <a className="skip" href="#main">Skip to content</a>
      <Link to="/" className="brand">Demarche</Link>
      {/* Plain links in two labelled groups: no JavaScript, every link reachable with Tab. */}
      <nav aria-label="Main">
        <ul className="nav-group" aria-label="Campaign">
          {coordinator ? <li><NavLink to="/statements">Statements</NavLink></li> : null}
          {user ? <li><NavLink to="/letters">Letters</NavLink></li> : null}
          {user ? <li><NavLink to="/outbox">Outbox</NavLink></li> : null}
          {user ? <li><NavLink to="/mailbox">Mailbox</NavLink></li> : null}
          {coordinator ? <li><NavLink to="/received">Mail received</NavLink></li> : null}
          {user ? <li><NavLink to="/coverage">Coverage</NavLink></li> : null}
          <li><NavLink to="/countries">Countries</NavLink></li>
          {user ? <li><NavLink to="/organisations">Organisations</NavLink></li> : null}
        </ul>
        {coordinator ? (
          <ul className="nav-group nav-admin" aria-label="Admin">
            <li><NavLink to="/templates">Templates</NavLink></li>
            <li><NavLink to="/people">People</NavLink></li>
            <li><NavLink to="/audit">Audit log</NavLink></li>
          </ul>
        ) : null}
      </nav>
      <div className="account">
        {user ? (
          <>
            <NavLink to="/account">{user.name}</NavLink>
            <Form method="post" action="/logout">
              <button type="submit" className="link">Sign out</button>
            </Form>
          </>
        ) : (
          <NavLink to="/login">Sign in</NavLink>
        )}
      </div>
      {user ? (
        <p className={`mail-mode mail-mode-${mailMode}`} data-testid="mail-mode">
          {mailMode === "sandbox"
            ? <>Mail: sandbox. Nothing leaves this machine; see the <Link to="/mailbox">Mailbox</Link>.</>
            : <>Mail: real SMTP. Messages are delivered.</>}
        </p>
      ) : null}
    </header>
  );
}

export default function App() {
  return (
    <>
      <Nav />
      <main id="main">
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error)
    ? typeof error.data === "string" && error.data ? error.data : error.statusText
    : "Something went wrong on our side. Nothing you entered was saved half-way.";
  return (
    <main id="main" className="error-page">
      <h1>{status === 404 ? "Not found" : status === 403 ? "Not allowed" : "Error"}</h1>
      <p>{message}</p>
      <p><Link to="/">Back to the start page</Link></p>
    </main>
  );
}
