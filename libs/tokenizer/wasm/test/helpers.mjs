// Shared by the tests: where things are, the module, the native reference ids.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const crate = join(dirname(fileURLToPath(import.meta.url)), "..");
export const root = join(crate, "..", "..", "..");
export const wasmPath = join(crate, "pyaot_tokenizer.wasm");
export const SIZE_LIMIT = 100 * 1024;

/** The shared data directory: PYAOT_DATA, else ../shared/data beside the workspace (as pyaot-testdata). */
export function dataDir() {
    const chosen = process.env.PYAOT_DATA || join(root, "..", "shared", "data");
    if (!existsSync(chosen)) throw new Error(`no data directory at ${chosen} (set PYAOT_DATA)`);
    return chosen;
}

export function rankFile(name) {
    const file = { gpt2: "r50k_base", p50k_edit: "p50k_base" }[name] ?? name;
    return readFileSync(join(root, "libs/tokenizer/vocab", `${file}.tiktoken`));
}

if (!existsSync(wasmPath)) {
    throw new Error(`${wasmPath} is missing: build it with \`npm run build\` (scripts/test does)`);
}

/**
 * The native encoder's ids (examples/reference_ids.rs): the file PYAOT_WASM_REFERENCE names
 * (scripts/test makes it), else made here with cargo.
 */
export function reference() {
    let path = process.env.PYAOT_WASM_REFERENCE;
    if (!path) {
        path = join(mkdtempSync(join(tmpdir(), "pyaot-wasm-")), "reference.json");
        execFileSync("cargo", ["run", "--quiet", "-p", "pyaot-tokenizer-wasm", "--example", "reference_ids", "--", path], {
            cwd: root,
            stdio: ["ignore", "inherit", "inherit"],
        });
    }
    return JSON.parse(readFileSync(path, "utf8"));
}
