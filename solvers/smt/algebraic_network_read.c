/* Reader of the network text format with algebraic weights.  The format
 * is the one of xt_network_read_file (header "xtrain-network 1", keyword
 * lines, "neuron" lines, "output-bias-values"), and a value is either a
 * rational number or a parenthesized term (root-obj POLY INDEX), which
 * may contain spaces.  Messages read "FILE:LINE: what is wrong". */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"

/* Values per line and characters per file accepted. */
#define MAX_ITEMS (XT_MAX_DIM + 1 + XT_MAX_OUTPUTS)
#define MAX_FILE_BYTES (256L << 20)

typedef struct {
    const char *start;
    size_t len;
} item;

typedef struct {
    const char *text;
    size_t len, pos;
    const char *name;
    long line;
    char *current;              /* current line without its comment */
    item *items;                /* its items */
    size_t count;
    xt_error_t *err;
    long d, k, m;
    int seen_inputs, seen_hidden, seen_outputs, seen_activation;
    int seen_output_activation, seen_output_bias;
    long neurons, bias_line;
} reader;

static int fail(reader *r, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(reader *r, const char *format, ...)
{
    char message[XT_ERROR_MAX];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    xt_error_at(r->err, r->name, r->line, "%s", message);
    return XT_ERR_INPUT;
}

/* Splits the current line into items: parenthesized groups (balanced)
 * and runs of other non-space characters. */
static int split_items(reader *r)
{
    const char *s = r->current;

    r->count = 0;
    while (*s) {
        while (isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        if (r->count == MAX_ITEMS)
            return fail(r, "too many values on one line (at most %d)",
                        MAX_ITEMS);
        const char *start = s;
        if (*s == '(') {
            int depth = 0;
            do {
                depth += *s == '(';
                depth -= *s == ')';
                s++;
            } while (*s && depth > 0);
            if (depth > 0)
                return fail(r, "unbalanced parentheses");
        } else {
            while (*s && !isspace((unsigned char)*s) && *s != '(')
                s++;
        }
        r->items[r->count].start = start;
        r->items[r->count].len = (size_t)(s - start);
        r->count++;
    }
    return XT_OK;
}

/* Moves to the next line with content.  Returns 1, 0 at the end, or -1
 * after an error. */
static int next_line(reader *r)
{
    while (r->pos < r->len) {
        size_t end = r->pos;
        while (end < r->len && r->text[end] != '\n')
            end++;
        size_t n = end - r->pos;
        char *hash = memchr(r->text + r->pos, '#', n);
        if (hash)
            n = (size_t)(hash - (r->text + r->pos));
        free(r->current);
        r->current = malloc(n + 1);
        if (!r->current)
            abort();
        memcpy(r->current, r->text + r->pos, n);
        r->current[n] = '\0';
        r->line++;
        r->pos = end < r->len ? end + 1 : end;
        if (memchr(r->current, '\0', n)) {
            fail(r, "the line contains a NUL byte");
            return -1;
        }
        if (split_items(r) != XT_OK)
            return -1;
        if (r->count > 0)
            return 1;
    }
    return 0;
}

static int item_is(item it, const char *word)
{
    return it.len == strlen(word) && memcmp(it.start, word, it.len) == 0;
}

static int item_to_long(reader *r, item it, const char *keyword, long min,
                        long max, long *out)
{
    char buf[32];
    char *end;

    if (it.len == 0 || it.len >= sizeof buf ||
        !isdigit((unsigned char)it.start[0]))
        return fail(r, "invalid value for %s (expected an integer from %ld "
                    "to %ld)", keyword, min, max);
    memcpy(buf, it.start, it.len);
    buf[it.len] = '\0';
    errno = 0;
    *out = strtol(buf, &end, 10);
    if (*end || errno || *out < min || *out > max)
        return fail(r, "invalid value for %s (expected an integer from %ld "
                    "to %ld)", keyword, min, max);
    return XT_OK;
}

static int parse_keyword(reader *r, xt_algebraic_network_t net)
{
    item key = r->items[0], value = r->items[r->count > 1 ? 1 : 0];
    int *seen = item_is(key, "inputs") ? &r->seen_inputs
              : item_is(key, "hidden") ? &r->seen_hidden
              : item_is(key, "outputs") ? &r->seen_outputs
              : item_is(key, "activation") ? &r->seen_activation
              : item_is(key, "output-activation") ? &r->seen_output_activation
              : item_is(key, "output-bias") ? &r->seen_output_bias : NULL;

    if (!seen)
        return fail(r, "unknown keyword \"%.*s\"", (int)(key.len < 40 ?
                    key.len : 40), key.start);
    if (*seen)
        return fail(r, "duplicate keyword \"%.*s\"", (int)key.len,
                    key.start);
    *seen = 1;
    if (r->count != 2)
        return fail(r, "expected one value after \"%.*s\"", (int)key.len,
                    key.start);
    if (seen == &r->seen_inputs)
        return item_to_long(r, value, "inputs", 1, XT_MAX_DIM, &r->d);
    if (seen == &r->seen_hidden)
        return item_to_long(r, value, "hidden", 0, XT_MAX_HIDDEN, &r->k);
    if (seen == &r->seen_outputs)
        return item_to_long(r, value, "outputs", 1, XT_MAX_OUTPUTS, &r->m);
    if (seen == &r->seen_activation) {
        for (int a = XT_ACT_RELU; a <= XT_ACT_LINEAR; a++)
            if (item_is(value, xt_activation_name((xt_activation)a))) {
                net->activation = (xt_activation)a;
                return XT_OK;
            }
        return fail(r, "unknown activation (expected relu, threshold or "
                    "linear)");
    }
    if (seen == &r->seen_output_activation) {
        if (item_is(value, "linear") || item_is(value, "threshold")) {
            net->threshold_output = item_is(value, "threshold");
            return XT_OK;
        }
        return fail(r, "unknown output activation (expected linear or "
                    "threshold)");
    }
    if (item_is(value, "yes") || item_is(value, "no")) {
        net->has_output_bias = item_is(value, "yes");
        return XT_OK;
    }
    return fail(r, "invalid value for output-bias (expected yes or no)");
}

static int parse_value(reader *r, xt_algebraic_struct *out, item it)
{
    xt_error_t local;

    if (xt_algebraic_parse(out, it.start, it.len, &local) != XT_OK)
        return fail(r, "%s", local.message);
    return XT_OK;
}

static int read_neuron(reader *r, xt_algebraic_network_t net)
{
    long j = r->neurons, width = r->d + 1 + r->m;
    int status = XT_OK;

    if (j >= r->k)
        return fail(r, "too many neuron lines: expected %ld", r->k);
    if ((long)r->count - 1 != width)
        return fail(r, "expected %ld values after \"neuron\" (%ld "
                    "weights, 1 bias, %ld output weights), found %zu",
                    width, r->d, r->m, r->count - 1);
    for (long t = 0; t < r->d && status == XT_OK; t++)
        status = parse_value(r, &net->w[j * r->d + t], r->items[1 + t]);
    if (status == XT_OK)
        status = parse_value(r, &net->b[j], r->items[1 + r->d]);
    for (long o = 0; o < r->m && status == XT_OK; o++)
        status = parse_value(r, &net->a[o * r->k + j],
                             r->items[2 + r->d + o]);
    r->neurons++;
    return status;
}

static int read_bias_values(reader *r, xt_algebraic_network_t net)
{
    int status = XT_OK;

    if (r->bias_line)
        return fail(r, "duplicate \"output-bias-values\" (first given on "
                    "line %ld)", r->bias_line);
    r->bias_line = r->line;
    if (!net->has_output_bias)
        return fail(r, "\"output-bias-values\" given, but the header does "
                    "not say \"output-bias yes\"");
    if ((long)r->count - 1 != r->m)
        return fail(r, "expected %ld values after \"output-bias-values\", "
                    "found %zu", r->m, r->count - 1);
    for (long o = 0; o < r->m && status == XT_OK; o++)
        status = parse_value(r, &net->c[o], r->items[1 + o]);
    return status;
}

/* Sizes the network once the header is complete.  The values need at
 * least two bytes each, so a "hidden" count that the rest of the file
 * cannot hold is rejected before any allocation. */
static int start_body(reader *r, xt_algebraic_network_t net)
{
    unsigned long long need, rest = r->len - r->pos;
    int activation = net->activation, threshold = net->threshold_output;
    int bias = net->has_output_bias;

    if (!r->seen_inputs)
        return fail(r, "missing \"inputs\" in the header");
    if (!r->seen_hidden)
        return fail(r, "missing \"hidden\" in the header");
    need = 2ull * (unsigned long long)r->k * (unsigned long long)(r->d + 1 +
                                                                 r->m);
    if (need > rest + 2ull * (unsigned long long)(r->d + 1 + r->m) + 1)
        return fail(r, "the file is too short for %ld neuron lines", r->k);
    if (xt_algebraic_network_resize(net, (int)r->d, (int)r->k, (int)r->m,
                                    r->err) != XT_OK)
        return XT_ERR_INPUT;
    net->activation = (xt_activation)activation;
    net->threshold_output = threshold;
    net->has_output_bias = bias;
    return XT_OK;
}

static int read_header(reader *r)
{
    int status = next_line(r);

    if (status < 0)
        return XT_ERR_INPUT;
    if (status == 0 || r->count != 2 || !item_is(r->items[0],
                                                 "xtrain-network"))
        return fail(r, "missing header \"xtrain-network 1\"");
    if (!item_is(r->items[1], "1"))
        return fail(r, "unsupported format version (this reader supports "
                    "\"xtrain-network 1\")");
    return XT_OK;
}

static int read_all(reader *r, xt_algebraic_network_t net)
{
    int status = read_header(r), line;
    int in_body = 0;

    while (status == XT_OK && (line = next_line(r)) > 0) {
        int body = item_is(r->items[0], "neuron") ||
                   item_is(r->items[0], "output-bias-values");
        if (body && !in_body) {
            status = start_body(r, net);
            in_body = 1;
        }
        if (status != XT_OK)
            break;
        if (!body && in_body)
            status = fail(r, "expected \"neuron\" or \"output-bias-values\"");
        else if (!body)
            status = parse_keyword(r, net);
        else if (item_is(r->items[0], "neuron"))
            status = read_neuron(r, net);
        else
            status = read_bias_values(r, net);
        if (line < 0)
            status = XT_ERR_INPUT;
    }
    if (status == XT_OK && line < 0)
        status = XT_ERR_INPUT;
    if (status == XT_OK && !in_body)
        status = start_body(r, net);
    if (status == XT_OK && r->neurons < r->k)
        status = fail(r, "too few neuron lines: expected %ld, found %ld",
                      r->k, r->neurons);
    if (status == XT_OK && net->has_output_bias && !r->bias_line)
        status = fail(r, "missing \"output-bias-values\" (the header says "
                      "\"output-bias yes\")");
    return status;
}

static int read_text(xt_algebraic_network_t net, const char *text,
                     size_t len, const char *name, xt_error_t *err)
{
    xt_algebraic_network_t tmp;
    reader r;
    int status;

    memset(&r, 0, sizeof r);
    r.text = text;
    r.len = len;
    r.name = name;
    r.err = err;
    r.m = 1;
    r.items = malloc(MAX_ITEMS * sizeof *r.items);
    if (!r.items)
        abort();
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        r.pos = 3;
    xt_algebraic_network_init(tmp);
    status = read_all(&r, tmp);
    if (status == XT_OK) {
        xt_algebraic_network_struct swap = *net;
        *net = *tmp;
        *tmp = swap;
    }
    xt_algebraic_network_clear(tmp);
    free(r.current);
    free(r.items);
    return status;
}

int xt_algebraic_network_read_string(xt_algebraic_network_t net,
                                     const char *text, const char *name,
                                     xt_error_t *err)
{
    return read_text(net, text, strlen(text), name, err);
}

/* Reads a whole file into a malloc'd buffer. */
static int slurp(char **text, size_t *len, const char *path,
                 xt_error_t *err)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 16;

    *len = 0;
    *text = NULL;
    if (!f) {
        xt_error_at(err, path, 0, "cannot open file: %s", strerror(errno));
        return XT_ERR_IO;
    }
    *text = malloc(cap);
    while (*text) {
        *len += fread(*text + *len, 1, cap - *len, f);
        if (*len < cap || cap >= (size_t)MAX_FILE_BYTES)
            break;
        char *grown = realloc(*text, cap * 2);
        if (!grown) {
            free(*text);
            *text = NULL;
        } else {
            *text = grown;
            cap *= 2;
        }
    }
    int failed = ferror(f) || !*text || *len >= (size_t)MAX_FILE_BYTES;
    fclose(f);
    if (failed) {
        xt_error_at(err, path, 0, "cannot read the file (read error, or "
                    "larger than %ld bytes)", MAX_FILE_BYTES);
        free(*text);
        *text = NULL;
        return XT_ERR_IO;
    }
    return XT_OK;
}

int xt_algebraic_network_read_file(xt_algebraic_network_t net,
                                   const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int status = slurp(&text, &len, path, err);

    if (status != XT_OK)
        return status;
    status = read_text(net, text, len, path, err);
    free(text);
    return status;
}

int xt_algebraic_network_file_test(const char *path)
{
    char *text;
    size_t len;
    xt_error_t err;
    int found = 0;

    if (strcmp(path, "-") == 0)
        return 0;
    if (slurp(&text, &len, path, &err) != XT_OK)
        return -1;
    for (size_t i = 0; i + 8 <= len && !found; i++)
        found = memcmp(text + i, "root-obj", 8) == 0;
    free(text);
    return found;
}
