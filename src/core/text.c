/* Line scanning, tokens and file reading for the core text readers. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/instance.h"
#include "xtrain/rat.h"
#include "text.h"

const char *xt_text_display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Reads all of stream into *text; the caller has opened it. */
static int read_stream(char **text, size_t *len, FILE *stream,
                       const char *name, xt_error_t *err)
{
    size_t capacity = 1 << 16, used = 0;
    char *buffer = malloc(capacity);

    if (!buffer)
        goto nomem;
    for (;;) {
        used += fread(buffer + used, 1, capacity - used - 1, stream);
        if (used < capacity - 1)
            break;
        if (capacity > SIZE_MAX / 2)
            goto nomem;
        char *bigger = realloc(buffer, capacity * 2);
        if (!bigger)
            goto nomem;
        buffer = bigger;
        capacity *= 2;
    }
    if (ferror(stream)) {
        xt_error_at(err, name, 0, "read failed: %s", strerror(errno));
        free(buffer);
        return XT_ERR_IO;
    }
    buffer[used] = '\0';
    *text = buffer;
    *len = used;
    return XT_OK;

nomem:
    free(buffer);
    xt_error_at(err, name, 0, "out of memory while reading the file");
    return XT_ERR_NOMEM;
}

int xt_text_read_file(char **text, size_t *len, const char *path,
                      xt_error_t *err)
{
    const char *name = xt_text_display_name(path);
    FILE *stream;
    int status;

    *text = NULL;
    *len = 0;
    if (strcmp(path, "-") == 0)
        return read_stream(text, len, stdin, name, err);

    stream = fopen(path, "rb");
    if (!stream) {
        xt_error_at(err, name, 0, "cannot open file: %s", strerror(errno));
        return XT_ERR_IO;
    }
    status = read_stream(text, len, stream, name, err);
    fclose(stream);
    return status;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
           ch == '\f';
}

void xt_lines_init(xt_lines *lines, const char *text, size_t len,
                   const char *name, int comments)
{
    lines->text = text;
    lines->len = len;
    lines->pos = 0;
    lines->name = name;
    lines->comments = comments;
    lines->line = 0;
    lines->current.start = text;
    lines->current.len = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        lines->pos = 3;
}

int xt_lines_next(xt_lines *lines, xt_error_t *err)
{
    while (lines->pos < lines->len) {
        const char *start = lines->text + lines->pos;
        size_t rest = lines->len - lines->pos;
        const char *newline = memchr(start, '\n', rest);
        size_t len = newline ? (size_t)(newline - start) : rest;

        lines->pos += newline ? len + 1 : len;
        lines->line++;
        if (len > 0 && start[len - 1] == '\r')
            len--;
        if (memchr(start, '\0', len)) {
            xt_error_at(err, lines->name, lines->line,
                        "line contains a NUL byte; is this a binary file?");
            return -1;
        }
        if (lines->comments) {
            const char *hash = memchr(start, '#', len);
            if (hash)
                len = (size_t)(hash - start);
        }
        for (size_t i = 0; i < len; i++) {
            if (!is_space(start[i])) {
                lines->current.start = start;
                lines->current.len = len;
                return 1;
            }
        }
    }
    return 0;
}

int xt_lines_at_end(const xt_lines *lines)
{
    return lines->pos >= lines->len;
}

int xt_tokens_next(xt_token *token, xt_token *rest)
{
    size_t i = 0, j;

    while (i < rest->len && is_space(rest->start[i]))
        i++;
    if (i == rest->len) {
        rest->start += i;
        rest->len = 0;
        return 0;
    }
    j = i;
    while (j < rest->len && !is_space(rest->start[j]))
        j++;
    token->start = rest->start + i;
    token->len = j - i;
    rest->start += j;
    rest->len -= j;
    return 1;
}

size_t xt_tokens_split(xt_token *tokens, size_t max, xt_token line)
{
    xt_token token;
    size_t count = 0;

    while (xt_tokens_next(&token, &line)) {
        if (count < max)
            tokens[count] = token;
        count++;
    }
    return count;
}

int xt_token_is(xt_token token, const char *word)
{
    size_t len = strlen(word);
    return token.len == len && memcmp(token.start, word, len) == 0;
}

const char *xt_token_quote(char buf[XT_QUOTE_MAX], xt_token token)
{
    return xt_error_quote(buf, token.start, token.len);
}

int xt_token_to_long(long *out, xt_token token, long min, long max)
{
    long value = 0;
    int too_large = 0;

    *out = 0;
    if (token.len == 0)
        return -1;
    for (size_t i = 0; i < token.len; i++) {
        char ch = token.start[i];
        if (ch < '0' || ch > '9')
            return -1;
        if (value > (LONG_MAX - (ch - '0')) / 10)
            too_large = 1;
        else
            value = value * 10 + (ch - '0');
    }
    if (too_large || value > max || value < min)
        return -2;
    *out = value;
    return 0;
}

void xt_text_range_error(xt_error_t *err, const char *name, long line,
                         const char *keyword, xt_token token, long min,
                         long max)
{
    char quoted[XT_QUOTE_MAX];
    long value;
    int status = xt_token_to_long(&value, token, 0, LONG_MAX);

    xt_token_quote(quoted, token);
    if (status == -1)
        xt_error_at(err, name, line,
                    "invalid value %s for %s: expected an integer from "
                    "%ld to %ld", quoted, keyword, min, max);
    else if (status == -2 || value > max)
        xt_error_at(err, name, line,
                    "value %s for %s is too large (at most %ld)", quoted,
                    keyword, max);
    else
        xt_error_at(err, name, line,
                    "value %s for %s is too small (at least %ld)", quoted,
                    keyword, min);
}

int xt_token_to_rat(mpq_t out, xt_token token, const char *name,
                    long line, xt_error_t *err)
{
    char quoted[XT_QUOTE_MAX];

    if (token.len > XT_MAX_NUMBER_CHARS) {
        xt_error_at(err, name, line,
                    "number too long (%zu characters, at most %d)",
                    token.len, XT_MAX_NUMBER_CHARS);
        return XT_ERR_INPUT;
    }
    if (xt_rat_parse_n(out, token.start, token.len) != 0) {
        xt_error_at(err, name, line, "invalid number %s",
                    xt_token_quote(quoted, token));
        return XT_ERR_INPUT;
    }
    if (!xt_text_rat_fits(out)) {
        xt_error_at(err, name, line, "number too long in lowest terms "
                    "(more than %d characters)", XT_MAX_NUMBER_CHARS);
        mpq_set_ui(out, 0, 1);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_text_rat_fits(const mpq_t q)
{
    /* mpz_sizeinbase is exact or one too large, so this bounds the
     * length from above; only a number near the limit is printed. */
    size_t bound = (mpq_sgn(q) < 0 ? 1 : 0) +
                   mpz_sizeinbase(mpq_numref(q), 10);
    if (mpz_cmp_ui(mpq_denref(q), 1) != 0)
        bound += 1 + mpz_sizeinbase(mpq_denref(q), 10);
    if (bound <= XT_MAX_NUMBER_CHARS)
        return 1;
    char *text = xt_rat_to_string(q);
    int fits = text && strlen(text) <= XT_MAX_NUMBER_CHARS;
    free(text);
    return fits;
}
