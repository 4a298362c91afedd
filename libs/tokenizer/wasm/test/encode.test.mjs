// The WASM build gives the native encoder's ids on every text of the shared corpora, for every
// built-in encoding, and tiktoken's special-token behaviour.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

import { Encoding, TokenizerError, encodingNames, init, loadEncoding } from "../index.js";
import { dataDir, rankFile, reference, wasmPath } from "./helpers.mjs";

await init(readFileSync(wasmPath));
const expected = reference();
const ENCODINGS = ["r50k_base", "gpt2", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"];
const CORPORA = ["tokenizer/corpus.json", "tokenizer/adversarial.json"];
const encodings = Object.fromEntries(ENCODINGS.map((name) => [name, new Encoding(name, rankFile(name))]));

for (const name of ENCODINGS) {
    describe(name, () => {
        const enc = encodings[name];
        for (const corpus of CORPORA) {
            test(`ids of every text of ${corpus} are the native encoder's`, () => {
                const texts = JSON.parse(readFileSync(join(dataDir(), corpus), "utf8"));
                const want = expected[name][corpus];
                const entries = Array.isArray(texts) ? texts.map((t, i) => [i, t]) : Object.entries(texts);
                assert.equal(entries.length, Object.keys(want).length);
                for (const [key, text] of entries) {
                    const ids = enc.encode(text);
                    assert.deepEqual(Array.from(ids), want[key], `${corpus} [${key}]`);
                    assert.equal(enc.countTokens(text), ids.length);
                    assert.deepEqual(Array.from(enc.encodeOrdinary(text)), want[key]);
                    assert.equal(enc.decode(ids), text.toWellFormed ? text.toWellFormed() : text, `${corpus} [${key}] round trip`);
                }
            });
        }

        test("special tokens, allowed, as the native encoder", () => {
            expected.special_texts.forEach((text, i) => {
                const want = expected[name].specials[i];
                if (typeof want === "string") {
                    assert.throws(() => enc.encode(text, { allowedSpecial: "all" }), TokenizerError);
                } else {
                    assert.deepEqual(Array.from(enc.encode(text, { allowedSpecial: "all" })), want, text);
                }
            });
        });
    });
}

describe("special tokens (tiktoken's rules)", () => {
    const enc = encodings.cl100k_base;

    test("disallowed by default: tiktoken's error", () => {
        assert.throws(
            () => enc.encode("hello <|endoftext|>"),
            (e) =>
                e instanceof TokenizerError &&
                e.kind === "DisallowedSpecialToken" &&
                e.message.startsWith("Encountered text corresponding to disallowed special token '<|endoftext|>'."),
        );
        assert.throws(() => enc.countTokens("<|fim_prefix|>"), TokenizerError);
    });

    test("allowed all, allowed some, disallowed none", () => {
        assert.deepEqual(Array.from(enc.encode("hello <|endoftext|>", { allowedSpecial: "all" })), [15339, 220, 100257]);
        assert.deepEqual(Array.from(enc.encode("hello <|endoftext|>", { allowedSpecial: new Set(["<|endoftext|>"]) })), [
            15339, 220, 100257,
        ]);
        // Allowing one special token still refuses the others (disallowed "all" = the rest).
        assert.throws(() => enc.encode("<|fim_prefix|><|endoftext|>", { allowedSpecial: ["<|endoftext|>"] }), TokenizerError);
        // Disallowing nothing encodes special-token text as ordinary text.
        const ordinary = Array.from(enc.encode("<|endoftext|>", { disallowedSpecial: "none" }));
        assert.deepEqual(ordinary, Array.from(enc.encodeOrdinary("<|endoftext|>")));
        assert.deepEqual(Array.from(enc.encode("<|endoftext|>", { disallowedSpecial: [] })), ordinary);
        // A disallowed text that is not a special token is refused too (as tiktoken).
        assert.throws(() => enc.encode("a banana", { disallowedSpecial: ["banana"] }), TokenizerError);
        assert.equal(enc.countTokens("hello <|endoftext|>", { allowedSpecial: "all" }), 3);
    });

    test("special tokens of the encoding", () => {
        assert.equal(enc.specialTokens.get("<|endoftext|>"), 100257);
        assert.equal(enc.specialTokens.get("<|endofprompt|>"), 100276);
        assert.equal(enc.nVocab, 100277);
        assert.equal(enc.decode([100257]), "<|endoftext|>");
    });
});

describe("decoding and errors", () => {
    const enc = encodings.cl100k_base;

    test("decodeBytes keeps bytes that decode replaces", () => {
        const ids = enc.encode("héllo 😀");
        const bytes = enc.decodeBytes(ids);
        assert.equal(new TextDecoder().decode(bytes), "héllo 😀");
        const partial = ids.filter((id) => enc.decodeBytes([id]).length === 1 && enc.decodeBytes([id])[0] >= 0x80);
        if (partial.length) assert.equal(enc.decode(partial.slice(0, 1)), "\uFFFD");
    });

    test("unknown token ids, names and rank files are errors", () => {
        assert.throws(() => enc.decode([100261]), (e) => e.kind === "UnknownToken" && e.message === "Invalid token for decoding: 100261");
        assert.throws(() => new Encoding("cl100k", rankFile("cl100k_base")), (e) => e.kind === "UnknownEncoding");
        assert.throws(() => new Encoding("cl100k_base", rankFile("r50k_base")), (e) => e.kind === "InvalidVocabulary");
        assert.throws(() => new Encoding("cl100k_base", new TextEncoder().encode("not base64 !\n")), (e) => e.kind === "InvalidVocabulary");
    });

    test("freed encodings say so", () => {
        const enc = new Encoding("r50k_base", rankFile("r50k_base"));
        assert.deepEqual(Array.from(enc.encode("hello world")), [31373, 995]);
        enc.free();
        assert.throws(() => enc.encode("hello"), /freed/);
    });

    test("loadEncoding and the names", async () => {
        const enc = await loadEncoding("o200k_base", rankFile("o200k_base"));
        assert.deepEqual(Array.from(enc.encode("hello world")), [24912, 2375]);
        assert.ok(encodingNames().includes("o200k_harmony"));
    });
});
