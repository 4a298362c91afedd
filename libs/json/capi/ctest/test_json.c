/*
 * The C ABI of pyaot-json, exercised from C: every exported function, with expected results
 * taken from CPython 3.11 (each expected output says which Python expression printed it).
 *
 * scripts/test compiles and runs it:
 *   cargo build -p pyaot-json-capi
 *   cc -std=c11 -Wall -Wextra -Werror -I libs/json/capi/include libs/json/capi/ctest/test_json.c \
 *       target/debug/libpyaot_json_capi.a -lpthread -ldl -lm && ./a.out
 * It exits non-zero at the first failed check, and frees everything it creates (check with
 * `valgrind --leak-check=full --error-exitcode=1 ./a.out`).
 */

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyaot_json.h"

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

/* Whether `len` bytes at `data` are exactly the `expected_len` bytes at `expected`. */
static bool bytes_equal(const uint8_t *data, size_t len, const char *expected, size_t expected_len) {
    return data != NULL && len == expected_len && memcmp(data, expected, len) == 0;
}

/* Checks a buffer's bytes (and its trailing NUL), printing both texts when they differ. */
#define CHECK_BUFFER(buffer, lit) check_buffer(__LINE__, buffer, lit, sizeof(lit) - 1)
static void check_buffer(int line, const pyaot_json_buffer *buffer, const char *expected, size_t len) {
    const uint8_t *data = pyaot_json_buffer_get_data(buffer);
    size_t got = pyaot_json_buffer_get_len(buffer);
    checks++;
    if (!bytes_equal(data, got, expected, len) || data[got] != 0) {
        fprintf(stderr, "%s:%d: buffer differs\n--- expected (%zu bytes)\n%.*s\n--- got (%zu bytes)\n%.*s\n",
                __FILE__, line, len, (int)len, expected, got, (int)got, data ? (const char *)data : "");
        exit(1);
    }
}

/* The member `key` of an object (NULL if absent). */
static const pyaot_json_value *member(const pyaot_json_value *object, const char *key) {
    return pyaot_json_value_object_get(object, (const uint8_t *)key, strlen(key));
}

/* Checks that `value` is a string with exactly the bytes of `lit`. */
#define CHECK_STRING(value, lit)                                                         \
    do {                                                                                 \
        const uint8_t *data_ = NULL;                                                     \
        size_t len_ = 0;                                                                 \
        CHECK(pyaot_json_value_get_kind(value) == PYAOT_JSON_VALUE_KIND_STRING);         \
        CHECK(pyaot_json_value_get_string(value, &data_, &len_) == PYAOT_JSON_RESULT_OK); \
        CHECK(bytes_equal(data_, len_, lit, sizeof(lit) - 1));                           \
    } while (0)

/*
 * The document most checks use: a nested object, a repeated key ("name": first position, last
 * value), a big integer, a float that overflows, NaN, escapes (including \u0000), a surrogate
 * pair and a lone surrogate.
 */
static const char DOC[] =
    "{\"name\": \"caf\\u00e9\", \"nested\": {\"list\": [1, -2.5, true, false, null], \"empty\": {},"
    " \"deep\": {\"x\": []}}, \"big\": 123456789012345678901234567890,"
    " \"neg_big\": -99999999999999999999, \"huge\": 1e400, \"nan\": NaN,"
    " \"esc\": \"a\\\"b\\\\c\\n\\u0000d\", \"emoji\": \"\\ud83d\\ude00\", \"lone\": \"\\ud800\","
    " \"z\": 1E2, \"name\": \"caf\\u00e9!\"}";

/* json.dumps(json.loads(DOC), indent=2, sort_keys=True) */
static const char DOC_INDENT2_SORTED[] =
    "{\n"
    "  \"big\": 123456789012345678901234567890,\n"
    "  \"emoji\": \"\\ud83d\\ude00\",\n"
    "  \"esc\": \"a\\\"b\\\\c\\n\\u0000d\",\n"
    "  \"huge\": Infinity,\n"
    "  \"lone\": \"\\ud800\",\n"
    "  \"name\": \"caf\\u00e9!\",\n"
    "  \"nan\": NaN,\n"
    "  \"neg_big\": -99999999999999999999,\n"
    "  \"nested\": {\n"
    "    \"deep\": {\n"
    "      \"x\": []\n"
    "    },\n"
    "    \"empty\": {},\n"
    "    \"list\": [\n"
    "      1,\n"
    "      -2.5,\n"
    "      true,\n"
    "      false,\n"
    "      null\n"
    "    ]\n"
    "  },\n"
    "  \"z\": 100.0\n"
    "}";

/* json.dumps(json.loads(DOC)) */
static const char DOC_DEFAULT[] =
    "{\"name\": \"caf\\u00e9!\", \"nested\": {\"list\": [1, -2.5, true, false, null], \"empty\": {},"
    " \"deep\": {\"x\": []}}, \"big\": 123456789012345678901234567890,"
    " \"neg_big\": -99999999999999999999, \"huge\": Infinity, \"nan\": NaN,"
    " \"esc\": \"a\\\"b\\\\c\\n\\u0000d\", \"emoji\": \"\\ud83d\\ude00\", \"lone\": \"\\ud800\","
    " \"z\": 100.0}";

/* json.dumps(json.loads(DOC), separators=(',', ':'), ensure_ascii=False)
 *     .encode('utf-8', 'surrogatepass') */
static const char DOC_MINIFIED[] =
    "{\"name\":\"caf\xc3\xa9!\",\"nested\":{\"list\":[1,-2.5,true,false,null],\"empty\":{},"
    "\"deep\":{\"x\":[]}},\"big\":123456789012345678901234567890,"
    "\"neg_big\":-99999999999999999999,\"huge\":Infinity,\"nan\":NaN,"
    "\"esc\":\"a\\\"b\\\\c\\n\\u0000d\",\"emoji\":\"\xf0\x9f\x98\x80\",\"lone\":\"\xed\xa0\x80\","
    "\"z\":100.0}";

/* json.dumps(json.loads(DOC), indent=2, ensure_ascii=False).encode('utf-8', 'surrogatepass') */
static const char DOC_PRETTY[] =
    "{\n"
    "  \"name\": \"caf\xc3\xa9!\",\n"
    "  \"nested\": {\n"
    "    \"list\": [\n"
    "      1,\n"
    "      -2.5,\n"
    "      true,\n"
    "      false,\n"
    "      null\n"
    "    ],\n"
    "    \"empty\": {},\n"
    "    \"deep\": {\n"
    "      \"x\": []\n"
    "    }\n"
    "  },\n"
    "  \"big\": 123456789012345678901234567890,\n"
    "  \"neg_big\": -99999999999999999999,\n"
    "  \"huge\": Infinity,\n"
    "  \"nan\": NaN,\n"
    "  \"esc\": \"a\\\"b\\\\c\\n\\u0000d\",\n"
    "  \"emoji\": \"\xf0\x9f\x98\x80\",\n"
    "  \"lone\": \"\xed\xa0\x80\",\n"
    "  \"z\": 100.0\n"
    "}";

/* json.dumps(json.loads(DOC)['nested'], indent='\t', separators=(',', '=')) */
static const char NESTED_TAB[] =
    "{\n"
    "\t\"list\"=[\n"
    "\t\t1,\n"
    "\t\t-2.5,\n"
    "\t\ttrue,\n"
    "\t\tfalse,\n"
    "\t\tnull\n"
    "\t],\n"
    "\t\"empty\"={},\n"
    "\t\"deep\"={\n"
    "\t\t\"x\"=[]\n"
    "\t}\n"
    "}";

static void test_result_describe(void) {
    CHECK(strcmp(pyaot_json_result_describe(PYAOT_JSON_RESULT_OK), "ok") == 0);
    CHECK(strcmp(pyaot_json_result_describe(PYAOT_JSON_RESULT_PARSE_ERROR), "parse error") == 0);
    CHECK(strcmp(pyaot_json_result_describe(PYAOT_JSON_RESULT_NON_FINITE_FLOAT),
                 "Out of range float values are not JSON compliant") == 0);
    CHECK(strcmp(pyaot_json_result_describe(PYAOT_JSON_RESULT_INVALID_UTF8), "input is not valid utf-8") == 0);
    CHECK(strlen(pyaot_json_result_describe(PYAOT_JSON_RESULT_INVALID_ARGUMENT)) > 0);
    CHECK(strlen(pyaot_json_result_describe(PYAOT_JSON_RESULT_PANIC)) > 0);
    CHECK(strcmp(pyaot_json_result_describe(99), "unknown result code") == 0);
}

static void test_parse_and_walk(void) {
    pyaot_json_value *doc = NULL;
    pyaot_json_error *error = NULL;
    CHECK(pyaot_json_value_parse(TEXT(DOC), &doc, &error) == PYAOT_JSON_RESULT_OK);
    CHECK(doc != NULL);
    CHECK(error == NULL); /* written only on a parse error */
    CHECK(pyaot_json_value_get_kind(doc) == PYAOT_JSON_VALUE_KIND_OBJECT);

    /* Members in first-appearance order; the repeated "name" kept its place, took its last value. */
    static const char *const keys[] = {"name", "nested", "big", "neg_big", "huge",
                                       "nan",  "esc",    "emoji", "lone",  "z"};
    size_t count = sizeof(keys) / sizeof(keys[0]);
    CHECK(pyaot_json_value_object_len(doc) == count);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *key = NULL;
        size_t key_len = 0;
        const pyaot_json_value *value = NULL;
        CHECK(pyaot_json_value_object_entry(doc, i, &key, &key_len, &value) == PYAOT_JSON_RESULT_OK);
        CHECK(bytes_equal(key, key_len, keys[i], strlen(keys[i])));
        CHECK(value == member(doc, keys[i]));
    }
    const uint8_t *key = (const uint8_t *)"untouched";
    size_t key_len = 9;
    const pyaot_json_value *value = NULL;
    CHECK(pyaot_json_value_object_entry(doc, count, &key, &key_len, &value) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(key_len == 9 && value == NULL && memcmp(key, "untouched", 9) == 0);

    CHECK_STRING(member(doc, "name"), "caf\xc3\xa9!");
    CHECK(member(doc, "missing") == NULL);
    CHECK(pyaot_json_value_object_get(doc, (const uint8_t *)"name", 3) == NULL); /* "nam" */

    /* The nested object. */
    const pyaot_json_value *nested = member(doc, "nested");
    CHECK(pyaot_json_value_get_kind(nested) == PYAOT_JSON_VALUE_KIND_OBJECT);
    CHECK(pyaot_json_value_object_len(nested) == 3);
    const pyaot_json_value *list = member(nested, "list");
    CHECK(pyaot_json_value_get_kind(list) == PYAOT_JSON_VALUE_KIND_ARRAY);
    CHECK(pyaot_json_value_array_len(list) == 5);
    int64_t i = 0;
    CHECK(pyaot_json_value_get_kind(pyaot_json_value_array_get(list, 0)) == PYAOT_JSON_VALUE_KIND_INT);
    CHECK(pyaot_json_value_get_int(pyaot_json_value_array_get(list, 0), &i) == PYAOT_JSON_RESULT_OK);
    CHECK(i == 1);
    double f = 0;
    CHECK(pyaot_json_value_get_kind(pyaot_json_value_array_get(list, 1)) == PYAOT_JSON_VALUE_KIND_FLOAT);
    CHECK(pyaot_json_value_get_float(pyaot_json_value_array_get(list, 1), &f) == PYAOT_JSON_RESULT_OK);
    CHECK(f == -2.5);
    bool b = false;
    CHECK(pyaot_json_value_get_kind(pyaot_json_value_array_get(list, 2)) == PYAOT_JSON_VALUE_KIND_BOOL);
    CHECK(pyaot_json_value_get_bool(pyaot_json_value_array_get(list, 2), &b) == PYAOT_JSON_RESULT_OK);
    CHECK(b == true);
    CHECK(pyaot_json_value_get_bool(pyaot_json_value_array_get(list, 3), &b) == PYAOT_JSON_RESULT_OK);
    CHECK(b == false);
    CHECK(pyaot_json_value_get_kind(pyaot_json_value_array_get(list, 4)) == PYAOT_JSON_VALUE_KIND_NULL);
    CHECK(pyaot_json_value_array_get(list, 5) == NULL);
    CHECK(pyaot_json_value_object_len(member(nested, "empty")) == 0);
    CHECK(pyaot_json_value_get_kind(member(nested, "empty")) == PYAOT_JSON_VALUE_KIND_OBJECT);
    const pyaot_json_value *x = member(member(nested, "deep"), "x");
    CHECK(pyaot_json_value_get_kind(x) == PYAOT_JSON_VALUE_KIND_ARRAY);
    CHECK(pyaot_json_value_array_len(x) == 0);
    CHECK(pyaot_json_value_array_get(x, 0) == NULL);

    /* Getters of the wrong kind answer INVALID_ARGUMENT (or the neutral answer) and write nothing. */
    i = 42;
    CHECK(pyaot_json_value_get_int(pyaot_json_value_array_get(list, 1), &i) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(i == 42);
    f = 42;
    CHECK(pyaot_json_value_get_float(pyaot_json_value_array_get(list, 0), &f) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(f == 42);
    CHECK(pyaot_json_value_get_bool(pyaot_json_value_array_get(list, 4), &b) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(b == false);
    CHECK(pyaot_json_value_array_len(doc) == 0);
    CHECK(pyaot_json_value_array_get(doc, 0) == NULL);
    CHECK(pyaot_json_value_object_len(list) == 0);
    CHECK(member(list, "x") == NULL);
    CHECK(pyaot_json_value_object_entry(list, 0, &key, &key_len, &value) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);

    /* Big integers stay exact, as their decimal text. */
    const uint8_t *digits = NULL;
    size_t digits_len = 0;
    const pyaot_json_value *big = member(doc, "big");
    CHECK(pyaot_json_value_get_kind(big) == PYAOT_JSON_VALUE_KIND_BIG_INT);
    CHECK(pyaot_json_value_get_big_int(big, &digits, &digits_len) == PYAOT_JSON_RESULT_OK);
    CHECK(bytes_equal(digits, digits_len, "123456789012345678901234567890", 30));
    CHECK(pyaot_json_value_get_int(big, &i) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_big_int(member(doc, "neg_big"), &digits, &digits_len) == PYAOT_JSON_RESULT_OK);
    CHECK(bytes_equal(digits, digits_len, "-99999999999999999999", 21));
    CHECK(pyaot_json_value_get_big_int(pyaot_json_value_array_get(list, 0), &digits, &digits_len) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);

    /* 1e400 overflows to infinity, as Python's float() does; NaN is accepted. */
    CHECK(pyaot_json_value_get_float(member(doc, "huge"), &f) == PYAOT_JSON_RESULT_OK);
    CHECK(isinf(f) && f > 0);
    CHECK(pyaot_json_value_get_float(member(doc, "nan"), &f) == PYAOT_JSON_RESULT_OK);
    CHECK(isnan(f));
    CHECK(pyaot_json_value_get_float(member(doc, "z"), &f) == PYAOT_JSON_RESULT_OK);
    CHECK(f == 100.0);

    /* Strings: escapes decoded (including \u0000), surrogate pairs joined, lone surrogates kept. */
    CHECK_STRING(member(doc, "esc"), "a\"b\\c\n\0d");
    CHECK_STRING(member(doc, "emoji"), "\xf0\x9f\x98\x80");
    CHECK_STRING(member(doc, "lone"), "\xed\xa0\x80");
    CHECK(pyaot_json_value_object_get(doc, TEXT("lone")) == member(doc, "lone"));
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK(pyaot_json_value_get_string(big, &data, &len) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(data == NULL && len == 0);

    /* A lone surrogate as a key, looked up by its Python UTF-8 bytes; an empty string. */
    pyaot_json_value *other = NULL;
    CHECK(pyaot_json_value_parse(TEXT("{\"\\udfff\": \"\"}"), &other, NULL) == PYAOT_JSON_RESULT_OK);
    const pyaot_json_value *empty = pyaot_json_value_object_get(other, TEXT("\xed\xbf\xbf"));
    CHECK(empty != NULL);
    CHECK(pyaot_json_value_get_string(empty, &data, &len) == PYAOT_JSON_RESULT_OK);
    CHECK(data != NULL && len == 0);
    pyaot_json_value_free(other);

    /* Scalars at the top level. */
    CHECK(pyaot_json_value_parse(TEXT(" -9223372036854775808 "), &other, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_get_int(other, &i) == PYAOT_JSON_RESULT_OK);
    CHECK(i == INT64_MIN);
    pyaot_json_value_free(other);
    CHECK(pyaot_json_value_parse(TEXT("9223372036854775808"), &other, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_get_kind(other) == PYAOT_JSON_VALUE_KIND_BIG_INT);
    pyaot_json_value_free(other);
    CHECK(pyaot_json_value_parse(TEXT("-Infinity"), &other, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_get_float(other, &f) == PYAOT_JSON_RESULT_OK);
    CHECK(isinf(f) && f < 0);
    pyaot_json_value_free(other);

    pyaot_json_value_free(doc);
}

static void test_serialize(void) {
    pyaot_json_value *doc = NULL;
    CHECK(pyaot_json_value_parse(TEXT(DOC), &doc, NULL) == PYAOT_JSON_RESULT_OK);
    pyaot_json_buffer *out = NULL;

    /* json.dumps defaults. */
    pyaot_json_options *options = pyaot_json_options_new();
    CHECK(options != NULL);
    CHECK(pyaot_json_value_serialize(doc, options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, DOC_DEFAULT);
    pyaot_json_buffer_free(out);

    /* indent=2, sort_keys=True */
    CHECK(pyaot_json_options_set_indent(options, 2) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_options_set_sort_keys(options, true) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_serialize(doc, options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, DOC_INDENT2_SORTED);
    pyaot_json_buffer_free(out);
    pyaot_json_options_free(options);

    /* A part of a document, with an indent string, separators and ensure_ascii off. */
    options = pyaot_json_options_new();
    CHECK(pyaot_json_options_set_indent_string(options, TEXT("\t")) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_options_set_separators(options, TEXT(","), TEXT("=")) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_serialize(member(doc, "nested"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, NESTED_TAB);
    pyaot_json_buffer_free(out);

    /* ensure_ascii: json.dumps('caf\u00e9!') is "caf\u00e9!"; with ensure_ascii=False, UTF-8. */
    CHECK(pyaot_json_value_serialize(member(doc, "name"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "\"caf\\u00e9!\"");
    pyaot_json_buffer_free(out);
    CHECK(pyaot_json_options_set_ensure_ascii(options, false) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_serialize(member(doc, "name"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "\"caf\xc3\xa9!\"");
    pyaot_json_buffer_free(out);
    /* A lone surrogate comes out as Python UTF-8. */
    CHECK(pyaot_json_value_serialize(member(doc, "lone"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "\"\xed\xa0\x80\"");
    pyaot_json_buffer_free(out);

    /* Invalid UTF-8 in a string option is refused and changes nothing. */
    CHECK(pyaot_json_options_set_indent_string(options, TEXT("\xff")) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(pyaot_json_options_set_separators(options, TEXT(","), TEXT("\xc3")) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(pyaot_json_value_serialize(member(doc, "nested"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, NESTED_TAB);
    pyaot_json_buffer_free(out);

    /* allow_nan=False: NaN and infinities are refused (Python raises ValueError); the output
     * pointer is left alone. Finite values still pass. */
    CHECK(pyaot_json_options_set_allow_nan(options, false) == PYAOT_JSON_RESULT_OK);
    out = NULL;
    CHECK(pyaot_json_value_serialize(doc, options, &out) == PYAOT_JSON_RESULT_NON_FINITE_FLOAT);
    CHECK(out == NULL);
    CHECK(pyaot_json_value_serialize(member(doc, "huge"), options, &out) == PYAOT_JSON_RESULT_NON_FINITE_FLOAT);
    CHECK(out == NULL);
    CHECK(pyaot_json_value_serialize(member(doc, "z"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "100.0");
    pyaot_json_buffer_free(out);
    CHECK(pyaot_json_options_set_allow_nan(options, true) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_serialize(member(doc, "nan"), options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "NaN");
    pyaot_json_buffer_free(out);

    /* indent=0 still breaks lines: json.dumps([1, 2], indent=0, separators=(", ", ": ")) */
    pyaot_json_value *small = NULL;
    CHECK(pyaot_json_value_parse(TEXT("[1, 2]"), &small, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_options_set_indent(options, 0) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_options_set_separators(options, TEXT(", "), TEXT(": ")) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_value_serialize(small, options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "[\n1, \n2\n]");
    pyaot_json_buffer_free(out);
    pyaot_json_value_free(small);

    pyaot_json_options_free(options);
    pyaot_json_value_free(doc);
}

/* Validates `text`, expecting a parse error with these details (from Python's JSONDecodeError). */
#define CHECK_PARSE_ERROR(text, kind, msg, display, pos, byte_offset, lineno, colno) \
    check_parse_error(__LINE__, TEXT(text), kind, msg, display, pos, byte_offset, lineno, colno)
static void check_parse_error(int line, const uint8_t *text, size_t len, pyaot_json_error_kind kind,
                              const char *msg, const char *display, size_t pos, size_t byte_offset,
                              size_t lineno, size_t colno) {
    pyaot_json_error *error = NULL;
    pyaot_json_result rc = pyaot_json_validate(text, len, &error);
    if (rc != PYAOT_JSON_RESULT_PARSE_ERROR || error == NULL) {
        fprintf(stderr, "%s:%d: expected a parse error, got %s\n", __FILE__, line, pyaot_json_result_describe(rc));
        exit(1);
    }
    const char *got_msg = pyaot_json_error_get_message(error);
    const char *got_display = pyaot_json_error_get_display(error);
    checks++;
    if (pyaot_json_error_get_kind(error) != kind || strcmp(got_msg, msg) != 0 || strcmp(got_display, display) != 0 ||
        pyaot_json_error_get_position(error) != pos || pyaot_json_error_get_byte_offset(error) != byte_offset ||
        pyaot_json_error_get_line(error) != lineno || pyaot_json_error_get_column(error) != colno) {
        fprintf(stderr,
                "%s:%d: wrong error: kind %u, \"%s\" / \"%s\", pos %zu, byte %zu, line %zu, column %zu\n"
                "  expected kind %u, \"%s\" / \"%s\", pos %zu, byte %zu, line %zu, column %zu\n",
                __FILE__, line, (unsigned)pyaot_json_error_get_kind(error), got_msg, got_display,
                pyaot_json_error_get_position(error), pyaot_json_error_get_byte_offset(error),
                pyaot_json_error_get_line(error), pyaot_json_error_get_column(error), (unsigned)kind, msg,
                display, pos, byte_offset, lineno, colno);
        exit(1);
    }
    pyaot_json_error_free(error);

    /* Parsing the same text fails the same way, without writing the value. */
    pyaot_json_value *value = NULL;
    CHECK(pyaot_json_value_parse(text, len, &value, &error) == PYAOT_JSON_RESULT_PARSE_ERROR);
    CHECK(value == NULL);
    CHECK(strcmp(pyaot_json_error_get_display(error), display) == 0);
    pyaot_json_error_free(error);
}

static void test_validate_and_errors(void) {
    pyaot_json_error *error = NULL;
    CHECK(pyaot_json_validate(TEXT(DOC), &error) == PYAOT_JSON_RESULT_OK);
    CHECK(error == NULL);
    CHECK(pyaot_json_validate(TEXT(" \t\n[]\r\n"), NULL) == PYAOT_JSON_RESULT_OK);
    CHECK(pyaot_json_validate(TEXT("[1,]"), NULL) == PYAOT_JSON_RESULT_PARSE_ERROR);

    /* Messages and positions are CPython's (python3 -c 'import json; json.loads(...)'). */
    CHECK_PARSE_ERROR("[1,\n 2,]", PYAOT_JSON_ERROR_KIND_EXPECTING_VALUE, "Expecting value",
                      "Expecting value: line 2 column 4 (char 7)", 7, 7, 2, 4);
    CHECK_PARSE_ERROR("", PYAOT_JSON_ERROR_KIND_EXPECTING_VALUE, "Expecting value",
                      "Expecting value: line 1 column 1 (char 0)", 0, 0, 1, 1);
    /* Positions count characters; the byte offset counts bytes. */
    CHECK_PARSE_ERROR("[\"\xc3\xa9\", ]", PYAOT_JSON_ERROR_KIND_EXPECTING_VALUE, "Expecting value",
                      "Expecting value: line 1 column 7 (char 6)", 6, 7, 1, 7);
    CHECK_PARSE_ERROR("[] x", PYAOT_JSON_ERROR_KIND_EXTRA_DATA, "Extra data",
                      "Extra data: line 1 column 4 (char 3)", 3, 3, 1, 4);
    CHECK_PARSE_ERROR("{\"a\" 1}", PYAOT_JSON_ERROR_KIND_EXPECTING_COLON, "Expecting ':' delimiter",
                      "Expecting ':' delimiter: line 1 column 6 (char 5)", 5, 5, 1, 6);
    CHECK_PARSE_ERROR("[1 2]", PYAOT_JSON_ERROR_KIND_EXPECTING_COMMA, "Expecting ',' delimiter",
                      "Expecting ',' delimiter: line 1 column 4 (char 3)", 3, 3, 1, 4);
    CHECK_PARSE_ERROR("{\"a\":1,}", PYAOT_JSON_ERROR_KIND_EXPECTING_PROPERTY_NAME,
                      "Expecting property name enclosed in double quotes",
                      "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)", 7, 7, 1, 8);
    CHECK_PARSE_ERROR("\"abc", PYAOT_JSON_ERROR_KIND_UNTERMINATED_STRING, "Unterminated string starting at",
                      "Unterminated string starting at: line 1 column 1 (char 0)", 0, 0, 1, 1);
    CHECK_PARSE_ERROR("\"\x01\"", PYAOT_JSON_ERROR_KIND_INVALID_CONTROL_CHARACTER, "Invalid control character at",
                      "Invalid control character at: line 1 column 2 (char 1)", 1, 1, 1, 2);
    CHECK_PARSE_ERROR("[\"a\\x\"]", PYAOT_JSON_ERROR_KIND_INVALID_ESCAPE, "Invalid \\escape",
                      "Invalid \\escape: line 1 column 4 (char 3)", 3, 3, 1, 4);
    CHECK_PARSE_ERROR("[\"\\u12\"]", PYAOT_JSON_ERROR_KIND_INVALID_UNICODE_ESCAPE, "Invalid \\uXXXX escape",
                      "Invalid \\uXXXX escape: line 1 column 4 (char 3)", 3, 3, 1, 4);
    /* json.loads('\ufeff[]'): text (not bytes) starting with a BOM is an error. */
    CHECK_PARSE_ERROR("\xef\xbb\xbf[]", PYAOT_JSON_ERROR_KIND_UNEXPECTED_BOM,
                      "Unexpected UTF-8 BOM (decode using utf-8-sig)",
                      "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)", 0, 0, 1, 1);

    /* Nesting deeper than 1000 is an error (CPython: RecursionError), never a stack overflow. */
    char deep[1002];
    memset(deep, '[', 1001);
    deep[1001] = 0;
    CHECK(pyaot_json_validate((const uint8_t *)deep, 1001, &error) == PYAOT_JSON_RESULT_PARSE_ERROR);
    CHECK(pyaot_json_error_get_kind(error) == PYAOT_JSON_ERROR_KIND_DEPTH_LIMIT_EXCEEDED);
    CHECK(strcmp(pyaot_json_error_get_display(error),
                 "maximum recursion depth exceeded while decoding a JSON array from a unicode string") == 0);
    CHECK(strcmp(pyaot_json_error_get_message(error), pyaot_json_error_get_display(error)) == 0);
    pyaot_json_error_free(error);

    /* Invalid UTF-8 is its own result, with no error object; lone surrogates encoded as
     * three bytes (what this API outputs) are accepted. */
    error = NULL;
    CHECK(pyaot_json_validate(TEXT("\"\xff\""), &error) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(error == NULL);
    CHECK(pyaot_json_validate(TEXT("\"\xc3\""), &error) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(pyaot_json_validate(TEXT("\"\xed\xa0\x80\""), &error) == PYAOT_JSON_RESULT_OK);
    pyaot_json_value *value = NULL;
    CHECK(pyaot_json_value_parse(TEXT("[\xff]"), &value, &error) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(value == NULL && error == NULL);
}

static void test_minify_and_pretty_print(void) {
    pyaot_json_buffer *out = NULL;
    pyaot_json_error *error = NULL;
    CHECK(pyaot_json_minify(TEXT(DOC), &out, &error) == PYAOT_JSON_RESULT_OK);
    CHECK(error == NULL);
    CHECK_BUFFER(out, DOC_MINIFIED);

    /* The output (with its lone surrogate) parses back to the same document. */
    pyaot_json_buffer *again = NULL;
    CHECK(pyaot_json_minify(pyaot_json_buffer_get_data(out), pyaot_json_buffer_get_len(out), &again, NULL) ==
          PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(again, DOC_MINIFIED);
    pyaot_json_buffer_free(again);
    pyaot_json_buffer_free(out);

    CHECK(pyaot_json_pretty_print(TEXT(DOC), PYAOT_JSON_DEFAULT_INDENT, &out, &error) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, DOC_PRETTY);
    pyaot_json_buffer_free(out);
    /* json.dumps(json.loads('{"a": [1, {}]}'), indent=4, ensure_ascii=False) */
    CHECK(pyaot_json_pretty_print(TEXT("{\"a\":[1,{}]}"), 4, &out, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "{\n    \"a\": [\n        1,\n        {}\n    ]\n}");
    pyaot_json_buffer_free(out);
    CHECK(pyaot_json_pretty_print(TEXT("  7 "), 2, &out, NULL) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "7");
    pyaot_json_buffer_free(out);

    /* Errors as in validate; the buffer is not written. */
    out = NULL;
    CHECK(pyaot_json_minify(TEXT("[1,\n 2,]"), &out, &error) == PYAOT_JSON_RESULT_PARSE_ERROR);
    CHECK(out == NULL);
    CHECK(strcmp(pyaot_json_error_get_display(error), "Expecting value: line 2 column 4 (char 7)") == 0);
    pyaot_json_error_free(error);
    error = NULL;
    CHECK(pyaot_json_pretty_print(TEXT("{\"a\" 1}"), 2, &out, &error) == PYAOT_JSON_RESULT_PARSE_ERROR);
    CHECK(out == NULL);
    CHECK(pyaot_json_error_get_column(error) == 6);
    pyaot_json_error_free(error);
    CHECK(pyaot_json_minify(TEXT("[1,]"), &out, NULL) == PYAOT_JSON_RESULT_PARSE_ERROR);
    CHECK(pyaot_json_pretty_print(TEXT("\xfe"), 2, &out, NULL) == PYAOT_JSON_RESULT_INVALID_UTF8);
    CHECK(out == NULL);
}

static void test_null_arguments(void) {
    pyaot_json_value *doc = NULL;
    CHECK(pyaot_json_value_parse(TEXT("{\"a\": [1, true, 1.5, \"s\", 12345678901234567890]}"), &doc, NULL) ==
          PYAOT_JSON_RESULT_OK);
    const pyaot_json_value *a = member(doc, "a");
    pyaot_json_options *options = pyaot_json_options_new();
    pyaot_json_value *value = NULL;
    pyaot_json_error *error = NULL;
    pyaot_json_buffer *out = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    const pyaot_json_value *child = NULL;
    bool b = false;
    int64_t i = 0;
    double f = 0;

    /* Required pointers. */
    CHECK(pyaot_json_value_parse(NULL, 0, &value, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_parse(TEXT("1"), NULL, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_validate(NULL, 0, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_minify(NULL, 3, &out, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_minify(TEXT("1"), NULL, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_pretty_print(NULL, 0, 2, &out, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_pretty_print(TEXT("1"), 2, NULL, &error) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(value == NULL && error == NULL && out == NULL);

    CHECK(pyaot_json_value_get_bool(NULL, &b) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_bool(pyaot_json_value_array_get(a, 1), NULL) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_int(NULL, &i) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_int(pyaot_json_value_array_get(a, 0), NULL) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_float(NULL, &f) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_float(pyaot_json_value_array_get(a, 2), NULL) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_string(NULL, &data, &len) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_string(pyaot_json_value_array_get(a, 3), NULL, &len) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_string(pyaot_json_value_array_get(a, 3), &data, NULL) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_big_int(NULL, &data, &len) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_big_int(pyaot_json_value_array_get(a, 4), NULL, &len) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_get_big_int(pyaot_json_value_array_get(a, 4), &data, NULL) ==
          PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_object_entry(NULL, 0, &data, &len, &child) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_object_entry(doc, 0, NULL, &len, &child) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_object_entry(doc, 0, &data, NULL, &child) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_object_entry(doc, 0, &data, &len, NULL) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(data == NULL && len == 0 && child == NULL && !b && i == 0 && f == 0);

    CHECK(pyaot_json_value_serialize(NULL, options, &out) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_serialize(doc, NULL, &out) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_value_serialize(doc, options, NULL) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(out == NULL);

    CHECK(pyaot_json_options_set_indent(NULL, 2) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_indent_string(NULL, TEXT("  ")) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_indent_string(options, NULL, 0) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_separators(NULL, TEXT(","), TEXT(":")) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_separators(options, NULL, 0, TEXT(":")) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_separators(options, TEXT(","), NULL, 0) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_sort_keys(NULL, true) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_ensure_ascii(NULL, false) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    CHECK(pyaot_json_options_set_allow_nan(NULL, false) == PYAOT_JSON_RESULT_INVALID_ARGUMENT);
    /* The failed setters changed nothing: still json.dumps defaults. */
    CHECK(pyaot_json_value_serialize(doc, options, &out) == PYAOT_JSON_RESULT_OK);
    CHECK_BUFFER(out, "{\"a\": [1, true, 1.5, \"s\", 12345678901234567890]}");
    pyaot_json_buffer_free(out);

    /* Getters answer neutrally. */
    CHECK(pyaot_json_value_get_kind(NULL) == PYAOT_JSON_VALUE_KIND_INVALID);
    CHECK(pyaot_json_value_array_len(NULL) == 0);
    CHECK(pyaot_json_value_array_get(NULL, 0) == NULL);
    CHECK(pyaot_json_value_object_len(NULL) == 0);
    CHECK(pyaot_json_value_object_get(NULL, TEXT("a")) == NULL);
    CHECK(pyaot_json_value_object_get(doc, NULL, 0) == NULL);
    CHECK(pyaot_json_buffer_get_data(NULL) == NULL);
    CHECK(pyaot_json_buffer_get_len(NULL) == 0);
    CHECK(pyaot_json_error_get_kind(NULL) == PYAOT_JSON_ERROR_KIND_OTHER);
    CHECK(pyaot_json_error_get_message(NULL) == NULL);
    CHECK(pyaot_json_error_get_display(NULL) == NULL);
    CHECK(pyaot_json_error_get_position(NULL) == 0);
    CHECK(pyaot_json_error_get_byte_offset(NULL) == 0);
    CHECK(pyaot_json_error_get_line(NULL) == 0);
    CHECK(pyaot_json_error_get_column(NULL) == 0);

    /* Freeing NULL does nothing. */
    pyaot_json_value_free(NULL);
    pyaot_json_options_free(NULL);
    pyaot_json_buffer_free(NULL);
    pyaot_json_error_free(NULL);

    pyaot_json_options_free(options);
    pyaot_json_value_free(doc);
}

int main(void) {
    test_result_describe();
    test_parse_and_walk();
    test_serialize();
    test_validate_and_errors();
    test_minify_and_pretty_print();
    test_null_arguments();
    printf("test_json: %d checks passed\n", checks);
    return 0;
}
