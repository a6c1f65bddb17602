/* ETR-INV systems: storage and the text format (see xtrain/etrinv.h).
 * The header fixes the numbers of variables and constraint lines. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "etrinv_internal.h"

void xt_etrinv_init(xt_etrinv_t sys)
{
    memset(sys, 0, sizeof *sys);
}

void xt_etrinv_clear(xt_etrinv_t sys)
{
    free(sys->constraints);
    memset(sys, 0, sizeof *sys);
}

void xt_etrinv_reset(xt_etrinv_t sys, int nvars)
{
    sys->nvars = nvars;
    sys->count = 0;
}

int xt_etrinv_add(xt_etrinv_t sys, xt_etrinv_op op, int a, int b, int c,
                  xt_error_t *err)
{
    int n = sys->nvars;

    if ((unsigned)op > XT_ETRINV_INV) {
        xt_error_set(err, "unknown ETR-INV constraint code %d", (int)op);
        return XT_ERR_INPUT;
    }
    if (op != XT_ETRINV_ADD)
        c = 0;
    if (op == XT_ETRINV_ONE)
        b = 0;
    if (a < 0 || a >= n || b < 0 || b >= n || c < 0 || c >= n) {
        xt_error_set(err, "variable index out of range 0..%d in a "
                     "constraint", n - 1);
        return XT_ERR_INPUT;
    }
    if (sys->count >= XT_ETRINV_MAX_CONSTRAINTS) {
        xt_error_set(err, "more than %d constraints",
                     XT_ETRINV_MAX_CONSTRAINTS);
        return XT_ERR_INPUT;
    }
    if (sys->count == sys->capacity) {
        int cap = sys->capacity ? 2 * sys->capacity : 16;
        xt_etrinv_constraint *bigger =
            realloc(sys->constraints, (size_t)cap * sizeof *bigger);
        if (!bigger) {
            xt_error_set(err, "out of memory for %d constraints", cap);
            return XT_ERR_NOMEM;
        }
        sys->constraints = bigger;
        sys->capacity = cap;
    }
    sys->constraints[sys->count++] = (xt_etrinv_constraint){op, a, b, c};
    return XT_OK;
}

int xt_etrinv_set(xt_etrinv_t dst, const xt_etrinv_t src)
{
    if (dst == src)
        return XT_OK;
    xt_etrinv_reset(dst, src->nvars);
    for (int i = 0; i < src->count; i++) {
        const xt_etrinv_constraint *k = &src->constraints[i];
        if (xt_etrinv_add(dst, k->op, k->a, k->b, k->c, NULL) != XT_OK)
            return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_etrinv_golden(xt_etrinv_t sys)
{
    xt_etrinv_reset(sys, 3);
    xt_etrinv_add(sys, XT_ETRINV_ONE, 1, 0, 0, NULL);
    xt_etrinv_add(sys, XT_ETRINV_ADD, 0, 1, 2, NULL);
    xt_etrinv_add(sys, XT_ETRINV_INV, 0, 2, 0, NULL);
}

void xt_etrinv_write(FILE *stream, const xt_etrinv_t sys)
{
    fprintf(stream, "p etr-inv %d %d\n", sys->nvars, sys->count);
    for (int i = 0; i < sys->count; i++) {
        const xt_etrinv_constraint *k = &sys->constraints[i];
        if (k->op == XT_ETRINV_ONE)
            fprintf(stream, "x%d = 1\n", k->a);
        else if (k->op == XT_ETRINV_ADD)
            fprintf(stream, "x%d + x%d = x%d\n", k->a, k->b, k->c);
        else
            fprintf(stream, "x%d * x%d = 1\n", k->a, k->b);
    }
}

/* ------------------------------------------------------------- reading */

typedef struct {
    const char *name;
    long line;
    xt_error_t *err;
    const char *s;      /* cursor in the current line */
    const char *end;
} cursor;

static int fail(cursor *r, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(cursor *r, const char *format, ...)
{
    char message[XT_ERROR_MAX];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    xt_error_at(r->err, r->name, r->line, "%s", message);
    return XT_ERR_INPUT;
}

static void skip_space(cursor *r)
{
    while (r->s < r->end && isspace((unsigned char)*r->s))
        r->s++;
}

static int accept(cursor *r, char c)
{
    skip_space(r);
    if (r->s < r->end && *r->s == c) {
        r->s++;
        return 1;
    }
    return 0;
}

/* Reads a nonnegative integer below limit. */
static int read_number(cursor *r, long limit, long *out)
{
    skip_space(r);
    if (r->s >= r->end || !isdigit((unsigned char)*r->s))
        return -1;
    *out = 0;
    while (r->s < r->end && isdigit((unsigned char)*r->s)) {
        *out = *out * 10 + (*r->s++ - '0');
        if (*out >= limit)
            return -1;
    }
    return 0;
}

/* Reads a variable xI with I < n. */
static int read_variable(cursor *r, int n, int *out)
{
    long v;

    if (!accept(r, 'x') || read_number(r, n, &v) != 0)
        return fail(r, "expected a variable x0 .. x%d", n - 1);
    *out = (int)v;
    return XT_OK;
}

/* Parses one constraint line. */
static int parse_constraint(cursor *r, xt_etrinv_t sys)
{
    int a, b = 0, c = 0;
    long one;
    xt_etrinv_op op = XT_ETRINV_ONE;

    if (read_variable(r, sys->nvars, &a) != XT_OK)
        return XT_ERR_INPUT;
    if (accept(r, '+'))
        op = XT_ETRINV_ADD;
    else if (accept(r, '*'))
        op = XT_ETRINV_INV;
    if (op != XT_ETRINV_ONE && read_variable(r, sys->nvars, &b) != XT_OK)
        return XT_ERR_INPUT;
    if (!accept(r, '='))
        return fail(r, "expected \"=\" (constraints are x = 1, x + y = z "
                    "and x * y = 1)");
    if (op == XT_ETRINV_ADD) {
        if (read_variable(r, sys->nvars, &c) != XT_OK)
            return XT_ERR_INPUT;
    } else if (read_number(r, 2, &one) != 0 || one != 1) {
        return fail(r, "expected 1 on the right-hand side (constraints are "
                    "x = 1, x + y = z and x * y = 1)");
    }
    skip_space(r);
    if (r->s != r->end)
        return fail(r, "unexpected text after the constraint");
    return xt_etrinv_add(sys, op, a, b, c, r->err) == XT_OK ? XT_OK
                                                           : XT_ERR_INPUT;
}

/* Parses "p etr-inv N M". */
static int parse_header(cursor *r, xt_etrinv_t sys, long *count)
{
    long n;

    skip_space(r);
    if (r->end - r->s < 9 || strncmp(r->s, "p etr-inv", 9) != 0)
        return fail(r, "expected the header \"p etr-inv VARIABLES "
                    "CONSTRAINTS\"");
    r->s += 9;
    if (read_number(r, XT_ETRINV_MAX_VARS + 1, &n) != 0 ||
        read_number(r, XT_ETRINV_MAX_CONSTRAINTS + 1, count) != 0)
        return fail(r, "invalid header: expected up to %d variables and %d "
                    "constraints", XT_ETRINV_MAX_VARS,
                    XT_ETRINV_MAX_CONSTRAINTS);
    skip_space(r);
    if (r->s != r->end)
        return fail(r, "unexpected text after the header");
    xt_etrinv_reset(sys, (int)n);
    return XT_OK;
}

int xt_etrinv_parse(xt_etrinv_t out, const char *text, size_t len,
                    const char *name, xt_error_t *err)
{
    cursor r = {name, 0, err, NULL, NULL};
    xt_etrinv_t sys;
    long count = -1;
    size_t pos = 0;
    int status = XT_OK;

    xt_etrinv_init(sys);
    while (status == XT_OK && pos < len) {
        size_t stop = pos;
        while (stop < len && text[stop] != '\n')
            stop++;
        r.line++;
        r.s = text + pos;
        r.end = text + stop;
        if (r.end > r.s && r.end[-1] == '\r')
            r.end--;
        pos = stop + 1;
        skip_space(&r);
        if (r.s == r.end || *r.s == 'c')
            continue;
        if (memchr(r.s, '\0', (size_t)(r.end - r.s)))
            status = fail(&r, "the line contains a NUL byte");
        else if (count < 0)
            status = parse_header(&r, sys, &count);
        else if (sys->count >= count)
            status = fail(&r, "more constraint lines than the %ld of the "
                          "header", count);
        else
            status = parse_constraint(&r, sys);
    }
    if (status == XT_OK && count < 0) {
        r.line = r.line > 0 ? r.line : 1;
        status = fail(&r, "missing header \"p etr-inv VARIABLES "
                      "CONSTRAINTS\"");
    } else if (status == XT_OK && sys->count != count) {
        status = fail(&r, "expected %ld constraint lines, found %d", count,
                      sys->count);
    }
    if (status == XT_OK) {
        xt_etrinv_struct swap = *out;
        *out = *sys;
        *sys = swap;
    }
    xt_etrinv_clear(sys);
    return status;
}

int xt_etrinv_read_file(xt_etrinv_t out, const char *path, xt_error_t *err)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0;
    int status;

    if (!f) {
        xt_error_at(err, path, 0, "cannot open file: %s", strerror(errno));
        return XT_ERR_IO;
    }
    for (;;) {
        if (len + 4096 > cap) {
            char *bigger = realloc(text, cap = cap ? 2 * cap : 65536);
            if (!bigger) {
                free(text);
                fclose(f);
                xt_error_at(err, path, 0, "out of memory");
                return XT_ERR_NOMEM;
            }
            text = bigger;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    status = ferror(f) ? XT_ERR_IO : XT_OK;
    fclose(f);
    if (status != XT_OK)
        xt_error_at(err, path, 0, "read error");
    else
        status = xt_etrinv_parse(out, text, len, path, err);
    free(text);
    return status;
}
