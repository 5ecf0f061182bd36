// fal's official JS client (@fal-ai/client) talking to storyreel-server's
// /api/fal/proxy, as the app's browser code would with
// `fal.config({ proxyUrl })`. The client builds real https://queue.fal.run
// target URLs; the server checks them, adds the key and (with
// --fal-upstream-override, tests only) sends them to a fake fal queue on
// loopback, which insists on `Authorization: Key <FAL_KEY>`.
//
// Run: `npm ci && npm test` here, after `cargo build -p storyreel-server`
// (or with STORYREEL_SERVER_BIN set). `cargo xtask test` does both.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { ApiError, ValidationError, createFalClient } from "@fal-ai/client";

import { FAL_KEY, startFakeFal, startServer } from "./support.mjs";

const ENDPOINT = "fal-ai/kling-video/o3/standard/text-to-video";
const INPUT = {
  multi_prompt: [
    { prompt: "A cat jumps onto the table", duration: "3" },
    { prompt: "It knocks over a glass", duration: "2" },
  ],
  duration: "5",
  aspect_ratio: "16:9",
};

// The client would send a key of its own if one were in the environment.
delete process.env.FAL_KEY;
delete process.env.FAL_KEY_ID;
delete process.env.FAL_KEY_SECRET;

describe("@fal-ai/client through storyreel-server's fal proxy", { timeout: 60000 }, () => {
  let fake;
  let server;
  let fal;

  before(async () => {
    fake = await startFakeFal();
    server = await startServer(`http://127.0.0.1:${fake.port}`);
    fal = createFalClient({
      // `when: "always"`: outside a browser the client only proxies when told.
      proxyUrl: { url: `${server.origin}/api/fal/proxy`, when: "always" },
    });
  });

  after(async () => {
    await server?.stop();
    await fake?.close();
  });

  const lastSeen = () => fake.seen[fake.seen.length - 1];

  test("queue.submit, status and result", { timeout: 20000 }, async () => {
    const submitted = await fal.queue.submit(ENDPOINT, { input: INPUT, priority: "low" });
    assert.match(submitted.request_id, /^req-\d+$/);
    assert.equal(submitted.status, "IN_QUEUE");
    assert.equal(
      submitted.status_url,
      `https://queue.fal.run/fal-ai/kling-video/requests/${submitted.request_id}/status`,
    );

    const sub = lastSeen();
    assert.equal(sub.method, "POST");
    assert.equal(sub.url, `/${ENDPOINT}`);
    assert.deepEqual(JSON.parse(sub.body), INPUT);
    assert.equal(sub.headers.authorization, `Key ${FAL_KEY}`);
    assert.equal(sub.headers["x-fal-queue-priority"], "low");
    assert.equal(sub.headers["x-fal-target-url"], undefined);
    assert.match(sub.headers["x-fal-client-proxy"], /^storyreel-server\//);

    const requestId = submitted.request_id;
    const first = await fal.queue.status(ENDPOINT, { requestId });
    assert.equal(first.status, "IN_QUEUE");
    const second = await fal.queue.status(ENDPOINT, { requestId, logs: true });
    assert.equal(second.status, "IN_PROGRESS");
    assert.equal(lastSeen().url, `/fal-ai/kling-video/requests/${requestId}/status?logs=1`);
    const third = await fal.queue.status(ENDPOINT, { requestId });
    assert.equal(third.status, "COMPLETED");

    const result = await fal.queue.result(ENDPOINT, { requestId });
    assert.equal(result.requestId, requestId, "x-fal-request-id crossed the proxy");
    assert.equal(result.data.video.content_type, "video/mp4");
    assert.equal(lastSeen().url, `/fal-ai/kling-video/requests/${requestId}`);
  });

  test("subscribe polls to completion", { timeout: 20000 }, async () => {
    const updates = [];
    const result = await fal.subscribe(ENDPOINT, {
      input: INPUT,
      logs: true,
      pollInterval: 50,
      onQueueUpdate: (u) => updates.push(u.status),
    });
    assert.deepEqual(updates, ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    assert.equal(result.data.video.url, "https://v3b.fal.media/files/b/test/output.mp4");
  });

  test("queue.cancel is a PUT", { timeout: 20000 }, async () => {
    const { request_id: requestId } = await fal.queue.submit(ENDPOINT, { input: INPUT });
    await fal.queue.cancel(ENDPOINT, { requestId });
    const seen = lastSeen();
    assert.equal(seen.method, "PUT");
    assert.equal(seen.url, `/fal-ai/kling-video/requests/${requestId}/cancel`);
    assert.equal(seen.headers.authorization, `Key ${FAL_KEY}`);
  });

  test("fal's 422 reaches the client as a ValidationError", { timeout: 20000 }, async () => {
    await assert.rejects(
      fal.queue.submit(ENDPOINT, { input: { duration: "5" } }),
      (e) => {
        assert.ok(e instanceof ValidationError, `got ${e}`);
        assert.equal(e.status, 422);
        assert.deepEqual(e.body.detail[0].loc, ["body", "prompt"]);
        return true;
      },
    );
  });

  test("a look-alike host the client accepts is refused by the server", { timeout: 20000 }, async () => {
    const before = fake.seen.length;
    // The client's own check is /(fal\.(ai|run))$/, so it takes this URL;
    // the server's is (\.|^)fal\.(run|ai)$.
    await assert.rejects(
      fal.queue.submit("https://queue.evilfal.run/fal-ai/x", { input: INPUT }),
      (e) => {
        assert.ok(e instanceof ApiError, `got ${e}`);
        assert.equal(e.status, 403);
        assert.equal(e.body.relay, true);
        return true;
      },
    );
    assert.equal(fake.seen.length, before, "nothing reached the upstream");
  });

  test("the browser's cookies and key do not cross; fal's cookies do not come back", { timeout: 20000 }, async () => {
    const res = await fetch(`${server.origin}/api/fal/proxy`, {
      method: "POST",
      headers: {
        "x-fal-target-url": `https://queue.fal.run/${ENDPOINT}`,
        "content-type": "application/json",
        cookie: "session=browser",
        authorization: "Key browser-key",
      },
      body: JSON.stringify(INPUT),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(res.headers.get("set-cookie"), null);
    const everything = text + JSON.stringify([...res.headers]);
    assert.ok(!everything.includes(FAL_KEY), "the key came back");
    const seen = lastSeen();
    assert.equal(seen.headers.cookie, undefined);
    assert.equal(seen.headers.authorization, `Key ${FAL_KEY}`);
  });
});
