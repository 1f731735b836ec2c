// The per-response nonce that lets the page's own scripts (Remix's hydration and
// scroll restoration) run under the Content-Security-Policy, and nothing else inline.
// Set by app/entry.server.tsx; undefined in the browser, which needs none.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
