/*
 * test_regex.c: the C ABI of pyaot-regex used from C, as a C program would. `scripts/test`
 * compiles it with -std=c11 -Wall -Wextra -Werror against libpyaot_regex_capi.a and runs it; it
 * exits nonzero when a check fails. The expected answers are CPython 3.11's.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pyaot_regex.h"

static int failures = 0;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond)) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                             \
        }                                                                           \
    } while (0)

static pyaot_re_regex *compile(const char *pattern, uint32_t flags) {
    pyaot_re_error *err = NULL;
    pyaot_re_regex *re = pyaot_re_compile(pattern, strlen(pattern), flags, &err);
    if (re == NULL) {
        fprintf(stderr, "cannot compile %s: %s\n", pattern, pyaot_re_error_get_display(err));
        pyaot_re_error_free(err);
    }
    return re;
}

/* Whether group `group` of `caps` spans `start..end`. */
static int span_is(const pyaot_re_captures *caps, size_t group, size_t start, size_t end) {
    size_t s = 0, e = 0;
    return pyaot_re_captures_get(caps, group, &s, &e) == 1 && s == start && e == end;
}

static void test_search_with_groups(void) {
    pyaot_re_regex *re = compile("(\\w+)@(\\w+)(x)?", 0);
    CHECK(re != NULL);
    CHECK(pyaot_re_groups(re) == 3);
    pyaot_re_captures *caps = pyaot_re_captures_new(re);
    CHECK(pyaot_re_captures_len(caps) == 4);
    const char *text = "mail: bob@example!";
    CHECK(pyaot_re_search(re, text, strlen(text), 0, SIZE_MAX, caps, NULL) == 1);
    CHECK(span_is(caps, 0, 6, 17));
    CHECK(span_is(caps, 1, 6, 9));
    CHECK(span_is(caps, 2, 10, 17));
    CHECK(pyaot_re_captures_get(caps, 3, NULL, NULL) == 0); /* group 3 did not take part */
    CHECK(pyaot_re_captures_get(caps, 4, NULL, NULL) == -1); /* no such group */
    CHECK(pyaot_re_captures_lastindex(caps) == 2);
    /* match is anchored at pos, fullmatch at both ends; endpos cuts the haystack. */
    CHECK(pyaot_re_match(re, text, strlen(text), 0, SIZE_MAX, caps, NULL) == 0);
    CHECK(pyaot_re_captures_get(caps, 0, NULL, NULL) == -1);
    CHECK(pyaot_re_match(re, text, strlen(text), 6, SIZE_MAX, caps, NULL) == 1);
    CHECK(pyaot_re_fullmatch(re, text, strlen(text), 6, 13, caps, NULL) == 1);
    CHECK(span_is(caps, 2, 10, 13));
    CHECK(pyaot_re_search(re, text, strlen(text), 0, 8, NULL, NULL) == 0);
    pyaot_re_captures_free(caps);
    pyaot_re_free(re);
}

static void test_named_groups(void) {
    pyaot_re_regex *re = compile("(?P<year>\\d{4})-(?P<month>\\d\\d)", 0);
    CHECK(re != NULL);
    CHECK(pyaot_re_group_index(re, "month", 5) == 2);
    CHECK(pyaot_re_group_index(re, "day", 3) == -1);
    CHECK(strcmp(pyaot_re_group_name(re, 1), "year") == 0);
    CHECK(pyaot_re_group_name(re, 0) == NULL);
    pyaot_re_captures *caps = pyaot_re_captures_new(re);
    const char *text = "on 2024-05";
    CHECK(pyaot_re_search(re, text, strlen(text), 0, SIZE_MAX, caps, NULL) == 1);
    CHECK(span_is(caps, (size_t)pyaot_re_group_index(re, "year", 4), 3, 7));
    CHECK(strcmp(pyaot_re_group_name(re, pyaot_re_captures_lastindex(caps)), "month") == 0);
    pyaot_re_captures_free(caps);
    pyaot_re_free(re);
}

static void test_iteration_with_empty_matches(void) {
    pyaot_re_regex *re = compile("x*", 0);
    CHECK(re != NULL);
    pyaot_re_captures *caps = pyaot_re_captures_new(re);
    const char *text = "abxd";
    pyaot_re_iter *it = pyaot_re_iter_new(re, text, strlen(text), 0, SIZE_MAX, NULL);
    CHECK(it != NULL);
    /* [m.span() for m in re.finditer('x*', 'abxd')] */
    const size_t expected[][2] = {{0, 0}, {1, 1}, {2, 3}, {3, 3}, {4, 4}};
    size_t n = 0;
    int found;
    while ((found = pyaot_re_iter_next(it, caps, NULL)) == 1) {
        CHECK(n < 5 && span_is(caps, 0, expected[n][0], expected[n][1]));
        n++;
    }
    CHECK(found == 0);
    CHECK(n == 5);
    CHECK(pyaot_re_iter_next(it, caps, NULL) == 0); /* it stays finished */
    pyaot_re_iter_free(it);
    pyaot_re_captures_free(caps);
    pyaot_re_free(re);
}

static void test_sub_and_split(void) {
    pyaot_re_regex *re = compile("(?P<word>[a-z]+)=(\\d)", 0);
    CHECK(re != NULL);
    const char *text = "a=1, bc=2, d=x";
    const char *template = "\\2:\\g<word>";
    size_t n = 0;
    pyaot_re_error *err = NULL;
    pyaot_re_buffer *out = pyaot_re_sub(re, text, strlen(text), template, strlen(template), 0, &n, &err);
    CHECK(out != NULL);
    CHECK(n == 2);
    CHECK(pyaot_re_buffer_get_len(out) == strlen("1:a, 2:bc, d=x"));
    CHECK(strcmp(pyaot_re_buffer_get_data(out), "1:a, 2:bc, d=x") == 0);
    pyaot_re_buffer_free(out);

    /* An unknown group name in the template is CPython's IndexError. */
    const char *bad = "\\g<nope>";
    CHECK(pyaot_re_sub(re, text, strlen(text), bad, strlen(bad), 0, NULL, &err) == NULL);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_INDEX_ERROR);
    CHECK(strcmp(pyaot_re_error_get_message(err), "unknown group name 'nope'") == 0);
    pyaot_re_error_free(err);
    pyaot_re_free(re);

    /* re.split('(,)|;', 'a,b;c') == ['a', ',', 'b', None, 'c'] */
    re = compile("(,)|;", 0);
    CHECK(re != NULL);
    const char *list = "a,b;c";
    pyaot_re_pieces *pieces = pyaot_re_split(re, list, strlen(list), 0, NULL);
    CHECK(pyaot_re_pieces_len(pieces) == 5);
    size_t s = 0, e = 0;
    CHECK(pyaot_re_pieces_get(pieces, 2, &s, &e) == 1 && s == 2 && e == 3);
    CHECK(pyaot_re_pieces_get(pieces, 3, &s, &e) == 0);
    CHECK(pyaot_re_pieces_get(pieces, 5, &s, &e) == -1);
    pyaot_re_pieces_free(pieces);
    pyaot_re_free(re);
}

static void test_bytes_pattern(void) {
    /* Bytes patterns match bytes: \xff is one character, \w is ASCII only. */
    const char pattern[] = "\xff(\\w+)";
    pyaot_re_regex *re = pyaot_re_compile_bytes(pattern, sizeof pattern - 1, 0, NULL);
    CHECK(re != NULL);
    CHECK(pyaot_re_is_bytes(re));
    pyaot_re_captures *caps = pyaot_re_captures_new(re);
    const char text[] = "\x00\xff" "ab\xe9";
    CHECK(pyaot_re_search(re, text, sizeof text - 1, 0, SIZE_MAX, caps, NULL) == 1);
    CHECK(span_is(caps, 1, 2, 4));
    pyaot_re_captures_free(caps);
    pyaot_re_free(re);

    /* The same bytes are not UTF-8, so not a str pattern. */
    pyaot_re_error *err = NULL;
    CHECK(pyaot_re_compile(pattern, sizeof pattern - 1, 0, &err) == NULL);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_INVALID_UTF8);
    pyaot_re_error_free(err);
}

static void test_errors(void) {
    pyaot_re_error *err = NULL;
    CHECK(pyaot_re_compile("a(b", 3, 0, &err) == NULL);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_ERROR);
    CHECK(strcmp(pyaot_re_error_get_message(err), "missing ), unterminated subpattern") == 0);
    CHECK(strcmp(pyaot_re_error_get_display(err), "missing ), unterminated subpattern at position 1") == 0);
    CHECK(pyaot_re_error_get_position(err) == 1);
    pyaot_re_error_free(err);

    err = NULL;
    CHECK(pyaot_re_compile("a", 1, PYAOT_RE_LOCALE, &err) == NULL);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_VALUE_ERROR);
    CHECK(pyaot_re_error_get_position(err) == -1);
    pyaot_re_error_free(err);

    /* NULL arguments are errors, not crashes. */
    err = NULL;
    CHECK(pyaot_re_compile(NULL, 0, 0, &err) == NULL);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_INVALID_ARGUMENT);
    pyaot_re_error_free(err);
    CHECK(pyaot_re_search(NULL, "a", 1, 0, 1, NULL, NULL) == -1);
    pyaot_re_free(NULL);
    pyaot_re_error_free(NULL);

    /* A backreference keeps this pattern on the backtracking engine, where (a|aa)+ has
     * exponentially many ways to fail; a small step limit makes that an error at once. */
    pyaot_re_regex *re = compile("(a|aa)+\\1$", 0);
    CHECK(re != NULL);
    CHECK(pyaot_re_set_step_limit(re, 100000) == 0);
    const char *text = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    err = NULL;
    CHECK(pyaot_re_search(re, text, strlen(text), 0, SIZE_MAX, NULL, &err) == -1);
    CHECK(pyaot_re_error_get_kind(err) == PYAOT_RE_ERROR_KIND_STEP_LIMIT);
    pyaot_re_error_free(err);
    pyaot_re_free(re);
}

int main(void) {
    test_search_with_groups();
    test_named_groups();
    test_iteration_with_empty_matches();
    test_sub_and_split();
    test_bytes_pattern();
    test_errors();
    if (failures != 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("test_regex: all checks passed\n");
    return 0;
}
