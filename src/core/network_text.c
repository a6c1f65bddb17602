/* The network text format, version 1 (docs/formats.md): a header of
 * "keyword value" lines, then one "neuron" line per hidden neuron and,
 * with an output bias, one "output-bias-values" line.  Same conventions as
 * the instance format: '#' comments, blank lines ignored, one-line
 * messages "FILE:LINE: what is wrong". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/network.h"
#include "xtrain/rat.h"
#include "text.h"

enum {
    KW_INPUTS, KW_HIDDEN, KW_OUTPUTS, KW_ACTIVATION, KW_OUTPUT_ACTIVATION,
    KW_OUTPUT_BIAS, KW_COUNT
};

static const char *const keywords[KW_COUNT] = {
    "inputs", "hidden", "outputs", "activation", "output-activation",
    "output-bias"
};

typedef struct {
    xt_lines lines;
    xt_error_t *err;
    long seen[KW_COUNT];    /* line where each keyword was given, or 0 */
    long d, k, m;
    int store;              /* 1 when the weights are stored */
    long neurons;           /* neuron lines read so far */
    long bias_line;         /* line of "output-bias-values", or 0 */
    mpq_t scratch;          /* target for values that are not stored */
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
    xt_error_at(r->err, r->lines.name, r->lines.line, "%s", message);
    return XT_ERR_INPUT;
}

static int read_header(reader *r)
{
    xt_token tokens[2];
    char quoted[XT_QUOTE_MAX];
    int status = xt_lines_next(&r->lines, r->err);
    size_t count;

    if (status < 0)
        return XT_ERR_INPUT;
    if (status == 0) {
        r->lines.line = r->lines.line > 0 ? r->lines.line : 1;
        return fail(r, "missing header \"xtrain-network 1\" (the file %s)",
                    r->lines.len > 0 ? "contains only comments and blank "
                                       "lines"
                                     : "is empty");
    }
    count = xt_tokens_split(tokens, 2, r->lines.current);
    if (count == 2 && xt_token_is(tokens[0], "xtrain-network")) {
        if (xt_token_is(tokens[1], "1"))
            return XT_OK;
        return fail(r, "unsupported format version %s (this reader "
                    "supports \"xtrain-network 1\")",
                    xt_token_quote(quoted, tokens[1]));
    }
    return fail(r, "missing header \"xtrain-network 1\" (found %s)",
                xt_token_quote(quoted, r->lines.current));
}

static int parse_activation(reader *r, xt_network_t net, int keyword,
                            xt_token value)
{
    char quoted[XT_QUOTE_MAX];

    xt_token_quote(quoted, value);
    if (keyword == KW_OUTPUT_ACTIVATION) {
        if (xt_token_is(value, "linear") || xt_token_is(value, "threshold"))
        {
            net->threshold_output = xt_token_is(value, "threshold");
            return XT_OK;
        }
        return fail(r, "unknown output activation %s (expected linear or "
                    "threshold)", quoted);
    }
    for (int a = XT_ACT_RELU; a <= XT_ACT_LINEAR; a++) {
        if (xt_token_is(value, xt_activation_name((xt_activation)a))) {
            net->activation = (xt_activation)a;
            return XT_OK;
        }
    }
    return fail(r, "unknown activation %s (expected relu, threshold or "
                "linear)", quoted);
}

static int parse_setting(reader *r, xt_network_t net, int keyword,
                         xt_token value)
{
    static const long min[] = {1, 0, 1}, max[] = {XT_MAX_DIM, XT_MAX_HIDDEN,
                                                  XT_MAX_OUTPUTS};
    long *targets[] = {&r->d, &r->k, &r->m};
    char quoted[XT_QUOTE_MAX];

    if (keyword <= KW_OUTPUTS) {
        if (xt_token_to_long(targets[keyword], value, min[keyword],
                             max[keyword]) == 0)
            return XT_OK;
        xt_text_range_error(r->err, r->lines.name, r->lines.line,
                            keywords[keyword], value, min[keyword],
                            max[keyword]);
        return XT_ERR_INPUT;
    }
    if (keyword != KW_OUTPUT_BIAS)
        return parse_activation(r, net, keyword, value);
    if (xt_token_is(value, "yes") || xt_token_is(value, "no")) {
        net->has_output_bias = xt_token_is(value, "yes");
        return XT_OK;
    }
    return fail(r, "invalid value %s for output-bias (expected yes or no)",
                xt_token_quote(quoted, value));
}

static int find_keyword(xt_token token)
{
    for (int k = 0; k < KW_COUNT; k++)
        if (xt_token_is(token, keywords[k]))
            return k;
    return -1;
}

static int is_body_line(xt_token first)
{
    return xt_token_is(first, "neuron") ||
           xt_token_is(first, "output-bias-values");
}

/* Reads header lines until the first body line or the end of the text.
 * Returns XT_OK with r->lines on that body line, or at the end. */
static int read_settings(reader *r, xt_network_t net, int *at_body)
{
    char quoted[XT_QUOTE_MAX];
    xt_token tokens[2];

    *at_body = 0;
    for (;;) {
        int status = xt_lines_next(&r->lines, r->err);
        if (status <= 0)
            return status < 0 ? XT_ERR_INPUT : XT_OK;

        size_t count = xt_tokens_split(tokens, 2, r->lines.current);
        if (is_body_line(tokens[0])) {
            *at_body = 1;
            return XT_OK;
        }
        int keyword = find_keyword(tokens[0]);
        if (keyword < 0)
            return fail(r, "unknown keyword %s",
                        xt_token_quote(quoted, tokens[0]));
        if (r->seen[keyword])
            return fail(r, "duplicate keyword \"%s\" (first given on line "
                        "%ld)", keywords[keyword], r->seen[keyword]);
        r->seen[keyword] = r->lines.line;
        if (count != 2)
            return fail(r, "expected one value after \"%s\", found %zu",
                        keywords[keyword], count - 1);
        if (parse_setting(r, net, keyword, tokens[1]) != XT_OK)
            return XT_ERR_INPUT;
    }
}

/* Checks the required keywords and sizes the network.  The weights are
 * stored only when the rest of the text can hold all neuron lines, so
 * that a hostile "hidden" count costs no memory. */
static int start_body(reader *r, xt_network_t net)
{
    unsigned long long width, need, rest;

    if (!r->seen[KW_INPUTS])
        return fail(r, "missing \"inputs\" in the header");
    if (!r->seen[KW_HIDDEN])
        return fail(r, "missing \"hidden\" in the header");
    width = 2ull + (unsigned long long)(r->d + r->m);
    need = 2ull * (unsigned long long)r->k * width;
    rest = r->lines.len -
           (size_t)(r->lines.current.start - r->lines.text);
    r->store = need <= rest + 1;
    if (!r->store)
        return XT_OK;
    return xt_network_resize(net, (int)r->d, (int)r->k, (int)r->m,
                             r->err);
}

/* Parses values[0..count) into the given targets (or the scratch). */
static int parse_values(reader *r, xt_token rest, mpq_ptr *targets,
                        size_t count)
{
    xt_token token;

    for (size_t i = 0; i < count && xt_tokens_next(&token, &rest); i++) {
        mpq_ptr target = r->store ? targets[i] : r->scratch;
        if (xt_token_to_rat(target, token, r->lines.name, r->lines.line,
                            r->err) != XT_OK)
            return XT_ERR_INPUT;
    }
    return XT_OK;
}

static int read_neuron(reader *r, xt_network_t net, xt_token rest)
{
    size_t width = (size_t)(r->d + 1 + r->m);
    size_t found = xt_tokens_split(NULL, 0, rest);
    long j = r->neurons;
    mpq_ptr *targets;
    int status;

    if (j >= r->k)
        return fail(r, "too many neuron lines: expected %ld (\"hidden\" "
                    "on line %ld)", r->k, r->seen[KW_HIDDEN]);
    if (found != width)
        return fail(r, "expected %zu values after \"neuron\" (%ld "
                    "weight%s, 1 bias, %ld output weight%s), found %zu",
                    width, r->d, r->d == 1 ? "" : "s", r->m,
                    r->m == 1 ? "" : "s", found);
    targets = malloc(width * sizeof *targets);
    if (!targets)
        return fail(r, "out of memory");
    for (long t = 0; t < r->d && r->store; t++)
        targets[t] = net->w[j * r->d + t];
    if (r->store)
        targets[r->d] = net->b[j];
    for (long o = 0; o < r->m && r->store; o++)
        targets[r->d + 1 + o] = net->a[o * r->k + j];
    status = parse_values(r, rest, targets, width);
    free(targets);
    r->neurons++;
    return status;
}

static int read_bias_values(reader *r, xt_network_t net, xt_token rest)
{
    size_t found = xt_tokens_split(NULL, 0, rest);
    mpq_ptr *targets;
    int status;

    if (r->bias_line)
        return fail(r, "duplicate \"output-bias-values\" (first given on "
                    "line %ld)", r->bias_line);
    r->bias_line = r->lines.line;
    if (!net->has_output_bias)
        return fail(r, "\"output-bias-values\" given, but the header does "
                    "not say \"output-bias yes\"");
    if (found != (size_t)r->m)
        return fail(r, "expected %ld value%s after \"output-bias-values\", "
                    "found %zu", r->m, r->m == 1 ? "" : "s", found);
    targets = malloc((size_t)r->m * sizeof *targets);
    if (!targets)
        return fail(r, "out of memory");
    for (long o = 0; o < r->m && r->store; o++)
        targets[o] = net->c[o];
    status = parse_values(r, rest, targets, (size_t)r->m);
    free(targets);
    return status;
}

/* Reads the neuron and output-bias-values lines; the current line is the
 * first of them. */
static int read_body(reader *r, xt_network_t net)
{
    char quoted[XT_QUOTE_MAX];
    int status;

    do {
        xt_token rest = r->lines.current, first;
        xt_tokens_next(&first, &rest);
        if (xt_token_is(first, "neuron"))
            status = read_neuron(r, net, rest);
        else if (xt_token_is(first, "output-bias-values"))
            status = read_bias_values(r, net, rest);
        else
            status = fail(r, "expected \"neuron\" or \"output-bias-values\""
                          ", found %s", xt_token_quote(quoted, first));
        if (status != XT_OK)
            return status;
        status = xt_lines_next(&r->lines, r->err);
    } while (status > 0);
    return status < 0 ? XT_ERR_INPUT : XT_OK;
}

static int check_complete(reader *r, const xt_network_t net)
{
    if (r->neurons < r->k)
        return fail(r, "too few neuron lines: expected %ld (\"hidden\" on "
                    "line %ld), found %ld", r->k, r->seen[KW_HIDDEN],
                    r->neurons);
    if (net->has_output_bias && !r->bias_line)
        return fail(r, "missing \"output-bias-values\" (the header says "
                    "\"output-bias yes\")");
    /* start_body stores the weights whenever all k neuron lines can fit
     * in the rest of the text, so reaching this is a bug. */
    if (!r->store) {
        fail(r, "internal error: %ld neuron lines fit in fewer bytes than "
             "the bound allows", r->k);
        return XT_ERR_INTERNAL;
    }
    return XT_OK;
}

/* Reads the text format from len bytes of text into net. */
static int read_text_format(xt_network_t net, const char *text, size_t len,
                            const char *name, xt_error_t *err)
{
    reader r;
    int at_body = 0, status;

    memset(&r, 0, sizeof r);
    r.err = err;
    r.m = 1;
    xt_lines_init(&r.lines, text, len, name, 1);
    mpq_init(r.scratch);

    status = read_header(&r);
    if (status == XT_OK)
        status = read_settings(&r, net, &at_body);
    if (status == XT_OK)
        status = start_body(&r, net);
    if (status == XT_OK && at_body)
        status = read_body(&r, net);
    if (status == XT_OK)
        status = check_complete(&r, net);
    mpq_clear(r.scratch);
    return status;
}

/* Reports whether the first byte that is not white space (after a byte
 * order mark) is '{'. */
static int looks_like_json(const char *text, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' ||
                       text[i] == '\n' || text[i] == '\r'))
        i++;
    return i < len && text[i] == '{';
}

int xt_network_read_text(xt_network_t net, const char *text, size_t len,
                         const char *name, xt_error_t *err)
{
    xt_network_t temp;
    int status;

    xt_network_init(temp);
    if (looks_like_json(text, len)) {
        xt_json *value = xt_json_parse(text, len, name, err);
        status = value ? xt_network_from_json(temp, value, name, err)
                       : XT_ERR_INPUT;
        xt_json_free(value);
    } else {
        status = read_text_format(temp, text, len, name, err);
    }
    if (status == XT_OK) {
        xt_network_struct swap = *net;
        *net = *temp;
        *temp = swap;
    }
    xt_network_clear(temp);
    return status;
}

int xt_network_read_string(xt_network_t net, const char *text,
                           const char *name, xt_error_t *err)
{
    return xt_network_read_text(net, text, strlen(text), name, err);
}

int xt_network_read_file(xt_network_t net, const char *path,
                         xt_error_t *err)
{
    char *text;
    size_t len;
    int status = xt_text_read_file(&text, &len, path, err);

    if (status != XT_OK)
        return status;
    status = xt_network_read_text(net, text, len, xt_text_display_name(path),
                                  err);
    free(text);
    return status;
}

static void write_values(FILE *stream, mpq_t *const values, long count,
                         long stride)
{
    for (long i = 0; i < count; i++) {
        fputc(' ', stream);
        xt_rat_print(stream, values[i * stride]);
    }
}

void xt_network_write(FILE *stream, const xt_network_t net)
{
    fprintf(stream, "xtrain-network 1\ninputs %d\nhidden %d\noutputs %d\n",
            net->d, net->k, net->m);
    fprintf(stream, "activation %s\noutput-activation %s\n",
            xt_activation_name(net->activation),
            net->threshold_output ? "threshold" : "linear");
    fprintf(stream, "output-bias %s\n", net->has_output_bias ? "yes" : "no");
    fprintf(stream, "# neuron w_1");
    if (net->d > 1)
        fprintf(stream, " .. w_%d", net->d);
    fprintf(stream, " b a_1");
    if (net->m > 1)
        fprintf(stream, " .. a_%d", net->m);
    fprintf(stream, "\n");
    for (int j = 0; j < net->k; j++) {
        fputs("neuron", stream);
        write_values(stream, net->w + (long)j * net->d, net->d, 1);
        write_values(stream, net->b + j, 1, 1);
        write_values(stream, net->a + j, net->m, net->k);
        fputc('\n', stream);
    }
    if (net->has_output_bias) {
        fputs("output-bias-values", stream);
        write_values(stream, net->c, net->m, 1);
        fputc('\n', stream);
    }
}
