/** The built-in encodings. */
export type EncodingName = "gpt2" | "r50k_base" | "p50k_base" | "p50k_edit" | "cl100k_base" | "o200k_base" | "o200k_harmony";

/** Which special tokens: every one ("all"), none ("none"), or these texts. */
export type SpecialTokens = "all" | "none" | Iterable<string>;

export interface EncodeOptions {
    /** Special-token texts to encode as special tokens (default: "none"). */
    allowedSpecial?: SpecialTokens;
    /** Texts whose presence is an error (default: "all", every special token not allowed; tiktoken's rule). */
    disallowedSpecial?: SpecialTokens;
}

/** What went wrong. */
export type ErrorKind =
    | "Error"
    | "UnknownEncoding"
    | "InvalidVocabulary"
    | "InvalidPattern"
    | "DisallowedSpecialToken"
    | "Split"
    | "UnknownToken"
    | "NotAToken"
    | "InvalidUtf8"
    | "InvalidText";

/** An error from the tokenizer, with tiktoken's message. */
export class TokenizerError extends Error {
    readonly kind: ErrorKind;
}

/** The WebAssembly module as bytes, a compiled module, or a URL (default: `pyaot_tokenizer.wasm` beside `index.js`). */
export type WasmSource = BufferSource | WebAssembly.Module | URL;

/** Loads the WebAssembly module once (later calls return at once). */
export function init(source?: WasmSource): Promise<void>;

/** A built-in encoding with the ranks of its `.tiktoken` file (after `init`). */
export class Encoding {
    constructor(name: EncodingName, rankFile: Uint8Array | ArrayBuffer);
    readonly name: EncodingName;
    /** The highest token id plus one. */
    readonly nVocab: number;
    /** The special tokens: text to id. */
    readonly specialTokens: ReadonlyMap<string, number>;
    /** tiktoken's `encode`: throws a `DisallowedSpecialToken` error on disallowed special-token text. */
    encode(text: string, options?: EncodeOptions): Uint32Array;
    /** tiktoken's `encode_ordinary`: special-token text is ordinary text. */
    encodeOrdinary(text: string): Uint32Array;
    /** The number of tokens `encode` gives, without copying them out. */
    countTokens(text: string, options?: EncodeOptions): number;
    /** The text of `tokens` (invalid UTF-8 becomes U+FFFD). */
    decode(tokens: ArrayLike<number>): string;
    /** The bytes of `tokens`. */
    decodeBytes(tokens: ArrayLike<number>): Uint8Array;
    /** Frees the encoding's memory now. */
    free(): void;
}

/** `init(wasmSource)`, then `new Encoding(name, rankFile)`. */
export function loadEncoding(name: EncodingName, rankFile: Uint8Array | ArrayBuffer, wasmSource?: WasmSource): Promise<Encoding>;

/** The names of the built-in encodings. */
export function encodingNames(): EncodingName[];
