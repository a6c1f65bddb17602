/* Reader for the instance text format, versions 1 and 2 (docs/formats.md).
 * Version 2 adds an optional architecture section.
 *
 * The reader checks sizes against the XT_MAX_* limits before it allocates
 * anything, and it allocates the data only when the rest of the file is
 * long enough to hold the announced rows, so a hostile count costs no
 * memory.  Every message is one line "FILE:LINE: what is wrong". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/instance.h"
#include "xtrain/rat.h"
#include "text.h"

enum {
    KW_INPUTS, KW_OUTPUTS, KW_HIDDEN, KW_ACTIVATION, KW_LOSS, KW_TARGET,
    KW_OUTPUT_BIAS, KW_CONVEX, KW_DATA, KW_ARCHITECTURE, KW_COUNT
};

static const char *const keywords[KW_COUNT] = {
    "inputs", "outputs", "hidden", "activation", "loss", "target",
    "output-bias", "convex", "data", "architecture"
};

/* State of one read. */
typedef struct {
    xt_lines lines;
    xt_error_t *err;
    long seen[KW_COUNT];   /* line where each keyword was given, or 0 */
    long count;            /* the value of "data" */
    long data_line;        /* line of "data" */
    int version;           /* 1 or 2, from the version line */
} reader;

static int fail(reader *r, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Reports a message at the current line and returns XT_ERR_INPUT. */
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
        return fail(r, "missing header \"xtrain-instance 1\" (the file %s)",
                    r->lines.len > 0 ? "contains only comments and blank "
                                       "lines"
                                     : "is empty");
    }
    count = xt_tokens_split(tokens, 2, r->lines.current);
    if (count == 2 && xt_token_is(tokens[0], "xtrain-instance")) {
        r->version = xt_token_is(tokens[1], "1") ? 1
                     : xt_token_is(tokens[1], "2") ? 2 : 0;
        if (r->version)
            return XT_OK;
        return fail(r, "unsupported format version %s (this reader "
                    "supports \"xtrain-instance 1\" and \"xtrain-instance "
                    "2\")", xt_token_quote(quoted, tokens[1]));
    }
    return fail(r, "missing header \"xtrain-instance 1\" (found %s)",
                xt_token_quote(quoted, r->lines.current));
}

static int parse_yes_no(reader *r, int *out, xt_token value,
                        const char *keyword)
{
    char quoted[XT_QUOTE_MAX];

    if (xt_token_is(value, "yes") || xt_token_is(value, "no")) {
        *out = xt_token_is(value, "yes");
        return XT_OK;
    }
    return fail(r, "invalid value %s for %s (expected yes or no)",
                xt_token_quote(quoted, value), keyword);
}

/* Copies a short token into a NUL-terminated buffer for name lookups. */
static void token_to_name(char *name, size_t size, xt_token token)
{
    size_t len = token.len < size - 1 ? token.len : size - 1;
    memcpy(name, token.start, len);
    name[len] = '\0';
    if (token.len != len || memchr(name, '\0', len))
        name[0] = '\0';
}

static int parse_count(reader *r, long *out, xt_token value,
                       const char *keyword, long min, long max)
{
    if (xt_token_to_long(out, value, min, max) == 0)
        return XT_OK;
    xt_text_range_error(r->err, r->lines.name, r->lines.line, keyword,
                        value, min, max);
    return XT_ERR_INPUT;
}

static int parse_names(reader *r, xt_instance_t inst, int keyword,
                       xt_token value)
{
    char name[32], quoted[XT_QUOTE_MAX];

    token_to_name(name, sizeof name, value);
    xt_token_quote(quoted, value);
    if (keyword == KW_ACTIVATION) {
        inst->has_activation = 1;
        if (xt_activation_parse(&inst->activation, name) == 0)
            return XT_OK;
        return fail(r, "unknown activation %s (expected relu, threshold "
                    "or linear)", quoted);
    }
    inst->has_loss = 1;
    if (xt_loss_parse(&inst->loss, name) == 0)
        return XT_OK;
    return fail(r, "unknown loss %s (expected l1, l2, linf or zero-one)",
                quoted);
}

static int parse_target(reader *r, xt_instance_t inst, xt_token value)
{
    char quoted[XT_QUOTE_MAX];

    if (xt_token_to_rat(inst->target, value, r->lines.name, r->lines.line,
                        r->err) != XT_OK)
        return XT_ERR_INPUT;
    if (mpq_sgn(inst->target) < 0)
        return fail(r, "target must be >= 0, found %s",
                    xt_token_quote(quoted, value));
    inst->has_target = 1;
    return XT_OK;
}

/* Applies one header line "keyword value". */
static int parse_setting(reader *r, xt_instance_t inst, int keyword,
                         xt_token value)
{
    long number;
    int status;

    switch (keyword) {
    case KW_INPUTS:
        status = parse_count(r, &number, value, "inputs", 1, XT_MAX_DIM);
        inst->d = (int)number;
        return status;
    case KW_OUTPUTS:
        status = parse_count(r, &number, value, "outputs", 1,
                             XT_MAX_OUTPUTS);
        inst->m = (int)number;
        return status;
    case KW_HIDDEN:
        status = parse_count(r, &number, value, "hidden", 1,
                             XT_MAX_HIDDEN);
        inst->hidden = (int)number;
        return status;
    case KW_ACTIVATION:
    case KW_LOSS:
        return parse_names(r, inst, keyword, value);
    case KW_TARGET:
        return parse_target(r, inst, value);
    case KW_OUTPUT_BIAS:
        inst->has_output_bias = 1;
        return parse_yes_no(r, &inst->output_bias, value, "output-bias");
    case KW_CONVEX:
        inst->has_convex = 1;
        return parse_yes_no(r, &inst->convex, value, "convex");
    default:
        return parse_count(r, &r->count, value, "data", 0, XT_MAX_POINTS);
    }
}

/* Parses the 1-based indices after "inputs" or "outputs" on the line of
 * neuron j into flags[(index - 1) * stride], up to the token "stop" (NULL:
 * the end of the line).  *rest is left after "stop". */
static int parse_index_list(reader *r, unsigned char *flags, long stride,
                            int max, const char *what, const char *stop,
                            int j, xt_token *rest)
{
    char quoted[XT_QUOTE_MAX];
    xt_token token;
    long index;

    while (xt_tokens_next(&token, rest)) {
        if (stop && xt_token_is(token, stop))
            return XT_OK;
        if (xt_token_to_long(&index, token, 1, max) != 0)
            return fail(r, "invalid %s index %s for neuron %d (expected "
                        "1..%d%s%s)", what, xt_token_quote(quoted, token),
                        j + 1, max, stop ? " or " : "", stop ? stop : "");
        if (flags[(index - 1) * stride])
            return fail(r, "%s %ld is listed twice for neuron %d", what,
                        index, j + 1);
        flags[(index - 1) * stride] = 1;
    }
    if (stop)
        return fail(r, "missing \"%s\" on the line of neuron %d", stop,
                    j + 1);
    return XT_OK;
}

/* Parses the line "neuron J inputs T.. outputs O.." of neuron j into row
 * j of in (d flags) and column j of out (m flags with stride k). */
static int parse_neuron_line(reader *r, unsigned char *in,
                             unsigned char *out, int j, int d, int m, int k)
{
    char quoted[XT_QUOTE_MAX];
    xt_token rest = r->lines.current, word, number;
    long index;

    if (!xt_tokens_next(&word, &rest) || !xt_token_is(word, "neuron"))
        return fail(r, "expected \"neuron %d inputs ... outputs ...\" in "
                    "the architecture section (hidden %d), found %s", j + 1,
                    k, xt_token_quote(quoted, r->lines.current));
    if (!xt_tokens_next(&number, &rest) ||
        xt_token_to_long(&index, number, 1, k) != 0 || index != j + 1)
        return fail(r, "expected \"neuron %d\", found %s (neuron lines "
                    "come in order 1..%d)", j + 1,
                    xt_token_quote(quoted, r->lines.current), k);
    if (!xt_tokens_next(&word, &rest) || !xt_token_is(word, "inputs"))
        return fail(r, "expected \"inputs\" after \"neuron %d\"", j + 1);
    if (parse_index_list(r, in + (long)j * d, 1, d, "input", "outputs", j,
                         &rest) != XT_OK)
        return XT_ERR_INPUT;
    return parse_index_list(r, out + j, k, m, "output", NULL, j, &rest);
}

/* Reads the architecture section: the line "architecture" (count tokens)
 * has been read; hidden neuron lines follow. */
static int read_architecture(reader *r, xt_instance_t inst, size_t count)
{
    int k = inst->hidden, d = inst->d, m = inst->m, status = XT_OK;
    unsigned char *in, *out;

    if (count != 1)
        return fail(r, "\"architecture\" takes no value (the neuron lines "
                    "follow it)");
    if (r->version < 2)
        return fail(r, "an architecture section needs format version 2 "
                    "(\"xtrain-instance 2\")");
    if (!r->seen[KW_INPUTS] || !r->seen[KW_HIDDEN])
        return fail(r, "missing \"inputs\" and \"hidden\" before "
                    "\"architecture\"");
    /* A large section is allocated only when the rest of the file can
     * hold its lines, each at least "neuron 1 inputs outputs\n". */
    if ((long long)k * (d + m) > 65536 &&
        (unsigned long long)k * 24ull > r->lines.len - r->lines.pos + 1)
        return fail(r, "the architecture section needs %d neuron lines "
                    "(hidden %d) but the file ends before them", k, k);
    in = calloc((size_t)k * (size_t)d, 1);
    out = calloc((size_t)m * (size_t)k, 1);
    if (!in || !out) {
        free(in);
        free(out);
        return fail(r, "out of memory for an architecture of %d neurons",
                    k);
    }
    for (int j = 0; j < k && status == XT_OK; j++) {
        int found = xt_lines_next(&r->lines, r->err);
        if (found < 0)
            status = XT_ERR_INPUT;
        else if (found == 0)
            status = fail(r, "missing the line of neuron %d in the "
                          "architecture section (hidden %d)", j + 1, k);
        else
            status = parse_neuron_line(r, in, out, j, d, m, k);
    }
    if (status == XT_OK)
        status = xt_instance_set_architecture(inst, in, out, r->err);
    free(in);
    free(out);
    return status;
}

static int find_keyword(xt_token token)
{
    for (int k = 0; k < KW_COUNT; k++)
        if (xt_token_is(token, keywords[k]))
            return k;
    return -1;
}

/* Reads the header lines up to and including "data N". */
static int read_settings(reader *r, xt_instance_t inst)
{
    char quoted[XT_QUOTE_MAX];
    xt_token tokens[2];
    int keyword = -1;

    while (keyword != KW_DATA) {
        int status = xt_lines_next(&r->lines, r->err);
        if (status < 0)
            return XT_ERR_INPUT;
        if (status == 0)
            return fail(r, "missing \"data\" section");

        size_t count = xt_tokens_split(tokens, 2, r->lines.current);
        keyword = find_keyword(tokens[0]);
        if (keyword < 0)
            return fail(r, "unknown keyword %s",
                        xt_token_quote(quoted, tokens[0]));
        if (r->seen[keyword])
            return fail(r, "duplicate keyword \"%s\" (first given on line "
                        "%ld)", keywords[keyword], r->seen[keyword]);
        r->seen[keyword] = r->lines.line;
        if (keyword == KW_ARCHITECTURE) {
            if (read_architecture(r, inst, count) != XT_OK)
                return XT_ERR_INPUT;
            continue;
        }
        if (keyword == KW_OUTPUTS && r->seen[KW_ARCHITECTURE])
            return fail(r, "\"outputs\" must come before \"architecture\"");
        if (count != 2)
            return fail(r, "expected one value after \"%s\", found %zu",
                        keywords[keyword], count - 1);
        if (keyword == KW_DATA && !r->seen[KW_INPUTS])
            return fail(r, "missing \"inputs\" before \"data\"");
        if (parse_setting(r, inst, keyword, tokens[1]) != XT_OK)
            return XT_ERR_INPUT;
    }
    r->data_line = r->lines.line;
    return XT_OK;
}

static int row_width_error(reader *r, const xt_instance_t inst,
                           size_t found)
{
    return fail(r, "expected %d values (%d input%s, %d output%s), found %zu",
                inst->d + inst->m, inst->d, inst->d == 1 ? "" : "s",
                inst->m, inst->m == 1 ? "" : "s", found);
}

/* Parses the current line as data row i.  When store is 0 the values are
 * only checked. */
static int read_row(reader *r, xt_instance_t inst, long i, int store,
                    mpq_t scratch)
{
    size_t width = (size_t)(inst->d + inst->m);
    size_t found = xt_tokens_split(NULL, 0, r->lines.current);
    xt_token rest = r->lines.current, token;

    if (found != width)
        return row_width_error(r, inst, found);
    for (size_t t = 0; xt_tokens_next(&token, &rest); t++) {
        mpq_ptr target = scratch;
        if (store && t < (size_t)inst->d)
            target = inst->x[i * inst->d + (long)t];
        else if (store)
            target = inst->y[i * inst->m + (long)t - inst->d];
        if (xt_token_to_rat(target, token, r->lines.name, r->lines.line,
                            r->err) != XT_OK)
            return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Reports whether the unread text can hold count rows of width tokens:
 * such rows need at least 2 * count * width - 1 bytes, because tokens are
 * separated by at least one byte. */
static int rows_can_fit(const reader *r, long count, int width)
{
    unsigned long long need = 2ull * (unsigned long long)count *
                              (unsigned long long)width;
    unsigned long long rest = r->lines.len - r->lines.pos;
    return need <= rest + 1;
}

static int read_rows(reader *r, xt_instance_t inst)
{
    int store = rows_can_fit(r, r->count, inst->d + inst->m);
    long rows = store ? r->count : 0;
    int status = xt_instance_resize(inst, rows, inst->d, inst->m, r->err);
    mpq_t scratch;

    if (status != XT_OK)
        return status;
    mpq_init(scratch);
    for (long i = 0; i < r->count && status == XT_OK; i++) {
        int found = xt_lines_next(&r->lines, r->err);
        if (found < 0) {
            status = XT_ERR_INPUT;
        } else if (found == 0) {
            status = fail(r, "too few data rows: expected %ld (\"data\" on "
                          "line %ld), found %ld", r->count, r->data_line, i);
        } else {
            status = read_row(r, inst, i, store, scratch);
        }
    }
    mpq_clear(scratch);
    /* rows_can_fit allows storing whenever all rows can fit in the rest
     * of the text, so reaching this is a bug. */
    if (status == XT_OK && !store) {
        fail(r, "internal error: %ld data rows fit in fewer bytes than "
             "the bound allows", r->count);
        status = XT_ERR_INTERNAL;
    }
    return status;
}

static int check_end(reader *r)
{
    int status = xt_lines_next(&r->lines, r->err);

    if (status < 0)
        return XT_ERR_INPUT;
    if (status == 0)
        return XT_OK;
    return fail(r, "too many data rows: expected %ld (\"data\" on line "
                "%ld)", r->count, r->data_line);
}

int xt_instance_read_string(xt_instance_t inst, const char *text,
                            const char *name, xt_error_t *err)
{
    return xt_instance_read_text(inst, text, strlen(text), name, err);
}

int xt_instance_read_text(xt_instance_t inst, const char *text, size_t len,
                          const char *name, xt_error_t *err)
{
    reader r;
    xt_instance_t temp;
    int status;

    memset(&r, 0, sizeof r);
    r.err = err;
    xt_lines_init(&r.lines, text, len, name, 1);
    xt_instance_init(temp);

    status = read_header(&r);
    if (status == XT_OK)
        status = read_settings(&r, temp);
    if (status == XT_OK)
        status = read_rows(&r, temp);
    if (status == XT_OK)
        status = check_end(&r);

    if (status == XT_OK) {
        xt_instance_struct swap = *inst;
        *inst = *temp;
        *temp = swap;
    }
    xt_instance_clear(temp);
    return status;
}

/* Reports whether path ends in ".csv", in any letter case. */
static int has_csv_suffix(const char *path)
{
    size_t len = strlen(path);
    const char *suffix = ".csv";

    if (len < 4)
        return 0;
    for (size_t i = 0; i < 4; i++) {
        char ch = path[len - 4 + i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch != suffix[i])
            return 0;
    }
    return 1;
}

int xt_instance_read_file(xt_instance_t inst, const char *path,
                          xt_error_t *err)
{
    char *text;
    size_t len;
    int status;

    if (has_csv_suffix(path))
        return xt_instance_read_csv(inst, path, 1, err);
    status = xt_text_read_file(&text, &len, path, err);
    if (status != XT_OK)
        return status;
    status = xt_instance_read_text(inst, text, len, xt_text_display_name(path),
                                   err);
    free(text);
    return status;
}
