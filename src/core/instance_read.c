/* Reader for the instance text format, version 1 (docs/formats.md).
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
    KW_OUTPUT_BIAS, KW_CONVEX, KW_DATA, KW_COUNT
};

static const char *const keywords[KW_COUNT] = {
    "inputs", "outputs", "hidden", "activation", "loss", "target",
    "output-bias", "convex", "data"
};

/* State of one read. */
typedef struct {
    xt_lines lines;
    xt_error_t *err;
    long seen[KW_COUNT];   /* line where each keyword was given, or 0 */
    long count;            /* the value of "data" */
    long data_line;        /* line of "data" */
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
        if (xt_token_is(tokens[1], "1"))
            return XT_OK;
        return fail(r, "unsupported format version %s (this reader "
                    "supports \"xtrain-instance 1\")",
                    xt_token_quote(quoted, tokens[1]));
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
