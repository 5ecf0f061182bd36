// The Node counterpart in the proxy benchmark: @fal-ai/server-proxy's
// Express handler, set up as its README shows (express.json(), the handler
// on /api/fal/proxy, FAL_KEY from the environment). Its host check is made
// to admit the benchmark's fake upstream with the package's own option,
// `allowedUrlPatterns` (from BENCH_ALLOW, e.g. "127.0.0.1:4545/**").
//
// One change to the README's set-up: a no-op handler after the proxy's.
// The proxy calls next() once it has answered, and Express's final handler
// then destroys the socket (it cannot send its 404), which would cost Node
// a new connection per request. With the no-op, keep-alive works.
//
// Prints "listening on http://127.0.0.1:PORT" when ready.

import express from "express";
import { createHandler, route } from "@fal-ai/server-proxy/express";

if (!process.env.FAL_KEY) {
  console.error("bench-proxy: FAL_KEY is not set");
  process.exit(2);
}
const allow = (process.env.BENCH_ALLOW || "").split(",").filter(Boolean);

// The package warns once at start-up about its permissive defaults.
const handler = createHandler({ allowedUrlPatterns: allow });
const app = express();
app.use(express.json({ limit: "32mb" }));
app.all(route, handler, () => {});

const server = app.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
server.keepAliveTimeout = 60000;
process.on("SIGTERM", () => server.close(() => process.exit(0)));
