/*
 * The C ABI of pyaot-http, exercised from C against a small HTTP/1.1 server that this program
 * runs on 127.0.0.1 (a thread with POSIX sockets, on a port the system picks; it answers one
 * connection at a time and closes each after one response).
 *
 * scripts/test compiles and runs it from the repository root:
 *   cargo build -p pyaot-http-capi
 *   cc -std=c11 -Wall -Wextra -Werror -I libs/http/capi/include \
 *       libs/http/capi/ctest/test_http.c target/debug/libpyaot_http_capi.a \
 *       -lpthread -ldl -lm && ./a.out
 * It needs no network beyond the loopback interface. It exits non-zero at the first failed
 * check, and frees everything it creates: check with
 *   valgrind --leak-check=full --error-exitcode=1 ./a.out
 */

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "pyaot_http.h"

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

/* A C string as `const uint8_t *, size_t`. */
#define CSTR(s) (const uint8_t *)(s), strlen(s)

/* ---------------------------------------------------------------------------------------- */
/* The server.                                                                               */
/* ---------------------------------------------------------------------------------------- */

/* "hello, gzip! hello, gzip! hello, gzip!\n", compressed by Python's
 * gzip.compress(text, mtime=0). */
static const uint8_t GZIP_BODY[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd,
                                    0xc9, 0xc9, 0xd7, 0x51, 0x48, 0xaf, 0xca, 0x2c, 0x50, 0x54, 0xc8, 0xc0, 0xc5,
                                    0xe1, 0x02, 0x00, 0xa8, 0x1b, 0x9f, 0xf2, 0x27, 0x00, 0x00, 0x00};
static const char GZIP_TEXT[] = "hello, gzip! hello, gzip! hello, gzip!\n";

/* The /stream body is STREAM_CHUNKS chunks of chunked transfer encoding, chunk i being
 * stream_chunk(i). */
#define STREAM_CHUNKS 20
static int stream_chunk(int i, char *out, size_t cap) {
    return snprintf(out, cap, "chunk %02d of the streamed body\n", i);
}

/* How long /slow waits before answering; the read timeout of its test is 200 ms. */
#define SLOW_MS 700

typedef struct {
    int listen_fd;
    uint16_t port;
    atomic_bool stop;
    pthread_t thread;
} server;

/* Writes all `len` bytes (a client that went away is not an error: /slow outlives its
 * client). */
static void send_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return;
        }
        p += n;
        len -= (size_t)n;
    }
}

/* The value of header `name` in the request head `head` (NUL-terminated, lines ending in
 * CRLF), copied to `out`; "" when absent. */
static void request_header(const char *head, const char *name, char *out, size_t cap) {
    size_t name_len = strlen(name);
    out[0] = '\0';
    for (const char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line, "\r\n")) {
        line += 2;
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *value = line + name_len + 1;
            while (*value == ' ') value++;
            const char *end = strstr(value, "\r\n");
            size_t len = end ? (size_t)(end - value) : strlen(value);
            if (len >= cap) len = cap - 1;
            memcpy(out, value, len);
            out[len] = '\0';
            return;
        }
    }
}

/* Sends a response with a Content-Length: the status line, `headers` (each line ending in
 * CRLF), then `body`. */
static void respond(int fd, const char *status, const char *headers, const void *body, size_t body_len) {
    char head[8192];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
                     headers, body_len);
    send_all(fd, head, (size_t)n);
    send_all(fd, body, body_len);
}

/* Reads one request and answers it. */
static void handle(int fd) {
    static char buf[65536];
    size_t len = 0;
    char *end = NULL;
    while (end == NULL) {
        if (len == sizeof buf - 1) return;
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0) return; /* the client went away (or sent nothing in time) */
        len += (size_t)n;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    size_t head_len = (size_t)(end - buf) + 4;
    buf[head_len - 2] = '\0'; /* the head, without the blank line, as a C string */
    char value[1024];
    request_header(buf, "content-length", value, sizeof value);
    size_t body_len = value[0] ? strtoul(value, NULL, 10) : 0;
    if (body_len > sizeof buf - 1 - head_len) return;
    while (len < head_len + body_len) {
        ssize_t n = recv(fd, buf + len, head_len + body_len - len, 0);
        if (n <= 0) return;
        len += (size_t)n;
    }
    const char *body = buf + head_len;

    char method[16] = "", target[1024] = "";
    if (sscanf(buf, "%15s %1023s", method, target) != 2) return;

    if (strncmp(target, "/echo", 5) == 0) {
        /* The request, reflected in headers; its body as the response body. */
        char headers[6144], custom[1024], auth[1024], cookie[1024], type[1024];
        request_header(buf, "x-custom", custom, sizeof custom);
        request_header(buf, "authorization", auth, sizeof auth);
        request_header(buf, "cookie", cookie, sizeof cookie);
        request_header(buf, "content-type", type, sizeof type);
        snprintf(headers, sizeof headers,
                 "Content-Type: application/octet-stream\r\nX-Method: %s\r\nX-Target: %s\r\nX-Custom: %s\r\n"
                 "X-Authorization: %s\r\nX-Cookie: %s\r\nX-Content-Type: %s\r\nX-Multi: one\r\nX-Multi: two\r\n"
                 "X-Latin1: caf\xe9\r\n",
                 method, target, custom, auth, cookie, type);
        respond(fd, "200 OK", headers, body, body_len);
    } else if (strcmp(target, "/teapot") == 0) {
        respond(fd, "418 I'm a Teapot", "Content-Type: text/plain\r\n", "short and stout", 15);
    } else if (strcmp(target, "/redirect") == 0) {
        respond(fd, "302 Found", "Location: /echo?from=redirect\r\n", "moved", 5);
    } else if (strcmp(target, "/gzip") == 0) {
        respond(fd, "200 OK", "Content-Type: text/plain\r\nContent-Encoding: gzip\r\n", GZIP_BODY, sizeof GZIP_BODY);
    } else if (strcmp(target, "/cookie") == 0) {
        respond(fd, "200 OK", "Set-Cookie: flavour=oatmeal; Path=/\r\n", "set", 3);
    } else if (strcmp(target, "/slow") == 0) {
        struct timespec wait = {SLOW_MS / 1000, (SLOW_MS % 1000) * 1000000L};
        nanosleep(&wait, NULL);
        respond(fd, "200 OK", "", "late", 4);
    } else if (strcmp(target, "/stream") == 0) {
        const char *head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        send_all(fd, head, strlen(head));
        for (int i = 0; i < STREAM_CHUNKS; i++) {
            char chunk[128], size[16];
            int n = stream_chunk(i, chunk, sizeof chunk);
            int m = snprintf(size, sizeof size, "%x\r\n", n);
            send_all(fd, size, (size_t)m);
            send_all(fd, chunk, (size_t)n);
            send_all(fd, "\r\n", 2);
        }
        send_all(fd, "0\r\n\r\n", 5);
    } else {
        respond(fd, "404 Not Found", "", "", 0);
    }
}

static void *serve(void *arg) {
    server *s = arg;
    for (;;) {
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR) continue;
            return NULL;
        }
        if (atomic_load(&s->stop)) {
            close(fd);
            return NULL;
        }
        /* A client that connects and sends nothing (or garbage) must not stall the server. */
        struct timeval limit = {2, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        handle(fd);
        shutdown(fd, SHUT_WR);
        close(fd);
    }
}

/* A socket bound to a free port of 127.0.0.1; its port goes to `*port`. */
static int bind_loopback(uint16_t *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    socklen_t addr_len = sizeof addr;
    CHECK(getsockname(fd, (struct sockaddr *)&addr, &addr_len) == 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

static void server_start(server *s) {
    s->listen_fd = bind_loopback(&s->port);
    CHECK(listen(s->listen_fd, 16) == 0);
    atomic_init(&s->stop, false);
    CHECK(pthread_create(&s->thread, NULL, serve, s) == 0);
}

/* Stops the server: sets the flag, then wakes its accept() with a connection of our own. */
static void server_stop(server *s) {
    atomic_store(&s->stop, true);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(s->port);
    CHECK(connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    close(fd);
    CHECK(pthread_join(s->thread, NULL) == 0);
    close(s->listen_fd);
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers.                                                                                  */
/* ---------------------------------------------------------------------------------------- */

static server srv;
static pyaot_http_client *client;

/* The URL of `path` on the test server. */
static const char *url(const char *path) {
    static char buf[256];
    snprintf(buf, sizeof buf, "http://127.0.0.1:%u%s", (unsigned)srv.port, path);
    return buf;
}

/* Whether C string `s` ends with `suffix`. */
static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A new request, checking that it is made. */
static pyaot_http_request *request(const char *method, const char *target) {
    pyaot_http_request *req = NULL;
    CHECK(pyaot_http_request_new(CSTR(method), CSTR(target), &req) == PYAOT_HTTP_RESULT_OK);
    CHECK(req != NULL);
    return req;
}

/* Sends `req` (and frees it), checking that a response comes back. */
static pyaot_http_response *send_ok(pyaot_http_request *req, const pyaot_http_jar *jar) {
    pyaot_http_response *response = NULL;
    pyaot_http_error *error = NULL;
    pyaot_http_result rc = pyaot_http_client_send(client, req, jar, &response, &error);
    if (rc != PYAOT_HTTP_RESULT_OK)
        fprintf(stderr, "send failed: %s: %s\n", pyaot_http_result_describe(rc),
                error ? pyaot_http_error_get_message(error) : "(no error)");
    CHECK(rc == PYAOT_HTTP_RESULT_OK);
    CHECK(response != NULL && error == NULL);
    pyaot_http_request_free(req);
    return response;
}

/* Sends `req` (and frees it), checking that it fails with `expected` and a message; returns
 * the error (the caller frees it). */
#define SEND_FAILS(req, expected) send_fails(__LINE__, req, expected)
static pyaot_http_error *send_fails(int line, pyaot_http_request *req, pyaot_http_result expected) {
    pyaot_http_response *response = NULL;
    pyaot_http_error *error = NULL;
    pyaot_http_result rc = pyaot_http_client_send(client, req, NULL, &response, &error);
    const char *message = pyaot_http_error_get_message(error);
    checks++;
    if (rc != expected || response != NULL || error == NULL || pyaot_http_error_get_result(error) != expected ||
        message == NULL || message[0] == '\0') {
        fprintf(stderr, "%s:%d: expected %s, got %s: %s\n", __FILE__, line, pyaot_http_result_describe(expected),
                pyaot_http_result_describe(rc), message ? message : "(no message)");
        exit(1);
    }
    pyaot_http_request_free(req);
    return error;
}

/* Checks the joined value of header `name` (NULL: absent). */
#define CHECK_HEADER(response, name, expected) check_header(__LINE__, response, name, expected)
static void check_header(int line, const pyaot_http_response *response, const char *name, const char *expected) {
    const char *value = "(not written)";
    pyaot_http_result rc = pyaot_http_response_get_header(response, CSTR(name), &value);
    checks++;
    bool same = expected == NULL ? value == NULL : value != NULL && strcmp(value, expected) == 0;
    if (rc != PYAOT_HTTP_RESULT_OK || !same) {
        fprintf(stderr, "%s:%d: header %s: expected \"%s\", got \"%s\" (%s)\n", __FILE__, line, name,
                expected ? expected : "(absent)", value ? value : "(absent)", pyaot_http_result_describe(rc));
        exit(1);
    }
}

/* Checks the whole body. */
#define CHECK_BODY(response, expected, expected_len) check_body(__LINE__, response, expected, expected_len)
static void check_body(int line, pyaot_http_response *response, const void *expected, size_t expected_len) {
    const uint8_t *data = NULL;
    size_t len = 0;
    pyaot_http_error *error = NULL;
    pyaot_http_result rc = pyaot_http_response_read_body(response, &data, &len, &error);
    checks++;
    if (rc != PYAOT_HTTP_RESULT_OK || data == NULL || len != expected_len || memcmp(data, expected, len) != 0) {
        fprintf(stderr, "%s:%d: body differs (%s): expected %zu bytes, got %zu: %.*s\n", __FILE__, line,
                pyaot_http_result_describe(rc), expected_len, len, (int)len, data ? (const char *)data : "");
        exit(1);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Tests.                                                                                    */
/* ---------------------------------------------------------------------------------------- */

/* A GET with a custom header, query parameters and basic auth, echoed back; headers by name
 * and by index. */
static void test_get(void) {
    pyaot_http_request *req = request("get", url("/echo"));
    CHECK(pyaot_http_request_set_header(req, TEXT("X-Custom"), TEXT("hello pyaot")) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_add_query_param(req, TEXT("q"), TEXT("a b&c")) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_add_raw_query(req, TEXT("x=1")) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_set_basic_auth(req, TEXT("user"), TEXT("pass")) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_response *response = send_ok(req, NULL);

    CHECK(pyaot_http_response_get_status(response) == 200);
    CHECK(strcmp(pyaot_http_response_get_reason(response), "OK") == 0);
    CHECK(ends_with(pyaot_http_response_get_url(response), "/echo?q=a+b%26c&x=1"));
    CHECK(pyaot_http_response_get_history_len(response) == 0);
    CHECK(pyaot_http_response_get_history(response, 0) == NULL);
    CHECK_HEADER(response, "X-Method", "GET"); /* the method was upper-cased */
    CHECK_HEADER(response, "x-target", "/echo?q=a+b%26c&x=1");
    CHECK_HEADER(response, "X-Custom", "hello pyaot");
    CHECK_HEADER(response, "X-Authorization", "Basic dXNlcjpwYXNz");
    CHECK_HEADER(response, "X-MULTI", "one, two"); /* repeated lines joined, as requests does */
    CHECK_HEADER(response, "X-Latin1", "caf\xc3\xa9"); /* byte E9 read as ISO-8859-1 */
    CHECK_HEADER(response, "X-Missing", NULL);
    CHECK_HEADER(response, "X-Custom", "hello pyaot"); /* asking again gives the same */

    /* By index: names lower-case, in the order received, repeated lines apart. */
    size_t count = pyaot_http_response_get_headers_len(response);
    CHECK(count >= 11);
    int multi = 0;
    bool saw_length = false, lower_case = true;
    for (size_t i = 0; i < count; i++) {
        const char *name = NULL, *value = NULL;
        CHECK(pyaot_http_response_get_header_at(response, i, &name, &value) == PYAOT_HTTP_RESULT_OK);
        CHECK(name != NULL && value != NULL);
        for (const char *c = name; *c; c++) lower_case &= !(*c >= 'A' && *c <= 'Z');
        if (strcmp(name, "x-multi") == 0) {
            CHECK(strcmp(value, multi == 0 ? "one" : "two") == 0);
            multi++;
        }
        if (strcmp(name, "content-length") == 0) saw_length = strcmp(value, "0") == 0;
    }
    CHECK(multi == 2 && saw_length && lower_case);
    const char *name = "(not written)", *value = "(not written)";
    CHECK(pyaot_http_response_get_header_at(response, count, &name, &value) == PYAOT_HTTP_RESULT_INVALID_ARGUMENT);
    CHECK(strcmp(name, "(not written)") == 0 && strcmp(value, "(not written)") == 0);

    CHECK_BODY(response, "", 0);
    /* The body was read by send: streaming it now is too late. */
    uint8_t buf[8];
    size_t n = 99;
    pyaot_http_error *error = NULL;
    CHECK(pyaot_http_response_read(response, buf, sizeof buf, &n, &error) == PYAOT_HTTP_RESULT_STREAM_CONSUMED);
    CHECK(n == 99 && pyaot_http_error_get_result(error) == PYAOT_HTTP_RESULT_STREAM_CONSUMED);
    pyaot_http_error_free(error);
    pyaot_http_response_free(response);
}

/* A POST body (with a NUL byte) echoed back. */
static void test_post(void) {
    static const char body[] = "posted\0bytes \xff";
    pyaot_http_request *req = request("POST", url("/echo"));
    CHECK(pyaot_http_request_set_body(req, (const uint8_t *)body, sizeof body - 1) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_set_header(req, TEXT("Content-Type"), TEXT("application/x-test")) ==
          PYAOT_HTTP_RESULT_OK);
    pyaot_http_response *response = send_ok(req, NULL);
    CHECK(pyaot_http_response_get_status(response) == 200);
    CHECK_HEADER(response, "X-Method", "POST");
    CHECK_HEADER(response, "X-Content-Type", "application/x-test");
    CHECK_BODY(response, body, sizeof body - 1);
    CHECK_BODY(response, body, sizeof body - 1); /* kept: the same bytes again */
    pyaot_http_response_free(response);
}

/* The status and the reason phrase the server sent (not the standard "I'm a teapot"). */
static void test_status_and_reason(void) {
    pyaot_http_response *response = send_ok(request("GET", url("/teapot")), NULL);
    CHECK(pyaot_http_response_get_status(response) == 418);
    CHECK(strcmp(pyaot_http_response_get_reason(response), "I'm a Teapot") == 0);
    CHECK_BODY(response, "short and stout", 15);
    pyaot_http_response_free(response);

    response = send_ok(request("GET", url("/nothing-here")), NULL);
    CHECK(pyaot_http_response_get_status(response) == 404); /* a status is not an error */
    CHECK(strcmp(pyaot_http_response_get_reason(response), "Not Found") == 0);
    pyaot_http_response_free(response);
}

/* A 302 followed (history of one), not followed when disabled, and over the limit. */
static void test_redirects(void) {
    pyaot_http_response *response = send_ok(request("GET", url("/redirect")), NULL);
    CHECK(pyaot_http_response_get_status(response) == 200);
    CHECK(ends_with(pyaot_http_response_get_url(response), "/echo?from=redirect"));
    CHECK(strcmp(pyaot_http_response_get_url(response), url("/echo?from=redirect")) == 0);
    CHECK_HEADER(response, "X-Target", "/echo?from=redirect");
    CHECK(pyaot_http_response_get_history_len(response) == 1);
    const pyaot_http_response *hop = pyaot_http_response_get_history(response, 0);
    CHECK(hop != NULL);
    CHECK(pyaot_http_response_get_status(hop) == 302);
    CHECK(strcmp(pyaot_http_response_get_reason(hop), "Found") == 0);
    CHECK(strcmp(pyaot_http_response_get_url(hop), url("/redirect")) == 0);
    CHECK_HEADER(hop, "Location", "/echo?from=redirect");
    CHECK(pyaot_http_response_get_history(response, 1) == NULL);
    pyaot_http_response_free(response);

    pyaot_http_request *req = request("GET", url("/redirect"));
    CHECK(pyaot_http_request_set_allow_redirects(req, false) == PYAOT_HTTP_RESULT_OK);
    response = send_ok(req, NULL);
    CHECK(pyaot_http_response_get_status(response) == 302);
    CHECK(strcmp(pyaot_http_response_get_url(response), url("/redirect")) == 0);
    CHECK(pyaot_http_response_get_history_len(response) == 0);
    CHECK_HEADER(response, "location", "/echo?from=redirect");
    CHECK_BODY(response, "moved", 5);
    pyaot_http_response_free(response);

    req = request("GET", url("/redirect"));
    CHECK(pyaot_http_request_set_max_redirects(req, 0) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_error *error = SEND_FAILS(req, PYAOT_HTTP_RESULT_TOO_MANY_REDIRECTS);
    CHECK(strcmp(pyaot_http_error_get_message(error), "Exceeded 0 redirects.") == 0);
    CHECK(pyaot_http_error_take_response(error, &response) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_response_get_status(response) == 302);
    CHECK_BODY(response, "moved", 5);
    pyaot_http_response *again = NULL;
    CHECK(pyaot_http_error_take_response(error, &again) == PYAOT_HTTP_RESULT_INVALID_ARGUMENT && again == NULL);
    pyaot_http_response_free(response);
    pyaot_http_error_free(error);
}

/* A gzip body decoded. */
static void test_gzip(void) {
    pyaot_http_response *response = send_ok(request("GET", url("/gzip")), NULL);
    CHECK(pyaot_http_response_get_status(response) == 200);
    CHECK_HEADER(response, "Content-Encoding", "gzip");
    CHECK_BODY(response, GZIP_TEXT, sizeof GZIP_TEXT - 1);
    pyaot_http_response_free(response);
}

/* A chunked body streamed into a small buffer, then read no more. */
static void test_stream(void) {
    pyaot_http_request *req = request("GET", url("/stream"));
    CHECK(pyaot_http_request_set_stream(req, true) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_response *response = send_ok(req, NULL);
    CHECK(pyaot_http_response_get_status(response) == 200);
    CHECK_HEADER(response, "Transfer-Encoding", "chunked");

    char expected[4096], got[4096];
    size_t expected_len = 0, got_len = 0;
    for (int i = 0; i < STREAM_CHUNKS; i++)
        expected_len += (size_t)stream_chunk(i, expected + expected_len, sizeof expected - expected_len);
    /* How many reads it takes depends on how the bytes arrive: one check for them all, so that
     * the count of checks is the same on every run. */
    bool reads_ok = true;
    for (;;) {
        uint8_t buf[16];
        size_t n = 0;
        pyaot_http_error *error = NULL;
        pyaot_http_result rc = pyaot_http_response_read(response, buf, sizeof buf, &n, &error);
        reads_ok &= rc == PYAOT_HTTP_RESULT_OK && error == NULL && n <= sizeof buf && got_len + n <= sizeof got;
        if (!reads_ok || n == 0) break;
        memcpy(got + got_len, buf, n);
        got_len += n;
    }
    CHECK(reads_ok);
    CHECK(got_len == expected_len && memcmp(got, expected, got_len) == 0);

    /* At the end it stays at the end; the whole body cannot be had any more. */
    size_t n = 99;
    CHECK(pyaot_http_response_read(response, NULL, 0, &n, NULL) == PYAOT_HTTP_RESULT_OK && n == 0);
    uint8_t buf[16];
    n = 99;
    CHECK(pyaot_http_response_read(response, buf, sizeof buf, &n, NULL) == PYAOT_HTTP_RESULT_OK && n == 0);
    pyaot_http_error *error = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK(pyaot_http_response_read_body(response, &data, &len, &error) == PYAOT_HTTP_RESULT_STREAM_CONSUMED);
    CHECK(data == NULL && len == 0 && pyaot_http_error_get_result(error) == PYAOT_HTTP_RESULT_STREAM_CONSUMED);
    pyaot_http_error_free(error);
    pyaot_http_response_free(response);

    /* Streaming, the whole body may still be read at once. */
    req = request("GET", url("/stream"));
    CHECK(pyaot_http_request_set_stream(req, true) == PYAOT_HTTP_RESULT_OK);
    response = send_ok(req, NULL);
    CHECK_BODY(response, expected, expected_len);
    pyaot_http_response_free(response);

    /* A streamed response outlives its client. */
    pyaot_http_client *own = pyaot_http_client_new();
    req = request("GET", url("/stream"));
    CHECK(pyaot_http_request_set_stream(req, true) == PYAOT_HTTP_RESULT_OK);
    response = NULL;
    CHECK(pyaot_http_client_send(own, req, NULL, &response, NULL) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_request_free(req);
    pyaot_http_client_free(own);
    CHECK_BODY(response, expected, expected_len);
    pyaot_http_response_free(response);
}

/* Cookies a response sets go into the jar and out with the next request. */
static void test_jar(void) {
    pyaot_http_jar *jar = pyaot_http_jar_new();
    CHECK(jar != NULL && pyaot_http_jar_get_len(jar) == 0);
    pyaot_http_response *response = send_ok(request("GET", url("/cookie")), jar);
    CHECK_HEADER(response, "Set-Cookie", "flavour=oatmeal; Path=/");
    pyaot_http_response_free(response);
    CHECK(pyaot_http_jar_get_len(jar) == 1);
    response = send_ok(request("GET", url("/echo")), jar);
    CHECK_HEADER(response, "X-Cookie", "flavour=oatmeal");
    pyaot_http_response_free(response);
    response = send_ok(request("GET", url("/echo")), NULL);
    CHECK_HEADER(response, "X-Cookie", "");
    pyaot_http_response_free(response);
    pyaot_http_jar_free(jar);
}

/* Errors: each kind its code, with a message. */
static void test_errors(void) {
    /* The server waits longer than the read timeout. */
    pyaot_http_request *req = request("GET", url("/slow"));
    CHECK(pyaot_http_request_set_timeouts(req, 5000, 200) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_error *error = SEND_FAILS(req, PYAOT_HTTP_RESULT_READ_TIMEOUT);
    CHECK(strstr(pyaot_http_error_get_message(error), "timed out") != NULL);
    pyaot_http_error_free(error);

    /* Nothing listens on a port that was just freed. */
    uint16_t closed_port = 0;
    close(bind_loopback(&closed_port));
    char refused[64];
    snprintf(refused, sizeof refused, "http://127.0.0.1:%u/", (unsigned)closed_port);
    pyaot_http_error_free(SEND_FAILS(request("GET", refused), PYAOT_HTTP_RESULT_CONNECTION));

    pyaot_http_error_free(SEND_FAILS(request("GET", "http://"), PYAOT_HTTP_RESULT_INVALID_URL));
    pyaot_http_error_free(SEND_FAILS(request("GET", "http://[::1/x"), PYAOT_HTTP_RESULT_INVALID_URL));
    error = SEND_FAILS(request("GET", "example.com/x"), PYAOT_HTTP_RESULT_MISSING_SCHEMA);
    CHECK(strstr(pyaot_http_error_get_message(error), "example.com/x") != NULL);
    pyaot_http_error_free(error);
    pyaot_http_error_free(SEND_FAILS(request("GET", "ftp://127.0.0.1/x"), PYAOT_HTTP_RESULT_INVALID_SCHEMA));

    /* CR/LF in a header value is refused before anything is sent (no header injection). */
    req = request("GET", url("/echo"));
    CHECK(pyaot_http_request_set_header(req, TEXT("X-Custom"), TEXT("a\r\nInjected: 1")) == PYAOT_HTTP_RESULT_OK);
    error = SEND_FAILS(req, PYAOT_HTTP_RESULT_INVALID_HEADER);
    CHECK(strstr(pyaot_http_error_get_message(error), "header value") != NULL);
    pyaot_http_error_free(error);
    req = request("GET", url("/echo"));
    CHECK(pyaot_http_request_set_header(req, TEXT("X-Bad\nName"), TEXT("v")) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_error_free(SEND_FAILS(req, PYAOT_HTTP_RESULT_INVALID_HEADER));

    /* A CA bundle that cannot be read, for an https URL. */
    char https[64];
    snprintf(https, sizeof https, "https://127.0.0.1:%u/", (unsigned)srv.port);
    req = request("GET", https);
    CHECK(pyaot_http_request_set_ca_bundle(req, TEXT("/nonexistent/ca.pem")) == PYAOT_HTTP_RESULT_OK);
    pyaot_http_error_free(SEND_FAILS(req, PYAOT_HTTP_RESULT_INVALID_CONFIG));

    /* Without error_out, the code alone. */
    req = request("GET", "http://");
    pyaot_http_response *response = NULL;
    CHECK(pyaot_http_client_send(client, req, NULL, &response, NULL) == PYAOT_HTTP_RESULT_INVALID_URL);
    CHECK(response == NULL);
    pyaot_http_request_free(req);
}

/* NULL pointers, text that is not UTF-8 and spent requests are refused, never a crash. */
static void test_bad_arguments(void) {
    const pyaot_http_result refused = PYAOT_HTTP_RESULT_INVALID_ARGUMENT, utf8 = PYAOT_HTTP_RESULT_INVALID_UTF8;
    pyaot_http_request *req = NULL;
    CHECK(pyaot_http_request_new(NULL, 0, CSTR(url("/echo")), &req) == refused);
    CHECK(pyaot_http_request_new(TEXT("GET"), NULL, 0, &req) == refused);
    CHECK(pyaot_http_request_new(TEXT("GET"), CSTR(url("/echo")), NULL) == refused);
    CHECK(pyaot_http_request_new(TEXT("GET"), TEXT("http://127.0.0.1/\xff"), &req) == utf8);
    CHECK(pyaot_http_request_new(TEXT("G\xc3T"), CSTR(url("/echo")), &req) == utf8);
    CHECK(req == NULL);

    req = request("GET", url("/echo"));
    CHECK(pyaot_http_request_set_header(NULL, TEXT("a"), TEXT("b")) == refused);
    CHECK(pyaot_http_request_set_header(req, NULL, 0, TEXT("b")) == refused);
    CHECK(pyaot_http_request_set_header(req, TEXT("a"), NULL, 0) == refused);
    CHECK(pyaot_http_request_set_header(req, TEXT("X-A"), TEXT("\xe9")) == utf8);
    CHECK(pyaot_http_request_add_query_param(req, TEXT("\x80"), TEXT("v")) == utf8);
    CHECK(pyaot_http_request_add_raw_query(req, NULL, 0) == refused);
    CHECK(pyaot_http_request_set_body(req, NULL, 1) == refused);
    CHECK(pyaot_http_request_set_body(req, NULL, 0) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_set_basic_auth(req, TEXT("u"), NULL, 0) == refused);
    CHECK(pyaot_http_request_set_ca_bundle(req, TEXT("\xff")) == utf8);
    CHECK(pyaot_http_request_set_verify(req, true) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_set_timeouts(NULL, 1, 1) == refused);
    CHECK(pyaot_http_request_set_timeouts(req, PYAOT_HTTP_NO_TIMEOUT, 10000) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_request_set_allow_redirects(NULL, true) == refused);
    CHECK(pyaot_http_request_set_max_redirects(NULL, 1) == refused);
    CHECK(pyaot_http_request_set_stream(NULL, true) == refused);
    CHECK(pyaot_http_request_set_verify(NULL, true) == refused);

    /* A refused send does not spend the request. */
    pyaot_http_response *response = NULL;
    pyaot_http_error *error = NULL;
    CHECK(pyaot_http_client_send(NULL, req, NULL, &response, &error) == refused);
    CHECK(pyaot_http_client_send(client, NULL, NULL, &response, &error) == refused);
    CHECK(pyaot_http_client_send(client, req, NULL, NULL, &error) == refused);
    CHECK(response == NULL && error == NULL);
    CHECK(pyaot_http_client_send(client, req, NULL, &response, &error) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_response_get_status(response) == 200);
    pyaot_http_response_free(response);
    response = NULL;
    /* A sent request cannot be sent again or changed, but is still freed. */
    CHECK(pyaot_http_client_send(client, req, NULL, &response, &error) == refused);
    CHECK(response == NULL && error == NULL);
    CHECK(pyaot_http_request_set_header(req, TEXT("a"), TEXT("b")) == refused);
    CHECK(pyaot_http_request_set_stream(req, true) == refused);
    pyaot_http_request_free(req);

    /* Response getters: neutral answers for NULL. */
    const char *value = NULL, *name = NULL;
    const uint8_t *data = NULL;
    size_t len = 0;
    uint8_t buf[4];
    CHECK(pyaot_http_response_get_status(NULL) == 0);
    CHECK(pyaot_http_response_get_reason(NULL) == NULL);
    CHECK(pyaot_http_response_get_url(NULL) == NULL);
    CHECK(pyaot_http_response_get_headers_len(NULL) == 0);
    CHECK(pyaot_http_response_get_history_len(NULL) == 0);
    CHECK(pyaot_http_response_get_history(NULL, 0) == NULL);
    CHECK(pyaot_http_response_get_header(NULL, TEXT("a"), &value) == refused);
    CHECK(pyaot_http_response_get_header_at(NULL, 0, &name, &value) == refused);
    CHECK(pyaot_http_response_read_body(NULL, &data, &len, &error) == refused);
    CHECK(pyaot_http_response_read(NULL, buf, sizeof buf, &len, &error) == refused);
    CHECK(error == NULL);

    response = send_ok(request("GET", url("/echo")), NULL);
    CHECK(pyaot_http_response_get_header(response, NULL, 0, &value) == refused);
    CHECK(pyaot_http_response_get_header(response, TEXT("a"), NULL) == refused);
    CHECK(pyaot_http_response_get_header(response, TEXT("\xff"), &value) == utf8);
    CHECK(pyaot_http_response_get_header_at(response, 0, NULL, &value) == refused);
    CHECK(pyaot_http_response_read_body(response, NULL, &len, NULL) == refused);
    CHECK(pyaot_http_response_read(response, NULL, 4, &len, NULL) == refused);
    CHECK(pyaot_http_response_read(response, buf, sizeof buf, NULL, NULL) == refused);
    CHECK(value == NULL && name == NULL && data == NULL && len == 0);
    pyaot_http_response_free(response);

    /* Errors and the rest. */
    CHECK(pyaot_http_error_get_result(NULL) == PYAOT_HTTP_RESULT_OK);
    CHECK(pyaot_http_error_get_message(NULL) == NULL);
    CHECK(pyaot_http_error_take_response(NULL, &response) == refused);
    CHECK(pyaot_http_jar_get_len(NULL) == 0);
    CHECK(strcmp(pyaot_http_result_describe(PYAOT_HTTP_RESULT_READ_TIMEOUT), "read timeout") == 0);
    CHECK(strcmp(pyaot_http_result_describe(PYAOT_HTTP_RESULT_PANIC + 1), "unknown result code") == 0);
    pyaot_http_client_free(NULL);
    pyaot_http_jar_free(NULL);
    pyaot_http_request_free(NULL);
    pyaot_http_response_free(NULL);
    pyaot_http_error_free(NULL);
}

/* The tests run on a thread of their own, joined before the program ends: the library keeps
 * some state per thread (Rust's handle of the current thread, for one), which is freed when a
 * thread exits but not when main returns, and valgrind should see everything freed. */
static void *run_tests(void *unused) {
    (void)unused;
    client = pyaot_http_client_new();
    CHECK(client != NULL);
    test_get();
    test_post();
    test_status_and_reason();
    test_redirects();
    test_gzip();
    test_stream();
    test_jar();
    test_errors();
    test_bad_arguments();
    pyaot_http_client_free(client);
    return NULL;
}

int main(void) {
    /* The requests go to 127.0.0.1 directly, whatever proxy the environment names. */
    const char *proxies[] = {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof *proxies; i++) unsetenv(proxies[i]);

    server_start(&srv);
    pthread_t tests;
    CHECK(pthread_create(&tests, NULL, run_tests, NULL) == 0);
    CHECK(pthread_join(tests, NULL) == 0);
    server_stop(&srv);
    printf("test_http: %d checks passed\n", checks);
    return 0;
}
