// The tokenizer-wasm benchmark: @pyaot/tokenizer (libs/tokenizer/wasm) against the JavaScript
// tokenizers gpt-tokenizer and js-tiktoken, in Node.
//
//   node bench-harness/node/tokenizer_wasm.mjs [--quick] [--out DIR]
//
// It first builds the module (cargo, `--profile wasm`) and installs the pinned peers with
// `npm ci` into bench-harness/node/node_modules (git-ignored; package-lock.json is committed).
//
// For each encoding (cl100k_base, o200k_base) and corpus (corpus.json, corpus_large.json):
// 1. check: every engine's ids for every text equal ours (a wrong engine is reported, not timed);
// 2. cold: a fresh Node process per engine (5 runs, 3 with --quick; the median is reported)
//    loads the tokenizer (timed apart: `load`) and encodes the corpus once (`first pass`);
// 3. warm: in this process, passes over the corpus, engines interleaved (15 samples, 5 with --quick).
// `encode(text)` everywhere, with each library's default special-token checks (tiktoken's).
// Results: DIR/tokenizer-wasm/table.md and raw/node.json (DIR defaults to
// bench-harness/results/<date>-<host>, as pyaot-bench).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const dataDir = process.env.PYAOT_DATA || join(root, "..", "shared", "data");

const ENGINES = ["pyaot-wasm", "gpt-tokenizer", "js-tiktoken"];
const ENCODINGS = ["cl100k_base", "o200k_base"];
const CORPORA = ["tokenizer/corpus.json", "tokenizer/corpus_large.json"];

/** Loads an engine: a function from text to token ids. */
async function load(engine, encoding) {
    if (engine === "pyaot-wasm") {
        const { loadEncoding } = await import(join(root, "libs/tokenizer/wasm/index.js"));
        const enc = await loadEncoding(encoding, readFileSync(join(root, "libs/tokenizer/vocab", `${encoding}.tiktoken`)));
        return (text) => enc.encode(text);
    }
    if (engine === "gpt-tokenizer") {
        const { encode } = await import(`gpt-tokenizer/encoding/${encoding}`);
        return (text) => encode(text);
    }
    if (engine === "js-tiktoken") {
        const { Tiktoken } = await import("js-tiktoken/lite");
        const { default: ranks } = await import(`js-tiktoken/ranks/${encoding}`);
        const enc = new Tiktoken(ranks);
        return (text) => enc.encode(text);
    }
    throw new Error(`unknown engine ${engine}`);
}

function texts(corpus) {
    const value = JSON.parse(readFileSync(join(dataDir, corpus), "utf8"));
    return Array.isArray(value) ? value : Object.values(value);
}

/** A digest of every text's ids, to check a run in another process. */
function digest(all) {
    const hash = createHash("sha256");
    for (const ids of all) hash.update(Uint32Array.from(ids)).update("\n");
    return hash.digest("hex");
}

/** `--cold ENGINE ENCODING CORPUS`: one cold run, printed as JSON. */
async function cold(engine, encoding, corpus) {
    const input = texts(corpus);
    const start = performance.now();
    const encode = await load(engine, encoding);
    const loaded = performance.now();
    const all = input.map(encode);
    const done = performance.now();
    console.log(JSON.stringify({ load_ms: loaded - start, first_pass_ms: done - loaded, digest: digest(all) }));
}

/** Builds the module and installs the peers. */
function prepare() {
    const run = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    run("cargo", ["build", "--quiet", "-p", "pyaot-tokenizer-wasm", "--target", "wasm32-unknown-unknown", "--profile", "wasm"], root);
    const target = process.env.CARGO_TARGET_DIR || join(root, "target");
    copyFileSync(join(target, "wasm32-unknown-unknown/wasm/pyaot_tokenizer_wasm.wasm"), join(root, "libs/tokenizer/wasm/pyaot_tokenizer.wasm"));
    run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], here);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stdev = (xs) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function same(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
}

async function main() {
    const args = process.argv.slice(2);
    if (args[0] === "--cold") return cold(args[1], args[2], args[3]);
    prepare();
    const quick = args.includes("--quick");
    const outAt = args.indexOf("--out");
    const day = new Date().toISOString().slice(0, 10);
    const out = outAt >= 0 ? args[outAt + 1] : join(root, "bench-harness/results", `${day}-${hostname().split(".")[0]}`);
    const coldRuns = quick ? 3 : 5;
    const samples = quick ? 5 : 15;
    const versions = {
        "pyaot-wasm": `@pyaot/tokenizer ${JSON.parse(readFileSync(join(root, "libs/tokenizer/wasm/package.json"))).version} (${readFileSync(join(root, "libs/tokenizer/wasm/pyaot_tokenizer.wasm")).length} bytes of wasm)`,
        "gpt-tokenizer": `gpt-tokenizer ${JSON.parse(readFileSync(join(here, "node_modules/gpt-tokenizer/package.json"))).version}`,
        "js-tiktoken": `js-tiktoken ${JSON.parse(readFileSync(join(here, "node_modules/js-tiktoken/package.json"))).version}`,
    };
    const rows = [];
    for (const encoding of ENCODINGS) {
        const engines = {};
        for (const engine of ENGINES) engines[engine] = await load(engine, encoding);
        for (const corpus of CORPORA) {
            const input = texts(corpus);
            const bytes = input.reduce((n, t) => n + Buffer.byteLength(t), 0);
            const expected = input.map(engines["pyaot-wasm"]);
            const row = { encoding, corpus, bytes, results: {} };
            for (const engine of ENGINES) {
                const got = input.map(engines[engine]);
                const bad = got.findIndex((ids, i) => !same(ids, expected[i]));
                if (bad >= 0) {
                    row.results[engine] = { wrong: `text ${bad}: ${got[bad].length} ids instead of ${expected[bad].length}` };
                    continue;
                }
                const runs = [];
                for (let r = 0; r < coldRuns; r++) {
                    const line = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--cold", engine, encoding, corpus], {
                        cwd: here,
                        encoding: "utf8",
                    });
                    const run = JSON.parse(line);
                    if (run.digest !== digest(expected)) throw new Error(`${engine} gave other ids in a fresh process`);
                    runs.push(run);
                }
                row.results[engine] = {
                    load_ms: median(runs.map((r) => r.load_ms)),
                    first_pass_ms: median(runs.map((r) => r.first_pass_ms)),
                    cold_runs: runs,
                    warm_ms: [],
                };
            }
            for (let s = 0; s < samples; s++) {
                for (const engine of ENGINES) {
                    const result = row.results[engine];
                    if (result.wrong) continue;
                    const start = performance.now();
                    for (const text of input) engines[engine](text);
                    result.warm_ms.push(performance.now() - start);
                }
            }
            rows.push(row);
            console.error(`${encoding} ${corpus}: done`);
        }
    }
    const dir = join(out, "tokenizer-wasm");
    mkdirSync(join(dir, "raw"), { recursive: true });
    writeFileSync(join(dir, "raw", "node.json"), JSON.stringify({ node: process.version, versions, rows }, null, 1));
    const table = report(rows, versions, quick, coldRuns, samples);
    writeFileSync(join(dir, "table.md"), table);
    console.log(table);
    console.log(`wrote ${dir}`);
}

function report(rows, versions, quick, coldRuns, samples) {
    const lines = [
        "# tokenizer-wasm",
        "",
        "`encode(text)` of every text of the corpus in Node, one call per text: @pyaot/tokenizer (the WASM build of pyaot-tokenizer, rank file read from disk) against the JavaScript tokenizers gpt-tokenizer and js-tiktoken (ranks bundled in their modules). Every engine's ids were checked equal to ours for every text before timing.",
        "",
        `Cold: a fresh \`node\` process per run (median of ${coldRuns}): **load** is importing the library and making the tokenizer (ours: compile the module, read and parse the rank file, build the tables), **first pass** the first pass over the corpus after it. Warm: the mean ± standard deviation of ${samples} later passes in one process, engines interleaved. Ratios are gpt-tokenizer's time over the engine's (2.00× is twice as fast as gpt-tokenizer).${quick ? " (--quick)" : ""}`,
        "",
        `| case | engine | load | first pass (cold) | first pass vs gpt-tokenizer | warm pass | warm vs gpt-tokenizer | warm throughput |`,
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ];
    for (const row of rows) {
        const base = row.results["gpt-tokenizer"];
        for (const engine of ENGINES) {
            const r = row.results[engine];
            const name = `${row.encoding.replace("_base", "")}-${row.corpus.replace("tokenizer/", "").replace(".json", "")}`;
            if (r.wrong) {
                lines.push(`| ${name} | ${engine} | WRONG: ${r.wrong} | | | | | |`);
                continue;
            }
            const warm = mean(r.warm_ms);
            const ratio = (a, b) => (base.wrong ? "" : `${(a / b).toFixed(2)}×`);
            lines.push(
                `| ${name} | ${engine} | ${ms(r.load_ms)} ms | ${ms(r.first_pass_ms)} ms | ${ratio(base.first_pass_ms, r.first_pass_ms)} | ${ms(warm)} ms ± ${ms(stdev(r.warm_ms))} ms | ${ratio(mean(base.warm_ms), warm)} | ${(row.bytes / warm / 1000).toFixed(0)} MB/s |`,
            );
        }
    }
    lines.push("", "Engines:", "");
    for (const engine of ENGINES) lines.push(`- ${engine}: ${versions[engine]}`);
    lines.push(`- node: ${process.version}`, "");
    return lines.join("\n");
}

await main();
