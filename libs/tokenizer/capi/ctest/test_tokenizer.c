/*
 * The C ABI of pyaot-tokenizer, exercised from C: every exported function, with expected token
 * ids and messages taken from tiktoken 0.14 (each expected value says which tiktoken call gives
 * it).
 *
 * scripts/test compiles and runs it from the repository root:
 *   cargo build -p pyaot-tokenizer-capi
 *   cc -std=c11 -Wall -Wextra -Werror -I libs/tokenizer/capi/include \
 *       libs/tokenizer/capi/ctest/test_tokenizer.c target/debug/libpyaot_tokenizer_capi.a \
 *       -lpthread -ldl -lm && ./a.out
 * It reads the shared rank file vocab/r50k_base.tiktoken from $PYAOT_DATA, or from
 * ../shared/data relative to the current directory when PYAOT_DATA is unset or empty (the rules
 * of libs/testdata). It exits non-zero at the first failed check, and frees everything it
 * creates: check with
 *   valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=1 ./a.out
 * (the built-in encodings live until the process ends, by design; valgrind calls some of their
 * hash tables "possibly lost" because only pointers into the middle of them remain).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyaot_tokenizer.h"

static int checks = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        checks++;                                                                      \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                   \
        }                                                                              \
    } while (0)

/* A string literal as `const uint8_t *, size_t` (the length counts embedded NULs). */
#define TEXT(lit) (const uint8_t *)(lit), sizeof(lit) - 1

/* A string literal as a pyaot_tokenizer_text. */
#define TEXT_STRUCT(lit) {(const uint8_t *)(lit), sizeof(lit) - 1}

/* Whether `len` bytes at `data` are exactly the `expected_len` bytes at `expected`. */
static bool bytes_equal(const uint8_t *data, size_t len, const char *expected, size_t expected_len) {
    return data != NULL && len == expected_len && memcmp(data, expected, len) == 0;
}

/* Checks token ids, printing both lists when they differ:
 * CHECK_TOKENS(tokens, 15339, 1917). */
#define CHECK_TOKENS(tokens, ...)                                           \
    check_tokens(__LINE__, tokens, (const uint32_t[]){__VA_ARGS__},        \
                 sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t))
static void check_tokens(int line, const pyaot_tokenizer_tokens *tokens, const uint32_t *expected, size_t len) {
    const uint32_t *data = pyaot_tokenizer_tokens_get_data(tokens);
    size_t got = pyaot_tokenizer_tokens_get_len(tokens);
    checks++;
    if (data == NULL || got != len || memcmp(data, expected, len * sizeof(uint32_t)) != 0) {
        fprintf(stderr, "%s:%d: tokens differ\n  expected:", __FILE__, line);
        for (size_t i = 0; i < len; i++) fprintf(stderr, " %u", expected[i]);
        fprintf(stderr, "\n  got:     ");
        for (size_t i = 0; data != NULL && i < got; i++) fprintf(stderr, " %u", data[i]);
        fprintf(stderr, "\n");
        exit(1);
    }
}

/* Checks bytes (and their trailing NUL), printing both texts when they differ. */
#define CHECK_BYTES(bytes, lit) check_bytes(__LINE__, bytes, lit, sizeof(lit) - 1)
static void check_bytes(int line, const pyaot_tokenizer_bytes *bytes, const char *expected, size_t len) {
    const uint8_t *data = pyaot_tokenizer_bytes_get_data(bytes);
    size_t got = pyaot_tokenizer_bytes_get_len(bytes);
    checks++;
    if (!bytes_equal(data, got, expected, len) || data[got] != 0) {
        fprintf(stderr, "%s:%d: bytes differ\n--- expected (%zu bytes)\n%.*s\n--- got (%zu bytes)\n%.*s\n", __FILE__,
                line, len, (int)len, expected, got, (int)got, data ? (const char *)data : "");
        exit(1);
    }
}

/* Checks an error's result code and message, then frees it. */
#define CHECK_ERROR(error, result, message) check_error(__LINE__, error, result, message)
static void check_error(int line, pyaot_tokenizer_error *error, pyaot_tokenizer_result result, const char *message) {
    const char *got = pyaot_tokenizer_error_get_message(error);
    checks++;
    if (error == NULL || pyaot_tokenizer_error_get_result(error) != result || strcmp(got, message) != 0) {
        fprintf(stderr, "%s:%d: wrong error: result %u, message \"%s\"\n  expected result %u, message \"%s\"\n",
                __FILE__, line, (unsigned)pyaot_tokenizer_error_get_result(error), got ? got : "(null)",
                (unsigned)result, message);
        exit(1);
    }
    pyaot_tokenizer_error_free(error);
}

/* The built-in encoding `name`. */
static const pyaot_tokenizer_encoding *get(const char *name) {
    const pyaot_tokenizer_encoding *encoding = NULL;
    CHECK(pyaot_tokenizer_encoding_get((const uint8_t *)name, strlen(name), &encoding, NULL) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(encoding != NULL);
    return encoding;
}

/* Encodes `text` with `encode_ordinary`, checking that it succeeds. */
static pyaot_tokenizer_tokens *ordinary(const pyaot_tokenizer_encoding *encoding, const uint8_t *text, size_t len) {
    pyaot_tokenizer_tokens *tokens = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode_ordinary(encoding, text, len, &tokens, &error) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(tokens != NULL && error == NULL);
    return tokens;
}

/* Encodes `text` with special-token choices, checking that it succeeds. */
static pyaot_tokenizer_tokens *encode(const pyaot_tokenizer_encoding *encoding, const uint8_t *text, size_t len,
                                      const pyaot_tokenizer_special *allowed,
                                      const pyaot_tokenizer_special *disallowed) {
    pyaot_tokenizer_tokens *tokens = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode(encoding, text, len, allowed, disallowed, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(tokens != NULL && error == NULL);
    return tokens;
}

/* Whether two token lists are equal. */
static bool same_tokens(const pyaot_tokenizer_tokens *a, const pyaot_tokenizer_tokens *b) {
    size_t len = pyaot_tokenizer_tokens_get_len(a);
    return len == pyaot_tokenizer_tokens_get_len(b) &&
           memcmp(pyaot_tokenizer_tokens_get_data(a), pyaot_tokenizer_tokens_get_data(b), len * sizeof(uint32_t)) == 0;
}

static const char *const BUILTIN_NAMES[] = {"gpt2",        "r50k_base",  "p50k_base",    "p50k_edit",
                                            "cl100k_base", "o200k_base", "o200k_harmony"};
#define BUILTIN_COUNT (sizeof(BUILTIN_NAMES) / sizeof(BUILTIN_NAMES[0]))

/* Texts that must survive encode + decode unchanged with every encoding. */
static const char *const ROUND_TRIP[] = {
    "hello world",
    "",
    "Hello, World! It's a test; they'll've done it.",
    "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80! "
    "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
    "  leading spaces\n\n\ttabs and CRLF\r\n   trailing   ",
    "numbers 1234567890 3.14159 -42",
    "def f(x):\n    return x ** 2  # comment\n",
    "<|endoftext|> stays ordinary text here <|fim_prefix|>",
};
#define ROUND_TRIP_COUNT (sizeof(ROUND_TRIP) / sizeof(ROUND_TRIP[0]))

/* tiktoken's ValueError for the disallowed special token '<|endoftext|>'. */
static const char DISALLOWED_ENDOFTEXT[] =
    "Encountered text corresponding to disallowed special token '<|endoftext|>'.\n"
    "If you want this text to be encoded as a special token, pass it to `allowed_special`, "
    "e.g. `allowed_special={'<|endoftext|>', ...}`.\n"
    "If you want this text to be encoded as normal text, disable the check for this token by passing "
    "`disallowed_special=(enc.special_tokens_set - {'<|endoftext|>'})`.\n"
    "To disable this check for all special tokens, pass `disallowed_special=()`.\n";

static void test_result_describe(void) {
    CHECK(strcmp(pyaot_tokenizer_result_describe(PYAOT_TOKENIZER_RESULT_OK), "ok") == 0);
    CHECK(strcmp(pyaot_tokenizer_result_describe(PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN),
                 "disallowed special token") == 0);
    CHECK(strcmp(pyaot_tokenizer_result_describe(PYAOT_TOKENIZER_RESULT_INVALID_UTF8), "text is not valid utf-8") == 0);
    for (uint32_t code = PYAOT_TOKENIZER_RESULT_OK; code <= PYAOT_TOKENIZER_RESULT_PANIC; code++)
        CHECK(strcmp(pyaot_tokenizer_result_describe(code), "unknown result code") != 0);
    CHECK(strcmp(pyaot_tokenizer_result_describe(PYAOT_TOKENIZER_RESULT_PANIC + 1), "unknown result code") == 0);
    CHECK(strcmp(pyaot_tokenizer_result_describe(UINT32_MAX), "unknown result code") == 0);
}

static void test_builtin_encodings(void) {
    /* tiktoken.get_encoding(name).n_vocab, .max_token_value and .eot_token */
    static const size_t n_vocab[] = {50257, 50257, 50281, 50284, 100277, 200019, 201088};
    static const uint32_t eot[] = {50256, 50256, 50256, 50256, 100257, 199999, 199999};
    for (size_t i = 0; i < BUILTIN_COUNT; i++) {
        const pyaot_tokenizer_encoding *encoding = get(BUILTIN_NAMES[i]);
        CHECK(get(BUILTIN_NAMES[i]) == encoding); /* built once, shared */
        CHECK(pyaot_tokenizer_encoding_get_n_vocab(encoding) == n_vocab[i]);
        CHECK(pyaot_tokenizer_encoding_get_max_token_value(encoding) == n_vocab[i] - 1);
        uint32_t token = 0;
        CHECK(pyaot_tokenizer_encoding_get_eot_token(encoding, &token) == PYAOT_TOKENIZER_RESULT_OK);
        CHECK(token == eot[i]);
        CHECK(pyaot_tokenizer_encoding_is_special_token(encoding, eot[i]));
        CHECK(!pyaot_tokenizer_encoding_is_special_token(encoding, 0));
        /* Freeing a built-in does nothing: it stays usable. */
        pyaot_tokenizer_encoding_free(encoding);
        CHECK(pyaot_tokenizer_encoding_get_n_vocab(encoding) == n_vocab[i]);
    }
    CHECK(get("gpt2") != get("r50k_base")); /* same ranks, separate encodings, as in tiktoken */

    /* enc._special_tokens['<|endofprompt|>'] */
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    uint32_t token = 0;
    CHECK(pyaot_tokenizer_encoding_get_special_token(cl100k, TEXT("<|endofprompt|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 100276);
    CHECK(pyaot_tokenizer_encoding_get_special_token(get("o200k_harmony"), TEXT("<|start|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 200006);
    CHECK(pyaot_tokenizer_encoding_get_special_token(get("gpt2"), TEXT("<|endofprompt|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    CHECK(pyaot_tokenizer_encoding_get_special_token(cl100k, TEXT("hello"), &token) ==
          PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    CHECK(pyaot_tokenizer_encoding_get_special_token(cl100k, TEXT("<|\xff|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK(token == 200006); /* not written on failure */

    /* The split pattern (enc._pat_str); gpt2 and r50k_base share theirs. */
    const uint8_t *pattern = NULL, *other = NULL;
    size_t pattern_len = 0, other_len = 0;
    CHECK(pyaot_tokenizer_encoding_get_pattern(get("gpt2"), &pattern, &pattern_len) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(pyaot_tokenizer_encoding_get_pattern(get("r50k_base"), &other, &other_len) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(pattern_len > 0 && pattern_len == other_len && memcmp(pattern, other, pattern_len) == 0);
    CHECK(memcmp(pattern, "'(?:[sdmt]|ll|ve|re)|", 21) == 0);
    CHECK(pyaot_tokenizer_encoding_get_pattern(cl100k, &other, &other_len) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(other_len != pattern_len || memcmp(pattern, other, pattern_len) != 0);

    /* tiktoken.get_encoding('nope') raises ValueError("Unknown encoding nope.\nPlugins found: ..."):
     * the message is its first line. */
    const pyaot_tokenizer_encoding *encoding = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_get(TEXT("nope"), &encoding, &error) == PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING);
    CHECK(encoding == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING, "Unknown encoding nope.");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_get(TEXT("cl100k_base "), &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING, "Unknown encoding cl100k_base .");
    /* A NUL inside the name is shown escaped, so the message stays one C string. */
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_get(TEXT("gpt2\0x"), &encoding, &error) == PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING, "Unknown encoding gpt2\\0x.");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_get(TEXT("gpt\xff"), &encoding, &error) == PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "the encoding name is not UTF-8 after byte 3");
    CHECK(pyaot_tokenizer_encoding_get(TEXT(""), &encoding, NULL) == PYAOT_TOKENIZER_RESULT_UNKNOWN_ENCODING);
    CHECK(encoding == NULL);
}

static void test_encode_ordinary_and_count(void) {
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    /* tiktoken.get_encoding('cl100k_base').encode_ordinary('hello world') */
    pyaot_tokenizer_tokens *tokens = ordinary(cl100k, TEXT("hello world"));
    CHECK_TOKENS(tokens, 15339, 1917);
    pyaot_tokenizer_tokens_free(tokens);
    /* tiktoken.get_encoding('gpt2').encode_ordinary('hello world') */
    tokens = ordinary(get("gpt2"), TEXT("hello world"));
    CHECK_TOKENS(tokens, 31373, 995);
    pyaot_tokenizer_tokens_free(tokens);
    /* tiktoken.get_encoding('o200k_base').encode_ordinary('hello world') */
    tokens = ordinary(get("o200k_base"), TEXT("hello world"));
    CHECK_TOKENS(tokens, 24912, 2375);
    pyaot_tokenizer_tokens_free(tokens);
    /* Special-token text is ordinary text here: encode_ordinary('<|endoftext|>') */
    tokens = ordinary(cl100k, TEXT("<|endoftext|>"));
    CHECK_TOKENS(tokens, 27, 91, 8862, 728, 428, 91, 29);
    pyaot_tokenizer_tokens_free(tokens);
    /* encode_ordinary('👍') and encode_ordinary('today\n \n') */
    tokens = ordinary(cl100k, TEXT("\xf0\x9f\x91\x8d"));
    CHECK_TOKENS(tokens, 9468, 239, 235);
    pyaot_tokenizer_tokens_free(tokens);
    tokens = ordinary(cl100k, TEXT("today\n \n"));
    CHECK_TOKENS(tokens, 31213, 27907);
    pyaot_tokenizer_tokens_free(tokens);

    /* No text, no tokens; the data pointer is still not NULL. */
    tokens = ordinary(cl100k, TEXT(""));
    CHECK(pyaot_tokenizer_tokens_get_len(tokens) == 0);
    CHECK(pyaot_tokenizer_tokens_get_data(tokens) != NULL);
    pyaot_tokenizer_tokens_free(tokens);

    /* count_ordinary agrees with encode_ordinary. */
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) {
        size_t count = 12345;
        const uint8_t *text = (const uint8_t *)ROUND_TRIP[i];
        tokens = ordinary(cl100k, text, strlen(ROUND_TRIP[i]));
        CHECK(pyaot_tokenizer_encoding_count_ordinary(cl100k, text, strlen(ROUND_TRIP[i]), &count, NULL) ==
              PYAOT_TOKENIZER_RESULT_OK);
        CHECK(count == pyaot_tokenizer_tokens_get_len(tokens));
        pyaot_tokenizer_tokens_free(tokens);
    }

    /* Invalid UTF-8 input is refused with a message saying where; outputs are left alone. */
    tokens = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode_ordinary(cl100k, TEXT("hello \xff world"), &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK(tokens == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "the text is not UTF-8 after byte 6");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode_ordinary(cl100k, TEXT("caf\xc3"), &tokens, NULL) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    /* Surrogates encoded as three bytes are not UTF-8 (unlike in pyaot_json). */
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("\xed\xa0\x80"), NULL, NULL, &tokens, NULL) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    size_t count = 7;
    CHECK(pyaot_tokenizer_encoding_count_ordinary(cl100k, TEXT("\x80"), &count, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK(count == 7 && tokens == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "the text is not UTF-8 after byte 0");
}

static void test_special_tokens(void) {
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    const pyaot_tokenizer_special all = {PYAOT_TOKENIZER_SPECIAL_KIND_ALL, NULL, 0};
    const pyaot_tokenizer_special none = {PYAOT_TOKENIZER_SPECIAL_KIND_NONE, NULL, 0};

    /* enc.encode('hello <|endoftext|>', allowed_special='all') */
    pyaot_tokenizer_tokens *tokens = encode(cl100k, TEXT("hello <|endoftext|>"), &all, NULL);
    CHECK_TOKENS(tokens, 15339, 220, 100257);
    pyaot_tokenizer_tokens_free(tokens);
    /* disallowed 'all' means every special token not allowed: nothing here. */
    tokens = encode(cl100k, TEXT("hello <|endoftext|>"), &all, &all);
    CHECK_TOKENS(tokens, 15339, 220, 100257);
    pyaot_tokenizer_tokens_free(tokens);

    /* enc.encode('hello <|endoftext|>') raises tiktoken's ValueError; nothing is written. */
    tokens = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("hello <|endoftext|>"), NULL, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    CHECK(tokens == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN, DISALLOWED_ENDOFTEXT);
    /* A zeroed choice is "none": the same as NULL for allowed. */
    pyaot_tokenizer_special zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("<|endoftext|>"), &zeroed, NULL, &tokens, NULL) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    /* gpt2 and o200k_base too: enc.encode('<|endoftext|>') */
    CHECK(pyaot_tokenizer_encoding_encode(get("gpt2"), TEXT("x<|endoftext|>"), NULL, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN, DISALLOWED_ENDOFTEXT);
    CHECK(tokens == NULL);

    /* enc.encode('hello <|endoftext|>', disallowed_special=()): ordinary text. */
    tokens = encode(cl100k, TEXT("hello <|endoftext|>"), NULL, &none);
    pyaot_tokenizer_tokens *plain = ordinary(cl100k, TEXT("hello <|endoftext|>"));
    CHECK(same_tokens(tokens, plain));
    CHECK_TOKENS(plain, 15339, 83739, 8862, 728, 428, 91, 29);
    pyaot_tokenizer_tokens_free(tokens);
    pyaot_tokenizer_tokens_free(plain);
    /* Text without special tokens is unaffected by the default. */
    tokens = encode(cl100k, TEXT("hello world"), NULL, NULL);
    CHECK_TOKENS(tokens, 15339, 1917);
    pyaot_tokenizer_tokens_free(tokens);

    /* Lists. enc.encode(text, allowed_special={'<|fim_prefix|>'}) with the default
     * disallowed_special='all' still refuses '<|endoftext|>'. */
    const pyaot_tokenizer_text fim_texts[] = {TEXT_STRUCT("<|fim_prefix|>"), TEXT_STRUCT("not a special token")};
    const pyaot_tokenizer_special fim = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, fim_texts, 2};
    const pyaot_tokenizer_text eot_texts[] = {TEXT_STRUCT("<|endoftext|>")};
    const pyaot_tokenizer_special eot = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, eot_texts, 1};
    tokens = encode(cl100k, TEXT("<|fim_prefix|>hello"), &fim, NULL);
    CHECK_TOKENS(tokens, 100258, 15339);
    pyaot_tokenizer_tokens_free(tokens);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("<|fim_prefix|><|endoftext|>"), &fim, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN, DISALLOWED_ENDOFTEXT);
    /* enc.encode(text, allowed_special={'<|fim_prefix|>'}, disallowed_special=()) */
    tokens = encode(cl100k, TEXT("<|fim_prefix|><|endoftext|>"), &fim, &none);
    CHECK_TOKENS(tokens, 100258, 27, 91, 8862, 728, 428, 91, 29);
    pyaot_tokenizer_tokens_free(tokens);
    /* enc.encode(text, disallowed_special={'<|fim_prefix|>'}): only that one is refused, with its
     * own message. */
    tokens = encode(cl100k, TEXT("hello <|endoftext|>"), NULL, &fim);
    plain = ordinary(cl100k, TEXT("hello <|endoftext|>"));
    CHECK(same_tokens(tokens, plain));
    pyaot_tokenizer_tokens_free(tokens);
    pyaot_tokenizer_tokens_free(plain);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("<|endoftext|> hello <|fim_prefix|>"), NULL, &fim, &tokens,
                                          &error) == PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    CHECK(strncmp(pyaot_tokenizer_error_get_message(error),
                  "Encountered text corresponding to disallowed special token '<|fim_prefix|>'.\n", 77) == 0);
    pyaot_tokenizer_error_free(error);
    error = NULL;
    /* A token both allowed and disallowed is refused (tiktoken checks disallowed first). */
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("<|endoftext|>"), &eot, &eot, &tokens, NULL) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    tokens = encode(cl100k, TEXT("a<|endoftext|>b"), &eot, NULL);
    CHECK_TOKENS(tokens, 64, 100257, 65);
    pyaot_tokenizer_tokens_free(tokens);
    /* An empty list is "none", and may have a NULL pointer. */
    const pyaot_tokenizer_special empty = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, NULL, 0};
    tokens = encode(cl100k, TEXT("<|endoftext|>"), &empty, &empty);
    CHECK_TOKENS(tokens, 27, 91, 8862, 728, 428, 91, 29);
    pyaot_tokenizer_tokens_free(tokens);

    /* Bad choices: an unknown kind, a NULL list with a count, a list entry that is not UTF-8. */
    tokens = NULL;
    const pyaot_tokenizer_special unknown = {7, NULL, 0};
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), &unknown, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), NULL, &unknown, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    const pyaot_tokenizer_special null_list = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, NULL, 1};
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), &null_list, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    const pyaot_tokenizer_text null_text[] = {{NULL, 0}};
    const pyaot_tokenizer_special null_entry = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, null_text, 1};
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), NULL, &null_entry, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(tokens == NULL && error == NULL); /* INVALID_ARGUMENT writes no error */
    const pyaot_tokenizer_text bad_texts[] = {TEXT_STRUCT("<|endoftext|>"), TEXT_STRUCT("<|\xc3|>")};
    const pyaot_tokenizer_special bad = {PYAOT_TOKENIZER_SPECIAL_KIND_LIST, bad_texts, 2};
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), NULL, &bad, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "disallowed special token 1 is not UTF-8 after byte 2");
    CHECK(tokens == NULL);
}

static void test_single_tokens(void) {
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    uint32_t token = 0;
    pyaot_tokenizer_error *error = NULL;
    /* enc.encode_single_token(b'hello') and ('<|endoftext|>') */
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, TEXT("hello"), &token, &error) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 15339 && error == NULL);
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, TEXT("<|endoftext|>"), &token, &error) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 100257);
    /* enc.encode_single_token('hello world') raises KeyError; ours says why. */
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, TEXT("hello world"), &token, &error) ==
          PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    CHECK(token == 100257);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN, "\"hello world\" is not a token");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, TEXT(""), &token, &error) ==
          PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN, "\"\" is not a token");

    /* Every single byte is a token, UTF-8 or not, and its bytes come back. */
    for (unsigned b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        const uint8_t *data = NULL;
        size_t len = 0;
        CHECK(pyaot_tokenizer_encoding_encode_single_token(get("gpt2"), &byte, 1, &token, NULL) ==
              PYAOT_TOKENIZER_RESULT_OK);
        CHECK(token < 256); /* gpt2's first 256 ranks are the single bytes */
        CHECK(pyaot_tokenizer_encoding_token_bytes(get("gpt2"), token, &data, &len, NULL) == PYAOT_TOKENIZER_RESULT_OK);
        CHECK(len == 1 && data[0] == byte);
    }
}

static void test_decode(void) {
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    pyaot_tokenizer_bytes *bytes = NULL;
    pyaot_tokenizer_error *error = NULL;

    /* enc.decode([15339, 220, 100257]): special tokens decode to their text. */
    const uint32_t hello_eot[] = {15339, 220, 100257};
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, hello_eot, 3, &bytes, &error) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(error == NULL);
    CHECK_BYTES(bytes, "hello <|endoftext|>");
    /* Printable as a C string: the data is NUL-terminated. */
    CHECK(strcmp((const char *)pyaot_tokenizer_bytes_get_data(bytes), "hello <|endoftext|>") == 0);
    pyaot_tokenizer_bytes_free(bytes);

    /* enc.decode_bytes([9468, 239]) is a split emoji; enc.decode replaces it with U+FFFD. */
    const uint32_t split_emoji[] = {9468, 239};
    CHECK(pyaot_tokenizer_encoding_decode_bytes(cl100k, split_emoji, 2, &bytes, NULL) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK_BYTES(bytes, "\xf0\x9f\x91");
    pyaot_tokenizer_bytes_free(bytes);
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, split_emoji, 2, &bytes, NULL) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK_BYTES(bytes, "\xef\xbf\xbd");
    pyaot_tokenizer_bytes_free(bytes);

    /* No tokens: empty bytes; the array may then be NULL. */
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, NULL, 0, &bytes, NULL) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK_BYTES(bytes, "");
    pyaot_tokenizer_bytes_free(bytes);

    /* enc.decode([15339, 100256]) raises KeyError: 100256 is a hole in cl100k_base's ranks. */
    bytes = NULL;
    const uint32_t unknown[] = {15339, 100256};
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, unknown, 2, &bytes, &error) == PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN);
    CHECK(bytes == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN, "Invalid token for decoding: 100256");
    error = NULL;
    const uint32_t too_big[] = {UINT32_MAX};
    CHECK(pyaot_tokenizer_encoding_decode_bytes(get("gpt2"), too_big, 1, &bytes, &error) ==
          PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN);
    CHECK(bytes == NULL);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN, "Invalid token for decoding: 4294967295");

    /* enc.decode_single_token_bytes(15339) == b'hello', borrowed from the encoding. */
    const uint8_t *data = NULL;
    size_t len = 0;
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_token_bytes(cl100k, 15339, &data, &len, &error) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(bytes_equal(data, len, "hello", 5));
    CHECK(pyaot_tokenizer_encoding_token_bytes(cl100k, 100276, &data, &len, &error) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(bytes_equal(data, len, "<|endofprompt|>", 15));
    CHECK(pyaot_tokenizer_encoding_token_bytes(cl100k, 100256, &data, &len, &error) ==
          PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN);
    CHECK(bytes_equal(data, len, "<|endofprompt|>", 15)); /* not written on failure */
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN, "Invalid token for decoding: 100256");

    /* Round trips: decode(encode_ordinary(text)) == text with every built-in encoding, and
     * decode_bytes gives the same bytes; the token bytes concatenated are the text too. */
    for (size_t e = 0; e < BUILTIN_COUNT; e++) {
        const pyaot_tokenizer_encoding *encoding = get(BUILTIN_NAMES[e]);
        for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) {
            const char *text = ROUND_TRIP[i];
            size_t text_len = strlen(text);
            pyaot_tokenizer_tokens *tokens = ordinary(encoding, (const uint8_t *)text, text_len);
            const uint32_t *ids = pyaot_tokenizer_tokens_get_data(tokens);
            size_t count = pyaot_tokenizer_tokens_get_len(tokens);
            CHECK(pyaot_tokenizer_encoding_decode(encoding, ids, count, &bytes, NULL) == PYAOT_TOKENIZER_RESULT_OK);
            CHECK(bytes_equal(pyaot_tokenizer_bytes_get_data(bytes), pyaot_tokenizer_bytes_get_len(bytes), text,
                              text_len));
            pyaot_tokenizer_bytes_free(bytes);
            CHECK(pyaot_tokenizer_encoding_decode_bytes(encoding, ids, count, &bytes, NULL) ==
                  PYAOT_TOKENIZER_RESULT_OK);
            CHECK(bytes_equal(pyaot_tokenizer_bytes_get_data(bytes), pyaot_tokenizer_bytes_get_len(bytes), text,
                              text_len));
            pyaot_tokenizer_bytes_free(bytes);
            size_t offset = 0;
            for (size_t t = 0; t < count; t++) {
                CHECK(pyaot_tokenizer_encoding_token_bytes(encoding, ids[t], &data, &len, NULL) ==
                      PYAOT_TOKENIZER_RESULT_OK);
                CHECK(len > 0 && offset + len <= text_len && memcmp(text + offset, data, len) == 0);
                offset += len;
            }
            CHECK(offset == text_len);
            pyaot_tokenizer_tokens_free(tokens);
        }
    }
}

/* The data directory: $PYAOT_DATA when set and not empty, else ../shared/data. */
static const char *data_dir(void) {
    const char *env = getenv("PYAOT_DATA");
    return env != NULL && env[0] != 0 ? env : "../shared/data";
}

/* Reads `<data dir>/<relative>` whole, or fails the test naming where it looked. */
static uint8_t *read_data_file(const char *relative, size_t *len_out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_dir(), relative);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr,
                "%s: cannot open %s: the test data is found through PYAOT_DATA, or ../shared/data relative to "
                "the current directory (run from the repository root, as scripts/test does)\n",
                __FILE__, path);
        exit(1);
    }
    uint8_t *data = NULL;
    size_t len = 0, cap = 0, got = 0;
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            data = realloc(data, cap);
            CHECK(data != NULL);
        }
        got = fread(data + len, 1, cap - len, file);
        len += got;
    } while (got > 0);
    CHECK(!ferror(file));
    fclose(file);
    *len_out = len;
    return data;
}

static void test_custom_encodings(void) {
    /* tiktoken.Encoding('mine', pat_str=gpt2._pat_str, mergeable_ranks=load_tiktoken_bpe(
     *     'r50k_base.tiktoken'), special_tokens={'<|endoftext|>': 50256, '<|custom|>': 50257}) */
    size_t file_len = 0;
    uint8_t *file = read_data_file("vocab/r50k_base.tiktoken", &file_len);
    const pyaot_tokenizer_encoding *gpt2 = get("gpt2");
    const uint8_t *pattern = NULL;
    size_t pattern_len = 0;
    CHECK(pyaot_tokenizer_encoding_get_pattern(gpt2, &pattern, &pattern_len) == PYAOT_TOKENIZER_RESULT_OK);
    const pyaot_tokenizer_ranked_bytes specials[] = {
        {(const uint8_t *)"<|endoftext|>", 13, 50256},
        {(const uint8_t *)"<|custom|>", 10, 50257},
    };
    const pyaot_tokenizer_encoding *mine = NULL;
    pyaot_tokenizer_error *error = NULL;
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("mine"), pattern, pattern_len, file, file_len, specials, 2, &mine,
                                                 &error) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(mine != NULL && error == NULL);
    free(file); /* nothing of the arguments is kept */
    CHECK(pyaot_tokenizer_encoding_get_n_vocab(mine) == 50258);
    CHECK(pyaot_tokenizer_encoding_get_max_token_value(mine) == 50257);
    uint32_t token = 0;
    CHECK(pyaot_tokenizer_encoding_get_eot_token(mine, &token) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 50256);
    CHECK(pyaot_tokenizer_encoding_get_special_token(mine, TEXT("<|custom|>"), &token) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(token == 50257);
    CHECK(pyaot_tokenizer_encoding_is_special_token(mine, 50257));

    /* The same ranks and pattern as gpt2: the same tokens for every text. */
    pyaot_tokenizer_tokens *tokens = ordinary(mine, TEXT("hello world"));
    CHECK_TOKENS(tokens, 31373, 995);
    pyaot_tokenizer_tokens_free(tokens);
    for (size_t i = 0; i < ROUND_TRIP_COUNT; i++) {
        const uint8_t *text = (const uint8_t *)ROUND_TRIP[i];
        pyaot_tokenizer_tokens *a = ordinary(mine, text, strlen(ROUND_TRIP[i]));
        pyaot_tokenizer_tokens *b = ordinary(gpt2, text, strlen(ROUND_TRIP[i]));
        CHECK(same_tokens(a, b));
        pyaot_tokenizer_tokens_free(a);
        pyaot_tokenizer_tokens_free(b);
    }
    /* Its own special token. */
    const pyaot_tokenizer_special all = {PYAOT_TOKENIZER_SPECIAL_KIND_ALL, NULL, 0};
    tokens = encode(mine, TEXT("hello<|custom|><|endoftext|>"), &all, NULL);
    CHECK_TOKENS(tokens, 31373, 50257, 50256);
    pyaot_tokenizer_bytes *bytes = NULL;
    CHECK(pyaot_tokenizer_encoding_decode(mine, pyaot_tokenizer_tokens_get_data(tokens),
                                          pyaot_tokenizer_tokens_get_len(tokens), &bytes,
                                          NULL) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK_BYTES(bytes, "hello<|custom|><|endoftext|>");
    pyaot_tokenizer_bytes_free(bytes);
    pyaot_tokenizer_tokens_free(tokens);
    CHECK(pyaot_tokenizer_encoding_encode(mine, TEXT("<|custom|>"), NULL, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_DISALLOWED_SPECIAL_TOKEN);
    CHECK(strncmp(pyaot_tokenizer_error_get_message(error),
                  "Encountered text corresponding to disallowed special token '<|custom|>'.\n", 73) == 0);
    pyaot_tokenizer_error_free(error);
    error = NULL;
    /* gpt2 itself does not know <|custom|>. */
    CHECK(pyaot_tokenizer_encoding_get_special_token(gpt2, TEXT("<|custom|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    pyaot_tokenizer_encoding_free(mine);

    /* A pattern of our own runs on the regex engine: \S+|\s+ splits 'hello world' into
     * 'hello', ' ', 'world' (gpt2's 31373, 220, 6894). */
    file = read_data_file("vocab/r50k_base.tiktoken", &file_len);
    const pyaot_tokenizer_encoding *words = NULL;
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("words"), TEXT("\\S+|\\s+"), file, file_len, NULL, 0, &words,
                                                 NULL) == PYAOT_TOKENIZER_RESULT_OK);
    tokens = ordinary(words, TEXT("hello world"));
    CHECK_TOKENS(tokens, 31373, 220, 6894);
    pyaot_tokenizer_tokens_free(tokens);
    /* No special tokens: no <|endoftext|>, and nothing to disallow. */
    CHECK(pyaot_tokenizer_encoding_get_eot_token(words, &token) == PYAOT_TOKENIZER_RESULT_NOT_A_TOKEN);
    CHECK(pyaot_tokenizer_encoding_get_n_vocab(words) == 50256);
    tokens = encode(words, TEXT("<|endoftext|>"), NULL, NULL);
    CHECK(pyaot_tokenizer_tokens_get_len(tokens) > 1);
    pyaot_tokenizer_tokens_free(tokens);
    pyaot_tokenizer_encoding_free(words);

    /* Errors: a pattern that does not compile, a malformed rank file, invalid UTF-8. */
    const pyaot_tokenizer_encoding *bad = NULL;
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("bad"), TEXT("(unclosed"), file, file_len, NULL, 0, &bad,
                                                 &error) == PYAOT_TOKENIZER_RESULT_INVALID_PATTERN);
    CHECK(bad == NULL);
    CHECK(pyaot_tokenizer_error_get_result(error) == PYAOT_TOKENIZER_RESULT_INVALID_PATTERN);
    CHECK(strncmp(pyaot_tokenizer_error_get_message(error), "invalid split pattern: ", 23) == 0);
    pyaot_tokenizer_error_free(error);
    error = NULL;
    free(file);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("bad"), TEXT("."), TEXT("YQ== 0\nYWJj\n"), NULL, 0, &bad,
                                                 &error) == PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY,
                "invalid vocabulary: line 2: expected `base64 rank`");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("bad"), TEXT("."), TEXT("YQ== 0\n"), NULL, 0, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY,
                "invalid vocabulary: every byte must be a token on its own, and 0x00 is not (BPE could not encode it)");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("bad"), TEXT("\xff"), TEXT("YQ== 0\n"), NULL, 0, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "the pattern is not UTF-8 after byte 0");
    CHECK(bad == NULL);

    /* tiktoken.Encoding('small', pat_str=r'\S+|\s+', mergeable_ranks={bytes([b]): b for b in
     * range(256)} | {b'ab': 256, b'abab': 257}, special_tokens={'<|end|>': 300}) */
    uint8_t singles[256];
    pyaot_tokenizer_ranked_bytes ranks[258];
    for (unsigned b = 0; b < 256; b++) {
        singles[b] = (uint8_t)b;
        ranks[b] = (pyaot_tokenizer_ranked_bytes){&singles[b], 1, b};
    }
    ranks[256] = (pyaot_tokenizer_ranked_bytes){(const uint8_t *)"ab", 2, 256};
    ranks[257] = (pyaot_tokenizer_ranked_bytes){(const uint8_t *)"abab", 4, 257};
    const pyaot_tokenizer_ranked_bytes end[] = {{(const uint8_t *)"<|end|>", 7, 300}};
    const pyaot_tokenizer_encoding *small = NULL;
    CHECK(pyaot_tokenizer_encoding_new(TEXT("small"), TEXT("\\S+|\\s+"), ranks, 258, end, 1, &small, NULL) ==
          PYAOT_TOKENIZER_RESULT_OK);
    CHECK(pyaot_tokenizer_encoding_get_n_vocab(small) == 301);
    tokens = ordinary(small, TEXT("abab ab a"));
    CHECK_TOKENS(tokens, 257, 32, 256, 32, 97);
    pyaot_tokenizer_tokens_free(tokens);
    tokens = encode(small, TEXT("ab<|end|>"), &all, NULL);
    CHECK_TOKENS(tokens, 256, 300);
    pyaot_tokenizer_tokens_free(tokens);
    const uint32_t hole[] = {299};
    CHECK(pyaot_tokenizer_encoding_decode(small, hole, 1, &bytes, &error) == PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_UNKNOWN_TOKEN, "Invalid token for decoding: 299");
    error = NULL;
    pyaot_tokenizer_encoding_free(small);

    /* Rank tables that cannot make an encoding. */
    ranks[257] = (pyaot_tokenizer_ranked_bytes){(const uint8_t *)"ab", 2, 257};
    CHECK(pyaot_tokenizer_encoding_new(TEXT("dup"), TEXT("\\S+"), ranks, 258, NULL, 0, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY,
                "invalid vocabulary: the token \"ab\" has two ranks, 256 and 257");
    error = NULL;
    CHECK(pyaot_tokenizer_encoding_new(TEXT("none"), TEXT("\\S+"), NULL, 0, NULL, 0, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY, "invalid vocabulary: the vocabulary has no tokens");
    /* An empty special token would match everywhere (encoding would never end): refused. */
    error = NULL;
    const pyaot_tokenizer_ranked_bytes empty_special[] = {{(const uint8_t *)"", 0, 300}};
    CHECK(pyaot_tokenizer_encoding_new(TEXT("empty"), TEXT("\\S+"), ranks, 256, empty_special, 1, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_VOCABULARY, "invalid vocabulary: the special token with id 300 is empty");
    error = NULL;
    const pyaot_tokenizer_ranked_bytes bad_special[] = {{(const uint8_t *)"<|\xff|>", 5, 300}};
    CHECK(pyaot_tokenizer_encoding_new(TEXT("utf8"), TEXT("\\S+"), ranks, 256, bad_special, 1, &bad, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_UTF8);
    CHECK_ERROR(error, PYAOT_TOKENIZER_RESULT_INVALID_UTF8, "special token 0 is not UTF-8 after byte 2");
    CHECK(bad == NULL);
}

/* Several threads get (and so may build) the same built-in at once and encode with it. */
static void *thread_body(void *arg) {
    const pyaot_tokenizer_encoding *encoding = NULL;
    if (pyaot_tokenizer_encoding_get(TEXT("p50k_edit"), &encoding, NULL) != PYAOT_TOKENIZER_RESULT_OK) return NULL;
    pyaot_tokenizer_tokens *tokens = NULL;
    if (pyaot_tokenizer_encoding_encode_ordinary(encoding, TEXT("hello world"), &tokens, NULL) ==
            PYAOT_TOKENIZER_RESULT_OK &&
        pyaot_tokenizer_tokens_get_len(tokens) == 2 && pyaot_tokenizer_tokens_get_data(tokens)[0] == 31373)
        *(const pyaot_tokenizer_encoding **)arg = encoding;
    pyaot_tokenizer_tokens_free(tokens);
    return NULL;
}

static void test_threads(void) {
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    const pyaot_tokenizer_encoding *seen[THREADS] = {NULL};
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&threads[i], NULL, thread_body, (void *)&seen[i]) == 0);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_join(threads[i], NULL) == 0);
    for (int i = 0; i < THREADS; i++) CHECK(seen[i] != NULL && seen[i] == seen[0]);
}

static void test_null_arguments(void) {
    const pyaot_tokenizer_encoding *cl100k = get("cl100k_base");
    const pyaot_tokenizer_encoding *encoding = NULL;
    pyaot_tokenizer_tokens *tokens = NULL;
    pyaot_tokenizer_bytes *bytes = NULL;
    pyaot_tokenizer_error *error = NULL;
    const uint8_t *data = NULL;
    size_t len = 0, count = 0;
    uint32_t token = 0;
    const uint32_t ids[] = {15339};
    const pyaot_tokenizer_ranked_bytes rank = {(const uint8_t *)"a", 1, 0};

    /* Required pointers: INVALID_ARGUMENT, and nothing written (not even the error). */
    CHECK(pyaot_tokenizer_encoding_get(NULL, 0, &encoding, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get(TEXT("gpt2"), NULL, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_new(NULL, 0, TEXT("."), &rank, 1, NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_new(TEXT("x"), NULL, 0, &rank, 1, NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_new(TEXT("x"), TEXT("."), NULL, 1, NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_new(TEXT("x"), TEXT("."), &rank, 1, NULL, 1, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_new(TEXT("x"), TEXT("."), &rank, 1, NULL, 0, NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    const pyaot_tokenizer_ranked_bytes null_rank = {NULL, 0, 0};
    CHECK(pyaot_tokenizer_encoding_new(TEXT("x"), TEXT("."), &null_rank, 1, NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(NULL, 0, TEXT("."), TEXT("YQ== 0"), NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("x"), NULL, 0, TEXT("YQ== 0"), NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("x"), TEXT("."), NULL, 0, NULL, 0, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("x"), TEXT("."), TEXT("YQ== 0"), NULL, 2, &encoding, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_from_tiktoken(TEXT("x"), TEXT("."), TEXT("YQ== 0"), NULL, 0, NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(encoding == NULL && error == NULL);

    CHECK(pyaot_tokenizer_encoding_encode_ordinary(NULL, TEXT("a"), &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode_ordinary(cl100k, NULL, 0, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode_ordinary(cl100k, TEXT("a"), NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode(NULL, TEXT("a"), NULL, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, NULL, 0, NULL, NULL, &tokens, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode(cl100k, TEXT("a"), NULL, NULL, NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_count_ordinary(NULL, TEXT("a"), &count, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_count_ordinary(cl100k, NULL, 0, &count, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_count_ordinary(cl100k, TEXT("a"), NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode_single_token(NULL, TEXT("a"), &token, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, NULL, 0, &token, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_encode_single_token(cl100k, TEXT("a"), NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(tokens == NULL && error == NULL && count == 0 && token == 0);

    CHECK(pyaot_tokenizer_encoding_decode(NULL, ids, 1, &bytes, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, NULL, 1, &bytes, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_decode(cl100k, ids, 1, NULL, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_decode_bytes(NULL, ids, 1, &bytes, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_decode_bytes(cl100k, NULL, 1, &bytes, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_decode_bytes(cl100k, ids, 1, NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_token_bytes(NULL, 1, &data, &len, &error) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_token_bytes(cl100k, 1, NULL, &len, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_token_bytes(cl100k, 1, &data, NULL, &error) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(bytes == NULL && error == NULL && data == NULL && len == 0);

    CHECK(pyaot_tokenizer_encoding_get_pattern(NULL, &data, &len) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_pattern(cl100k, NULL, &len) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_pattern(cl100k, &data, NULL) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_eot_token(NULL, &token) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_eot_token(cl100k, NULL) == PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_special_token(NULL, TEXT("<|endoftext|>"), &token) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_special_token(cl100k, NULL, 0, &token) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_tokenizer_encoding_get_special_token(cl100k, TEXT("<|endoftext|>"), NULL) ==
          PYAOT_TOKENIZER_RESULT_INVALID_ARGUMENT);
    CHECK(data == NULL && len == 0 && token == 0);

    /* Getters answer neutrally. */
    CHECK(pyaot_tokenizer_encoding_get_n_vocab(NULL) == 0);
    CHECK(pyaot_tokenizer_encoding_get_max_token_value(NULL) == 0);
    CHECK(!pyaot_tokenizer_encoding_is_special_token(NULL, 100257));
    CHECK(pyaot_tokenizer_tokens_get_data(NULL) == NULL);
    CHECK(pyaot_tokenizer_tokens_get_len(NULL) == 0);
    CHECK(pyaot_tokenizer_bytes_get_data(NULL) == NULL);
    CHECK(pyaot_tokenizer_bytes_get_len(NULL) == 0);
    CHECK(pyaot_tokenizer_error_get_result(NULL) == PYAOT_TOKENIZER_RESULT_OK);
    CHECK(pyaot_tokenizer_error_get_message(NULL) == NULL);

    /* Freeing NULL does nothing. */
    pyaot_tokenizer_encoding_free(NULL);
    pyaot_tokenizer_tokens_free(NULL);
    pyaot_tokenizer_bytes_free(NULL);
    pyaot_tokenizer_error_free(NULL);
}

int main(void) {
    test_result_describe();
    test_builtin_encodings();
    test_encode_ordinary_and_count();
    test_special_tokens();
    test_single_tokens();
    test_decode();
    test_custom_encodings();
    test_threads();
    test_null_arguments();
    printf("test_tokenizer: %d checks passed\n", checks);
    return 0;
}
