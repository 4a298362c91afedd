// The module stays small: the budget is 100 KB (no vocabulary inside; the caller brings it).
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "node:test";

import { SIZE_LIMIT, wasmPath } from "./helpers.mjs";

test(`pyaot_tokenizer.wasm is under ${SIZE_LIMIT} bytes`, () => {
    const size = statSync(wasmPath).size;
    console.log(`pyaot_tokenizer.wasm: ${size} bytes (${(size / 1024).toFixed(1)} KiB; budget ${SIZE_LIMIT / 1024} KiB)`);
    assert.ok(size < SIZE_LIMIT, `pyaot_tokenizer.wasm is ${size} bytes: over the ${SIZE_LIMIT}-byte budget`);
});
