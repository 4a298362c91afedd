// @pyaot/tokenizer: tiktoken-identical BPE tokenization in WebAssembly, for Node and browsers.
//
// The module (pyaot_tokenizer.wasm, built from this crate) has no imports and exports plain
// functions over its memory (see src/lib.rs for the calling convention); this file is all the
// glue there is. The caller brings the rank file of the encoding (a `.tiktoken` file, read
// with fs in Node or fetched in a browser).

const NAMES = ["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base", "o200k_harmony"];
const KINDS = [
    "Error",
    "UnknownEncoding",
    "InvalidVocabulary",
    "InvalidPattern",
    "DisallowedSpecialToken",
    "Split",
    "UnknownToken",
    "NotAToken",
    "InvalidUtf8",
    "InvalidText",
];

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** An error from the tokenizer: `kind` names what went wrong (tiktoken's messages). */
export class TokenizerError extends Error {
    constructor(kind, message) {
        super(message);
        this.name = "TokenizerError";
        this.kind = kind;
    }
}

let module = null; // the instantiated module's exports, once `init` has run

/** Where the module is: beside this file. */
const defaultSource = () => new URL("./pyaot_tokenizer.wasm", import.meta.url);

async function bytesOf(source) {
    if (source instanceof URL) {
        if (source.protocol === "file:") {
            const { readFile } = await import("node:fs/promises");
            return readFile(source);
        }
        const response = await fetch(source);
        if (!response.ok) throw new Error(`fetching ${source}: ${response.status}`);
        return response.arrayBuffer();
    }
    return source;
}

/**
 * Loads the WebAssembly module (once; later calls return at once). `source` is the module as
 * bytes, a `WebAssembly.Module`, or a URL; by default `pyaot_tokenizer.wasm` beside this file.
 */
export async function init(source) {
    if (module) return;
    let compiled = source ?? defaultSource();
    if (!(compiled instanceof WebAssembly.Module)) compiled = await WebAssembly.compile(await bytesOf(compiled));
    const instance = await WebAssembly.instantiate(compiled, {});
    module ??= instance.exports;
}

/** The module, or an error saying `init` must come first. */
function wasm() {
    if (!module) throw new Error("@pyaot/tokenizer: call `await init()` (or use `loadEncoding`) first");
    return module;
}

function bytes(ptr, len) {
    return new Uint8Array(wasm().memory.buffer, ptr, len);
}

function lastError() {
    const m = wasm();
    const message = text.decode(bytes(m.pyaot_wasm_error_ptr(), m.pyaot_wasm_error_len()));
    return new TokenizerError(KINDS[m.pyaot_wasm_error_kind()] ?? "Error", message);
}

/** A growable buffer in the module's memory, for arguments. */
class Scratch {
    constructor() {
        this.ptr = 0;
        this.cap = 0;
    }
    reserve(len) {
        if (len > this.cap) {
            const m = wasm();
            if (this.ptr) m.pyaot_wasm_free(this.ptr, this.cap);
            this.cap = Math.max(len, 2 * this.cap, 1024);
            this.ptr = m.pyaot_wasm_alloc(this.cap);
            if (!this.ptr) {
                this.cap = 0;
                throw new TokenizerError("Error", "out of memory");
            }
        }
        return this.ptr;
    }
    /** Writes `value` (string: UTF-8; Uint8Array/Uint32Array: copied) and returns its length in bytes. */
    write(value) {
        if (typeof value === "string") {
            // UTF-8 takes at most 3 bytes per UTF-16 unit.
            const ptr = this.reserve(value.length * 3);
            return utf8.encodeInto(value, bytes(ptr, this.cap)).written;
        }
        const view = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        bytes(this.reserve(view.length), view.length).set(view);
        return view.length;
    }
}

const textArg = new Scratch();
const allowedArg = new Scratch();
const disallowedArg = new Scratch();

/** A special-token choice: mode (0 none, 1 all, 2 list) and the list's length in `scratch`. */
function specialArg(value, scratch, fallback) {
    if (value === undefined) value = fallback;
    if (value === "all") return [1, 0];
    if (value === "none") return [0, 0];
    if (typeof value === "string") throw new TypeError(`expected "all", "none" or a collection of strings, got ${JSON.stringify(value)}`);
    const list = [...value];
    if (list.length === 0) return [0, 0];
    return [2, scratch.write(list.join("\0"))];
}

const registry = new FinalizationRegistry((ptr) => module?.pyaot_wasm_encoding_free(ptr));

/**
 * A built-in encoding with the ranks of its `.tiktoken` file. Needs `await init()` first;
 * `loadEncoding` does both.
 */
export class Encoding {
    /**
     * @param {string} name gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base or o200k_harmony
     * @param {Uint8Array|ArrayBuffer} rankFile the contents of the encoding's `.tiktoken` file
     */
    constructor(name, rankFile) {
        const m = wasm();
        if (!NAMES.includes(name)) throw new TokenizerError("UnknownEncoding", `Unknown encoding ${name}.`);
        const ranks = rankFile instanceof ArrayBuffer ? new Uint8Array(rankFile) : rankFile;
        const nameLen = textArg.write(name);
        const namePtr = m.pyaot_wasm_alloc(nameLen);
        bytes(namePtr, nameLen).set(bytes(textArg.ptr, nameLen));
        const ranksPtr = m.pyaot_wasm_alloc(ranks.byteLength);
        bytes(ranksPtr, ranks.byteLength).set(new Uint8Array(ranks.buffer, ranks.byteOffset, ranks.byteLength));
        const ptr = m.pyaot_wasm_encoding_new(namePtr, nameLen, ranksPtr, ranks.byteLength);
        m.pyaot_wasm_free(namePtr, nameLen);
        m.pyaot_wasm_free(ranksPtr, ranks.byteLength);
        if (!ptr) throw lastError();
        this.ptr = ptr;
        this.name = name;
        this.nVocab = m.pyaot_wasm_n_vocab(ptr);
        const count = m.pyaot_wasm_special_tokens(ptr);
        const ranksOut = new Uint32Array(m.memory.buffer, m.pyaot_wasm_ids_ptr(), count).slice();
        let at = m.pyaot_wasm_bytes_ptr();
        /** The special tokens: text to id. */
        this.specialTokens = new Map();
        const all = new Uint8Array(m.memory.buffer);
        for (let i = 0; i < count; i++) {
            const end = all.indexOf(0, at);
            this.specialTokens.set(text.decode(all.subarray(at, end)), ranksOut[i]);
            at = end + 1;
        }
        registry.register(this, ptr, this);
    }

    #live() {
        if (!this.ptr) throw new Error("the encoding was freed");
        return this.ptr;
    }

    /**
     * tiktoken's `encode`: special-token text is an error unless allowed. `allowedSpecial` and
     * `disallowedSpecial` are "all" or collections of special-token texts (default: none
     * allowed, all disallowed).
     * @returns {Uint32Array}
     */
    encode(input, { allowedSpecial = "none", disallowedSpecial = "all" } = {}) {
        return this.#run(input, allowedSpecial, disallowedSpecial, true);
    }

    /** Encodes with special-token text as ordinary text (tiktoken's `encode_ordinary`). */
    encodeOrdinary(input) {
        return this.#run(input, "none", "none", true);
    }

    /** The number of tokens `encode` gives (same options), without copying them out. */
    countTokens(input, { allowedSpecial = "none", disallowedSpecial = "all" } = {}) {
        return this.#run(input, allowedSpecial, disallowedSpecial, false);
    }

    #run(input, allowedSpecial, disallowedSpecial, copy) {
        if (typeof input !== "string") throw new TypeError("expected a string");
        const ptr = this.#live();
        const m = wasm();
        const [allowedMode, allowedLen] = specialArg(allowedSpecial, allowedArg, "none");
        const [disallowedMode, disallowedLen] = specialArg(disallowedSpecial, disallowedArg, "all");
        const len = textArg.write(input);
        const count = m.pyaot_wasm_encode(
            ptr,
            textArg.ptr,
            len,
            allowedMode,
            allowedArg.ptr,
            allowedLen,
            disallowedMode,
            disallowedArg.ptr,
            disallowedLen,
        );
        if (count < 0) throw lastError();
        if (!copy) return count;
        return new Uint32Array(m.memory.buffer, m.pyaot_wasm_ids_ptr(), count).slice();
    }

    #decode(tokens, lossy) {
        const ptr = this.#live();
        const m = wasm();
        const ids = tokens instanceof Uint32Array ? tokens : Uint32Array.from(tokens);
        const len = textArg.write(ids);
        const count = m.pyaot_wasm_decode(ptr, textArg.ptr, len / 4, lossy);
        if (count < 0) throw lastError();
        return bytes(m.pyaot_wasm_bytes_ptr(), count);
    }

    /** The text of `tokens`, invalid UTF-8 replaced by U+FFFD (tiktoken's `decode`). */
    decode(tokens) {
        return text.decode(this.#decode(tokens, 1));
    }

    /** The bytes of `tokens` (tiktoken's `decode_bytes`). */
    decodeBytes(tokens) {
        return this.#decode(tokens, 0).slice();
    }

    /** Frees the encoding's memory now (otherwise the garbage collector does, eventually). */
    free() {
        if (this.ptr) {
            registry.unregister(this);
            wasm().pyaot_wasm_encoding_free(this.ptr);
            this.ptr = 0;
        }
    }
}

/** `init`, then `new Encoding(name, rankFile)`. */
export async function loadEncoding(name, rankFile, wasmSource) {
    await init(wasmSource);
    return new Encoding(name, rankFile);
}

/** The names of the built-in encodings. */
export function encodingNames() {
    return [...NAMES];
}
