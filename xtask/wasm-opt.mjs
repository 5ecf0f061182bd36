// wasm-opt for many files in one process, through binaryen's JS API.
//
// binaryen's npm package is binaryen compiled to wasm: every `wasm-opt`
// run starts Node and compiles that wasm again (about 0.4 s), and the
// editor's split makes a hundred parts. Here it starts once.
//
//   node xtask/wasm-opt.mjs BINARYEN_PACKAGE_DIR FLAG... -- IN OUT [IN OUT]...
//
// The flags are wasm-opt's; those below are the ones understood. The
// output is byte for byte what `wasm-opt FLAGS in.wasm -o out.wasm` of the
// same binaryen writes (xtask/src/wasm_opt.rs checks one file of each
// batch of several against the CLI).

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, ...rest] = process.argv.slice(2);
const split = rest.indexOf("--");
if (dir === undefined || split < 0 || (rest.length - split - 1) % 2 !== 0) {
  console.error("usage: node wasm-opt.mjs BINARYEN_DIR FLAG... -- IN OUT [IN OUT]...");
  process.exit(2);
}
const flags = rest.slice(0, split);
const files = [];
for (let i = split + 1; i < rest.length; i += 2) {
  files.push([rest[i], rest[i + 1]]);
}
const binaryen = (await import(pathToFileURL(join(dir, "index.js")).href))
  .default;

// -O levels as wasm-opt sets them: [optimize, shrink].
const levels = {
  "-O0": [0, 0],
  "-O1": [1, 0],
  "-O2": [2, 0],
  "-O3": [3, 0],
  "-O4": [4, 0],
  "-Os": [2, 1],
  "-Oz": [2, 2],
};
let level = null;
for (const flag of flags) {
  if (flag in levels) {
    level = levels[flag];
  } else if (flag === "--low-memory-unused") {
    binaryen.setLowMemoryUnused(true);
  } else if (flag === "--zero-filled-memory") {
    binaryen.setZeroFilledMemory(true);
  } else {
    console.error(`wasm-opt.mjs: the flag ${flag} is not supported here`);
    process.exit(2);
  }
}
if (level === null) {
  console.error("wasm-opt.mjs: no -O level among the flags");
  process.exit(2);
}
const optimising = level[0] > 0 || level[1] > 0;
binaryen.setOptimizeLevel(level[0]);
binaryen.setShrinkLevel(level[1]);
binaryen.setDebugInfo(false);
// wasm-opt's CLI optimises the stack IR it writes whenever it optimises.
binaryen.setGenerateStackIR(optimising);
binaryen.setOptimizeStackIR(optimising);

for (const [input, output] of files) {
  const module = binaryen.readBinary(readFileSync(input));
  if (!module.validate()) {
    console.error(`wasm-opt.mjs: ${input} is not valid wasm`);
    process.exit(1);
  }
  if (optimising) {
    module.optimize();
  }
  writeFileSync(output, module.emitBinary());
  module.dispose();
}
