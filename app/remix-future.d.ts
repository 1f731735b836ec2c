// Opt the types into Single Fetch (v3_singleFetch is on in remix.config.js), so
// useLoaderData/useActionData see what `data()` carries rather than its wrapper.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
