/* The lossless text format of double networks and the mask file.
 *
 *   xtrain-sgd-network 1
 *   inputs D
 *   hidden K
 *   outputs M
 *   activation relu
 *   output-bias yes
 *   neuron W_1 ... W_D B        (K lines)
 *   output A_1 ... A_K C        (M lines; C only with an output bias)
 *
 * Weights are written as C99 hex floats (%a), which strtod reads back to
 * the same double.  Decimal numbers are accepted on input.  '#' starts a
 * comment that runs to the end of the line. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sgd_impl.h"

#define MAGIC "xtrain-sgd-network"

void xt_sgd_network_write(FILE *stream, const xt_sgd_network_t net)
{
    fprintf(stream, "%s 1\ninputs %d\nhidden %d\noutputs %d\n", MAGIC,
            net->d, net->k, net->m);
    fprintf(stream, "activation %s\noutput-bias %s\n",
            xt_activation_name(net->activation),
            net->has_output_bias ? "yes" : "no");
    for (int j = 0; j < net->k; j++) {
        fprintf(stream, "neuron");
        for (int t = 0; t < net->d; t++)
            fprintf(stream, " %a", net->w[(size_t)j * net->d + t]);
        fprintf(stream, " %a\n", net->b[j]);
    }
    for (int o = 0; o < net->m; o++) {
        fprintf(stream, "output");
        for (int j = 0; j < net->k; j++)
            fprintf(stream, " %a", net->a[(size_t)o * net->k + j]);
        if (net->c)
            fprintf(stream, " %a", net->c[o]);
        fprintf(stream, "\n");
    }
}

/* A cursor over whitespace-separated tokens that counts lines. */
typedef struct {
    const char *p;
    long line;
    const char *name;
    const char *tok;   /* current token */
    size_t len;
} reader;

/* Moves to the next token.  Returns 0 at the end of the text. */
static int next_token(reader *r)
{
    for (;;) {
        while (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' ||
               *r->p == '\n') {
            if (*r->p == '\n')
                r->line++;
            r->p++;
        }
        if (*r->p != '#')
            break;
        while (*r->p && *r->p != '\n')
            r->p++;
    }
    if (!*r->p)
        return 0;
    r->tok = r->p;
    while (*r->p && *r->p != ' ' && *r->p != '\t' && *r->p != '\r' &&
           *r->p != '\n' && *r->p != '#')
        r->p++;
    r->len = (size_t)(r->p - r->tok);
    return 1;
}

static int token_is(const reader *r, const char *word)
{
    return r->len == strlen(word) && !strncmp(r->tok, word, r->len);
}

static int fail(reader *r, xt_error_t *err, const char *expected)
{
    char quoted[XT_QUOTE_MAX];
    if (!r->tok)
        xt_error_at(err, r->name, r->line, "expected %s, found the end of "
                    "the file", expected);
    else
        xt_error_at(err, r->name, r->line, "expected %s, found %s",
                    expected, xt_error_quote(quoted, r->tok, r->len));
    return XT_ERR_INPUT;
}

/* Reads the keyword word.  tok is cleared first so that fail() can tell
 * the end of the text. */
static int expect_word(reader *r, const char *word, xt_error_t *err)
{
    r->tok = NULL;
    if (next_token(r) && token_is(r, word))
        return XT_OK;
    char what[64];
    snprintf(what, sizeof what, "\"%s\"", word);
    return fail(r, err, what);
}

static int expect_int(reader *r, int *out, int min, int max, xt_error_t *err)
{
    r->tok = NULL;
    if (next_token(r) && r->len < 12) {
        char buf[16];
        memcpy(buf, r->tok, r->len);
        buf[r->len] = 0;
        char *end;
        long v = strtol(buf, &end, 10);
        if (!*end && v >= min && v <= max) {
            *out = (int)v;
            return XT_OK;
        }
    }
    char what[64];
    snprintf(what, sizeof what, "an integer from %d to %d", min, max);
    return fail(r, err, what);
}

static int expect_double(reader *r, double *out, xt_error_t *err)
{
    r->tok = NULL;
    if (next_token(r) && r->len < 64) {
        char buf[64];
        memcpy(buf, r->tok, r->len);
        buf[r->len] = 0;
        char *end;
        errno = 0;
        double v = strtod(buf, &end);
        if (!*end && end != buf && isfinite(v) && errno != ERANGE) {
            *out = v;
            return XT_OK;
        }
    }
    return fail(r, err, "a finite number (hex float or decimal)");
}

static int read_header(reader *r, int *d, int *k, int *m,
                       xt_activation *act, int *bias, xt_error_t *err)
{
    int version = 0;
    if (expect_word(r, MAGIC, err) || expect_int(r, &version, 1, 1, err) ||
        expect_word(r, "inputs", err) ||
        expect_int(r, d, 1, XT_MAX_DIM, err) ||
        expect_word(r, "hidden", err) ||
        expect_int(r, k, 1, XT_MAX_HIDDEN, err) ||
        expect_word(r, "outputs", err) ||
        expect_int(r, m, 1, XT_MAX_OUTPUTS, err) ||
        expect_word(r, "activation", err))
        return XT_ERR_INPUT;
    r->tok = NULL;
    if (!next_token(r))
        return fail(r, err, "relu or linear");
    if (token_is(r, "relu"))
        *act = XT_ACT_RELU;
    else if (token_is(r, "linear"))
        *act = XT_ACT_LINEAR;
    else
        return fail(r, err, "relu or linear");
    if (expect_word(r, "output-bias", err))
        return XT_ERR_INPUT;
    r->tok = NULL;
    if (next_token(r) && (token_is(r, "yes") || token_is(r, "no"))) {
        *bias = token_is(r, "yes");
        return XT_OK;
    }
    return fail(r, err, "yes or no");
}

static int read_rows(reader *r, xt_sgd_network_t net, xt_error_t *err)
{
    for (int j = 0; j < net->k; j++) {
        if (expect_word(r, "neuron", err))
            return XT_ERR_INPUT;
        for (int t = 0; t < net->d; t++)
            if (expect_double(r, &net->w[(size_t)j * net->d + t], err))
                return XT_ERR_INPUT;
        if (expect_double(r, &net->b[j], err))
            return XT_ERR_INPUT;
    }
    for (int o = 0; o < net->m; o++) {
        if (expect_word(r, "output", err))
            return XT_ERR_INPUT;
        for (int j = 0; j < net->k; j++)
            if (expect_double(r, &net->a[(size_t)o * net->k + j], err))
                return XT_ERR_INPUT;
        if (net->c && expect_double(r, &net->c[o], err))
            return XT_ERR_INPUT;
    }
    r->tok = NULL;
    if (next_token(r))
        return fail(r, err, "the end of the file");
    return XT_OK;
}

int xt_sgd_network_read_string(xt_sgd_network_t net, const char *text,
                               const char *name, xt_error_t *err)
{
    reader r = {text, 1, name, NULL, 0};
    int d = 0, k = 0, m = 0, bias = 0;
    xt_activation act = XT_ACT_RELU;
    int rc = read_header(&r, &d, &k, &m, &act, &bias, err);
    if (rc != XT_OK)
        return rc;

    xt_sgd_network_t tmp;
    xt_sgd_network_init(tmp);
    rc = xt_sgd_network_resize(tmp, d, k, m, bias, err);
    if (rc == XT_OK) {
        tmp->activation = act;
        rc = read_rows(&r, tmp, err);
    }
    if (rc == XT_OK)
        rc = xt_sgd_network_set(net, tmp);
    xt_sgd_network_clear(tmp);
    return rc;
}

char *xt_sgd_read_text(const char *path, int *status, xt_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xt_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        *status = XT_ERR_IO;
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf) {
        xt_error_set(err, "%s: out of memory reading the file", path);
        *status = XT_ERR_NOMEM;
        return NULL;
    }
    if (failed) {
        xt_error_set(err, "%s: read error", path);
        *status = XT_ERR_IO;
        free(buf);
        return NULL;
    }
    buf[len] = 0;
    if (strlen(buf) != len) {
        xt_error_set(err, "%s: the file contains a NUL byte", path);
        *status = XT_ERR_INPUT;
        free(buf);
        return NULL;
    }
    *status = XT_OK;
    return buf;
}

/* Whether text starts, after comments and spaces, with the magic word. */
static int has_magic(const char *text)
{
    reader r = {text, 1, "", NULL, 0};
    return next_token(&r) && token_is(&r, MAGIC);
}

int xt_sgd_network_read_file(xt_sgd_network_t net, const char *path,
                             xt_error_t *err)
{
    int rc;
    char *text = xt_sgd_read_text(path, &rc, err);
    if (!text)
        return rc;
    if (has_magic(text)) {
        rc = xt_sgd_network_read_string(net, text, path, err);
        free(text);
        return rc;
    }
    free(text);

    xt_network_t exact;
    xt_network_init(exact);
    rc = xt_network_read_file(exact, path, err);
    if (rc == XT_OK)
        rc = xt_sgd_network_from_exact(net, exact, err);
    xt_network_clear(exact);
    return rc;
}

int xt_sgd_mask_read_file(unsigned char *mask, size_t count,
                          const char *path, xt_error_t *err)
{
    int rc;
    char *text = xt_sgd_read_text(path, &rc, err);
    if (!text)
        return rc;
    reader r = {text, 1, path, NULL, 0};
    size_t i = 0;
    rc = XT_OK;
    while (rc == XT_OK) {
        r.tok = NULL;
        if (!next_token(&r))
            break;
        if (i == count) {
            xt_error_at(err, path, r.line, "more than %zu mask entries "
                        "(one per parameter)", count);
            rc = XT_ERR_INPUT;
        } else if (token_is(&r, "0") || token_is(&r, "1")) {
            mask[i++] = (unsigned char)(r.tok[0] - '0');
        } else {
            rc = fail(&r, err, "0 or 1");
        }
    }
    if (rc == XT_OK && i < count) {
        xt_error_at(err, path, r.line, "%zu mask entries, expected %zu "
                    "(one per parameter)", i, count);
        rc = XT_ERR_INPUT;
    }
    free(text);
    return rc;
}
