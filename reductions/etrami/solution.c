/* Solutions of ETR-AMI systems: storage, the "v xI VALUE" text format and
 * the exact check.
 *
 * The check evaluates every constraint with Z3's real algebraic numbers
 * (Z3_algebraic_add, Z3_algebraic_mul, Z3_algebraic_eq) and, as an
 * independent cross-check, in MPFR interval arithmetic: a constraint that
 * Z3 finds satisfied must have a residual interval containing 0, and a
 * disagreement is reported as an internal error. */
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"

void xt_etrami_solution_init(xt_etrami_solution_t sol)
{
    sol->n = 0;
    sol->value = NULL;
}

void xt_etrami_solution_clear(xt_etrami_solution_t sol)
{
    for (int i = 0; i < sol->n; i++)
        xt_algebraic_clear(&sol->value[i]);
    free(sol->value);
    sol->n = 0;
    sol->value = NULL;
}

int xt_etrami_solution_resize(xt_etrami_solution_t sol, int n)
{
    xt_algebraic_struct *value = NULL;

    if (n > 0) {
        value = malloc((size_t)n * sizeof *value);
        if (!value)
            return XT_ERR_NOMEM;
        for (int i = 0; i < n; i++)
            xt_algebraic_init(&value[i]);
    }
    xt_etrami_solution_clear(sol);
    sol->n = n;
    sol->value = value;
    return XT_OK;
}

int xt_etrami_solution_set(xt_etrami_solution_t dst,
                           const xt_etrami_solution_t src)
{
    if (dst == src)
        return XT_OK;
    if (xt_etrami_solution_resize(dst, src->n) != XT_OK)
        return XT_ERR_NOMEM;
    for (int i = 0; i < src->n; i++)
        xt_algebraic_set(&dst->value[i], &src->value[i]);
    return XT_OK;
}

int xt_etrami_solution_irrational(const xt_etrami_solution_t sol)
{
    int count = 0;

    for (int i = 0; i < sol->n; i++)
        count += sol->value[i].degree > 0;
    return count;
}

void xt_etrami_solution_write(FILE *stream, const xt_etrami_solution_t sol,
                              int digits)
{
    for (int i = 0; i < sol->n; i++) {
        fprintf(stream, "v x%d ", i);
        xt_algebraic_print(stream, &sol->value[i]);
        fputc('\n', stream);
        if (sol->value[i].degree > 0) {
            fprintf(stream, "c x%d = ", i);
            xt_algebraic_print_decimal(stream, &sol->value[i], digits);
            fputc('\n', stream);
        }
    }
}

/* ------------------------------------------------------------ parsing */

/* Parses "v xI VALUE" (p after the "v") into sol, marking seen[I]. */
static int parse_value_line(xt_etrami_solution_t sol, unsigned char *seen,
                            const char *p, const char *end,
                            const char *name, long line, xt_error_t *err)
{
    xt_error_t inner;
    long index = 0;
    int digits = 0;

    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p < end && *p == 'x')
        for (p++; p < end && *p >= '0' && *p <= '9' && digits < 10; p++) {
            index = index * 10 + (*p - '0');
            digits++;
        }
    if (digits == 0 || digits > 9 || (p < end && *p != ' ' && *p != '\t')) {
        xt_error_at(err, name, line, "expected \"v xI VALUE\"");
        return XT_ERR_INPUT;
    }
    if (index >= sol->n) {
        xt_error_at(err, name, line, "variable x%ld out of range (the "
                    "system has %d variables)", index, sol->n);
        return XT_ERR_INPUT;
    }
    if (seen[index]) {
        xt_error_at(err, name, line, "second value for x%ld", index);
        return XT_ERR_INPUT;
    }
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (xt_algebraic_parse(&sol->value[index], p, (size_t)(end - p),
                           &inner) != XT_OK) {
        xt_error_at(err, name, line, "invalid value of x%ld: %s", index,
                    inner.message);
        return XT_ERR_INPUT;
    }
    seen[index] = 1;
    return XT_OK;
}

/* Parses every line of text into sol (already resized). */
static int parse_solution_lines(xt_etrami_solution_t sol,
                                unsigned char *seen, const char *text,
                                size_t len, const char *name,
                                xt_error_t *err)
{
    long line = 0;

    for (const char *p = text; p < text + len;) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        const char *end = nl ? nl : text + len, *q = p;
        line++;
        p = nl ? nl + 1 : text + len;
        while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q == end || (*q == 'c' && (q + 1 == end || q[1] == ' ')))
            continue;
        if (memchr(q, '\0', (size_t)(end - q))) {
            xt_error_at(err, name, line, "NUL byte (the file is not text)");
            return XT_ERR_INPUT;
        }
        if (*q == 's' && end - q >= 15 && !memcmp(q, "s UNSATISFIABLE", 15)) {
            xt_error_at(err, name, line, "the file states that the system "
                        "has no solution");
            return XT_ERR_INPUT;
        }
        if (*q == 's')
            continue;
        if (*q != 'v' || (q + 1 < end && q[1] != ' ' && q[1] != '\t')) {
            xt_error_at(err, name, line, "expected \"v xI VALUE\", a \"c\" "
                        "comment or an \"s\" line");
            return XT_ERR_INPUT;
        }
        if (parse_value_line(sol, seen, q + 1, end, name, line, err) != XT_OK)
            return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_etrami_solution_parse(xt_etrami_solution_t sol, int n,
                             const char *text, size_t len,
                             const char *name, xt_error_t *err)
{
    xt_etrami_solution_t tmp;
    unsigned char *seen = calloc((size_t)(n > 0 ? n : 1), 1);
    int status;

    xt_etrami_solution_init(tmp);
    if (!seen || xt_etrami_solution_resize(tmp, n) != XT_OK) {
        free(seen);
        xt_error_set(err, "out of memory for a solution of %d variables", n);
        return XT_ERR_NOMEM;
    }
    status = parse_solution_lines(tmp, seen, text, len, name, err);
    for (int i = 0; i < n && status == XT_OK; i++)
        if (!seen[i]) {
            xt_error_at(err, name, 0, "no value for x%d (expected a line "
                        "\"v x%d VALUE\" for each of the %d variables)", i, i,
                        n);
            status = XT_ERR_INPUT;
        }
    if (status == XT_OK) {
        xt_etrami_solution_struct swap = *sol;
        *sol = *tmp;
        *tmp = swap;
    }
    xt_etrami_solution_clear(tmp);
    free(seen);
    return status;
}

int xt_etrami_solution_read_file(xt_etrami_solution_t sol, int n,
                                 const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int status = xt_read_whole_file(&text, &len, path, err);

    if (status != XT_OK)
        return status;
    status = xt_etrami_solution_parse(sol, n, text, len,
                                      strcmp(path, "-") ? path : "<stdin>",
                                      err);
    free(text);
    return status;
}

/* ------------------------------------------------------------ checking */

/* Precision of the interval cross-check, in bits. */
#define CHECK_BITS 256

/* Whether the interval residual of con at sol contains 0. */
static int interval_allows(const xt_etrami_constraint *con,
                           const xt_ival *x, xt_ival *tmp)
{
    if (con->op == XT_ETRAMI_ONE) {
        mpq_t one;
        mpq_init(one);
        mpq_set_ui(one, 1, 1);
        xt_ival_set_q(tmp, one);
        mpq_clear(one);
        xt_ival_sub(tmp, &x[con->a], tmp);
    } else {
        if (con->op == XT_ETRAMI_ADD)
            xt_ival_add(tmp, &x[con->a], &x[con->b]);
        else
            xt_ival_mul(tmp, &x[con->a], &x[con->b]);
        xt_ival_sub(tmp, tmp, &x[con->c]);
    }
    return xt_ival_sign(tmp) == 0;
}

/* Whether con holds at the Z3 values z, exactly. */
static int z3_holds(Z3_context c, const xt_etrami_constraint *con,
                    Z3_ast *z, Z3_ast one)
{
    Z3_ast left;

    if (con->op == XT_ETRAMI_ONE)
        return Z3_algebraic_eq(c, z[con->a], one);
    if (con->op == XT_ETRAMI_ADD)
        left = Z3_algebraic_add(c, z[con->a], z[con->b]);
    else
        left = Z3_algebraic_mul(c, z[con->a], z[con->b]);
    return Z3_algebraic_eq(c, left, z[con->c]);
}

/* Converts the values of sol to Z3 values and MPFR intervals; *loaded
 * counts the intervals initialized. */
static int load_values(Z3_context c, Z3_ast *z, xt_ival *x, int *loaded,
                       const xt_etrami_solution_t sol, xt_error_t *err)
{
    for (int v = 0; v < sol->n; v++) {
        z[v] = xt_z3_mk_algebraic(c, &sol->value[v], err);
        if (!z[v])
            return XT_ERR_INTERNAL;
        xt_ival_init(&x[v], CHECK_BITS);
        xt_ival_set_algebraic(&x[v], &sol->value[v]);
        *loaded = v + 1;
    }
    return XT_OK;
}

/* Runs both checks on every constraint; *holds and *failed as in
 * xt_etrami_check. */
static int check_constraints(int *holds, int *failed, Z3_context c,
                             Z3_ast *z, xt_ival *x, const xt_etrami_t sys,
                             xt_error_t *err)
{
    mpq_t q;
    Z3_ast one;
    xt_ival tmp;

    mpq_init(q);
    mpq_set_ui(q, 1, 1);
    one = xt_z3_mk_rational(c, q);
    mpq_clear(q);
    xt_ival_init(&tmp, CHECK_BITS);
    *holds = 1;
    for (int i = 0; i < sys->count; i++) {
        const xt_etrami_constraint *con = &sys->constraints[i];
        int exact = z3_holds(c, con, z, one);
        if (xt_z3_failed(c, "the algebraic check of a constraint", err)) {
            xt_ival_clear(&tmp);
            return XT_ERR_INTERNAL;
        }
        if (exact && !interval_allows(con, x, &tmp)) {
            xt_error_set(err, "self-check failed: Z3 finds constraint %d "
                         "satisfied but interval arithmetic excludes it", i);
            xt_ival_clear(&tmp);
            return XT_ERR_INTERNAL;
        }
        if (!exact && *holds) {
            *holds = 0;
            if (failed)
                *failed = i;
        }
    }
    xt_ival_clear(&tmp);
    return XT_OK;
}

int xt_etrami_check(int *holds, int *failed, const xt_etrami_t sys,
                    const xt_etrami_solution_t sol, xt_error_t *err)
{
    int n = sol->n, status, loaded = 0;
    Z3_context c;
    Z3_ast *z;
    xt_ival *x;

    *holds = 0;
    if (sol->n != sys->nvars) {
        xt_error_set(err, "the solution has %d values but the system has %d "
                     "variables", sol->n, sys->nvars);
        return XT_ERR_INPUT;
    }
    c = xt_z3_context_new();
    z = malloc((size_t)(n > 0 ? n : 1) * sizeof *z);
    x = malloc((size_t)(n > 0 ? n : 1) * sizeof *x);
    if (!c || !z || !x) {
        xt_error_set(err, "cannot create a Z3 context or out of memory");
        status = XT_ERR_INTERNAL;
    } else {
        status = load_values(c, z, x, &loaded, sol, err);
    }
    if (status == XT_OK)
        status = check_constraints(holds, failed, c, z, x, sys, err);
    for (int v = 0; v < loaded; v++)
        xt_ival_clear(&x[v]);
    free(z);
    free(x);
    xt_z3_context_free(c);
    return status;
}
