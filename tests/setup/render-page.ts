// Server-renders one route's page after a GET (or a POST to its action), as a browser
// without JavaScript would see it: the loader/action run for real, the component
// renders to HTML.
import { createElement, type JSX } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";

type Args = { request: Request; params: Record<string, string | undefined> };
export type RouteFn = (args: Args & { context: Record<string, unknown> }) => Promise<unknown>;

export async function renderPage(pattern: string, request: Request, Component: () => JSX.Element, loader: RouteFn, action?: RouteFn) {
  const routes = [{
    id: "page",
    path: pattern,
    loader: ({ request, params }: Args) => loader({ request, params, context: {} }),
    ...(action ? { action: ({ request, params }: Args) => action({ request, params, context: {} }) } : {}),
    Component,
  }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  return { status: context.statusCode, html: renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false })) };
}
