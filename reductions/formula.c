/* Size formulas: integer expressions over a source problem's size
 * variables, e.g. "n + m + 7" or "3 * (n + 1)", evaluated by recursive
 * descent.  Grammar:
 *     expr   = term { ("+" | "-") term }
 *     term   = factor { "*" factor }
 *     factor = NUMBER | NAME | "(" expr ")" | "-" factor */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include "xtrain/reduction.h"

typedef struct {
    const char *text, *pos;
    const char *const *names;
    const long *values;
    int count, depth;
    xt_error_t *err;
    int failed;
} parser;

static void skip_space(parser *p)
{
    while (isspace((unsigned char)*p->pos))
        p->pos++;
}

static long fail(parser *p, const char *what)
{
    if (!p->failed)
        xt_error_set(p->err, "size formula \"%s\": %s at offset %ld",
                     p->text, what, (long)(p->pos - p->text));
    p->failed = 1;
    return 0;
}

static long expr(parser *p);

static long name_value(parser *p)
{
    const char *start = p->pos;
    while (isalnum((unsigned char)*p->pos) || *p->pos == '_')
        p->pos++;
    size_t len = (size_t)(p->pos - start);
    for (int i = 0; i < p->count; i++)
        if (p->names[i] && strlen(p->names[i]) == len &&
            !strncmp(p->names[i], start, len))
            return p->values[i];
    p->pos = start;
    return fail(p, "unknown variable");
}

static long factor(parser *p)
{
    skip_space(p);
    if (++p->depth > 100)
        return fail(p, "nested too deeply");
    long value;
    if (*p->pos == '-') {
        p->pos++;
        if (__builtin_sub_overflow(0L, factor(p), &value))
            return fail(p, "value too large");
    } else if (*p->pos == '(') {
        p->pos++;
        value = expr(p);
        skip_space(p);
        if (*p->pos != ')')
            return fail(p, "missing \")\"");
        p->pos++;
    } else if (isdigit((unsigned char)*p->pos)) {
        value = 0;
        while (isdigit((unsigned char)*p->pos)) {
            if (value > (LONG_MAX - 9) / 10)
                return fail(p, "number too large");
            value = value * 10 + (*p->pos++ - '0');
        }
    } else if (isalpha((unsigned char)*p->pos)) {
        value = name_value(p);
    } else {
        return fail(p, "expected a number, a variable or \"(\"");
    }
    p->depth--;
    return value;
}

static long term(parser *p)
{
    long value = factor(p);
    for (;;) {
        skip_space(p);
        if (*p->pos != '*')
            return value;
        p->pos++;
        long right = factor(p);
        if (__builtin_mul_overflow(value, right, &value))
            return fail(p, "value too large");
    }
}

static long expr(parser *p)
{
    long value = term(p);
    for (;;) {
        skip_space(p);
        if (*p->pos == '+') {
            p->pos++;
            long right = term(p);
            if (__builtin_add_overflow(value, right, &value))
                return fail(p, "value too large");
        } else if (*p->pos == '-') {
            p->pos++;
            long right = term(p);
            if (__builtin_sub_overflow(value, right, &value))
                return fail(p, "value too large");
        } else {
            return value;
        }
    }
}

int xt_formula_eval(long *out, const char *text, const char *const *names,
                    const long *values, int count, xt_error_t *err)
{
    parser p = {text, text, names, values, count, 0, err, 0};
    long value = expr(&p);
    skip_space(&p);
    if (!p.failed && *p.pos)
        fail(&p, "unexpected character");
    if (p.failed)
        return XT_ERR_INPUT;
    *out = value;
    return XT_OK;
}
