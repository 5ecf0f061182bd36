// Shared by the Node tests: a fake fal queue on loopback that records what
// it receives, and a real storyreel-server started in front of it.

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const FAL_KEY = "fal-node-test-key-4be81c";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The server binary: $STORYREEL_SERVER_BIN, else the debug build. */
export function serverBin() {
  const bin =
    process.env.STORYREEL_SERVER_BIN ||
    join(ROOT, "target", "debug", "storyreel-server");
  if (!existsSync(bin)) {
    throw new Error(
      `no storyreel-server at ${bin}: run \`cargo build -p storyreel-server\` or set STORYREEL_SERVER_BIN`,
    );
  }
  return bin;
}

function listen(server) {
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server.address().port));
  });
}

function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => ok(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

/**
 * A fake fal queue with the documented shapes (providers.md §2.6). Status
 * goes IN_QUEUE → IN_PROGRESS → COMPLETED over successive polls. Answers
 * 401 unless the request carries `Authorization: Key <FAL_KEY>`.
 */
export async function startFakeFal() {
  const seen = [];
  const polls = new Map();
  let next = 1;
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    const send = (status, value, extra = {}) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "set-cookie": "fal-upstream=1",
        ...extra,
      });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Key ${FAL_KEY}`) {
      return send(401, { detail: "missing or wrong key" });
    }
    const url = new URL(req.url, "https://queue.fal.run");
    const app = "https://queue.fal.run/fal-ai/kling-video";
    let m;
    if (
      req.method === "POST" &&
      (m = url.pathname.match(/^\/fal-ai\/kling-video\/o3\/(standard|pro)\/[a-z-]+$/))
    ) {
      const input = JSON.parse(body || "{}");
      if (!input.prompt && !input.multi_prompt) {
        return send(422, {
          detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }],
        });
      }
      const id = `req-${next++}`;
      polls.set(id, 0);
      return send(
        200,
        {
          request_id: id,
          response_url: `${app}/requests/${id}`,
          status_url: `${app}/requests/${id}/status`,
          cancel_url: `${app}/requests/${id}/cancel`,
          status: "IN_QUEUE",
          queue_position: 0,
        },
        { "x-fal-request-id": id },
      );
    }
    if ((m = url.pathname.match(/^\/fal-ai\/kling-video\/requests\/([\w-]+)(\/status|\/cancel)?$/))) {
      const [, id, what] = m;
      if (!polls.has(id)) return send(404, { detail: "no such request" });
      if (what === "/status" && req.method === "GET") {
        const n = polls.get(id);
        polls.set(id, n + 1);
        const logs = url.searchParams.get("logs") === "1" ? [{ message: "generating", level: "INFO", timestamp: "2026-01-01T00:00:00Z" }] : [];
        if (n === 0) return send(202, { status: "IN_QUEUE", queue_position: 0, response_url: `${app}/requests/${id}` });
        if (n === 1) return send(202, { status: "IN_PROGRESS", logs, response_url: `${app}/requests/${id}` });
        return send(200, { status: "COMPLETED", logs, metrics: { inference_time: 41.2 }, response_url: `${app}/requests/${id}` });
      }
      if (what === "/cancel" && req.method === "PUT") {
        return send(202, { status: "CANCELLATION_REQUESTED" });
      }
      if (!what && req.method === "GET") {
        return send(
          200,
          {
            video: {
              url: "https://v3b.fal.media/files/b/test/output.mp4",
              content_type: "video/mp4",
              file_name: "output.mp4",
              file_size: 13096952,
            },
          },
          { "x-fal-request-id": id },
        );
      }
      return send(405, { detail: "method not allowed" });
    }
    return send(404, { detail: `no route ${req.method} ${url.pathname}` });
  });
  const port = await listen(server);
  return { port, seen, close: () => new Promise((ok) => server.close(ok)) };
}

/**
 * Starts storyreel-server on a free loopback port with FAL_KEY set and its
 * fal relay's upstream override pointing at `upstreamOrigin`. Resolves to
 * the server's origin and a stop function. Gives up after 15 s.
 */
export async function startServer(upstreamOrigin, extraArgs = []) {
  const dist = mkdtempSync(join(tmpdir(), "storyreel-node-dist-"));
  writeFileSync(join(dist, "index.html"), "<!DOCTYPE html><title>Storyreel</title>");
  const child = spawn(
    serverBin(),
    [
      "serve",
      "--addr", "127.0.0.1",
      "--port", "0",
      "--dist", dist,
      "--fal-upstream-override", upstreamOrigin,
      ...extraArgs,
    ],
    {
      // Only what the server needs: no other provider keys leak in.
      env: { PATH: process.env.PATH ?? "", FAL_KEY },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const origin = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("storyreel-server did not announce its address in 15 s")), 15000);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`storyreel-server exited early (${code})`));
    });
  });
  child.stdout.resume();
  const stop = () =>
    new Promise((ok) => {
      if (child.exitCode !== null) return ok();
      child.once("exit", ok);
      child.kill("SIGTERM");
    });
  return { origin, stop, pid: child.pid };
}
