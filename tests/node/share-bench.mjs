// The lz-string side of the share-link benchmark: for every `*.json` board
// in DIR, the length of LZString.compressToEncodedURIComponent applied to the
// board's JSON as the format writes it (the file's content, minified).
// Prints {"file": length, ...} on stdout.
//
//   node tests/node/share-bench.mjs crates/core/tests/fixtures/share-corpus
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const LZString = require("lz-string");

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node share-bench.mjs DIR");
  process.exit(2);
}
const out = {};
for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
  const board = JSON.parse(readFileSync(join(dir, name), "utf8"));
  out[name] = LZString.compressToEncodedURIComponent(JSON.stringify(board)).length;
}
console.log(JSON.stringify(out, null, 2));
