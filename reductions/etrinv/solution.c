/* ETR-INV solutions: storage, text lines "v xI VALUE", and the exact
 * check against a system. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "etrinv_internal.h"

/* Precision of the interval cross-check, in bits. */
#define CHECK_BITS 128

void xt_etrinv_solution_init(xt_etrinv_solution_t sol)
{
    sol->n = 0;
    sol->value = NULL;
}

void xt_etrinv_solution_clear(xt_etrinv_solution_t sol)
{
    for (int i = 0; i < sol->n; i++)
        xt_algebraic_clear(&sol->value[i]);
    free(sol->value);
    xt_etrinv_solution_init(sol);
}

void xt_etrinv_solution_resize(xt_etrinv_solution_t sol, int n)
{
    xt_etrinv_solution_clear(sol);
    sol->value = malloc((size_t)(n > 0 ? n : 1) * sizeof *sol->value);
    if (!sol->value)
        abort();
    for (int i = 0; i < n; i++)
        xt_algebraic_init(&sol->value[i]);
    sol->n = n;
}

void xt_etrinv_solution_write(FILE *stream, const xt_etrinv_solution_t sol,
                              int digits)
{
    for (int i = 0; i < sol->n; i++) {
        fprintf(stream, "v x%d ", i);
        xt_algebraic_print(stream, &sol->value[i]);
        fputc('\n', stream);
        if (sol->value[i].degree == 0)
            continue;
        fprintf(stream, "c x%d = ", i);
        xt_algebraic_print_decimal(stream, &sol->value[i], digits);
        fputc('\n', stream);
    }
}

/* Parses one line "v xI VALUE" into sol; seen marks the variables. */
static int parse_value_line(xt_etrinv_solution_t sol, unsigned char *seen,
                            const char *s, const char *end,
                            const char *name, long line, xt_error_t *err)
{
    xt_error_t local;
    long v = 0;

    s++;
    while (s < end && isspace((unsigned char)*s))
        s++;
    if (s == end || *s++ != 'x' || s == end || !isdigit((unsigned char)*s)) {
        xt_error_at(err, name, line, "expected \"v xI VALUE\"");
        return XT_ERR_INPUT;
    }
    while (s < end && isdigit((unsigned char)*s) && v <= sol->n)
        v = v * 10 + (*s++ - '0');
    if (v >= sol->n) {
        xt_error_at(err, name, line, "variable out of range x0 .. x%d",
                    sol->n - 1);
        return XT_ERR_INPUT;
    }
    if (seen[v]) {
        xt_error_at(err, name, line, "second value for x%ld", v);
        return XT_ERR_INPUT;
    }
    if (xt_algebraic_parse(&sol->value[v], s, (size_t)(end - s), &local)) {
        xt_error_at(err, name, line, "%s", local.message);
        return XT_ERR_INPUT;
    }
    seen[v] = 1;
    return XT_OK;
}

int xt_etrinv_solution_parse(xt_etrinv_solution_t sol, int n,
                             const char *text, size_t len, const char *name,
                             xt_error_t *err)
{
    unsigned char *seen = calloc((size_t)(n > 0 ? n : 1), 1);
    size_t pos = 0;
    long line = 0;
    int status = XT_OK;

    if (!seen)
        abort();
    xt_etrinv_solution_resize(sol, n);
    while (status == XT_OK && pos < len) {
        const char *s = text + pos, *end;
        size_t stop = pos;
        while (stop < len && text[stop] != '\n')
            stop++;
        end = text + stop;
        pos = stop + 1;
        line++;
        while (s < end && isspace((unsigned char)*s))
            s++;
        if (s == end || *s == 'c' || *s == 's')
            continue;
        if (*s != 'v') {
            xt_error_at(err, name, line, "expected \"v xI VALUE\"");
            status = XT_ERR_INPUT;
        } else {
            status = parse_value_line(sol, seen, s, end, name, line, err);
        }
    }
    for (int v = 0; status == XT_OK && v < n; v++)
        if (!seen[v]) {
            xt_error_at(err, name, line, "missing value for x%d", v);
            status = XT_ERR_INPUT;
        }
    free(seen);
    return status;
}

int xt_etrinv_combine(xt_algebraic_t out, Z3_context c,
                      const xt_algebraic_t a, const xt_algebraic_t b,
                      int add, xt_error_t *err)
{
    Z3_ast za = xt_z3_mk_algebraic(c, a, err), zb, r;

    if (!za)
        return XT_ERR_INTERNAL;
    zb = xt_z3_mk_algebraic(c, b, err);
    if (!zb)
        return XT_ERR_INTERNAL;
    r = add ? Z3_algebraic_add(c, za, zb) : Z3_algebraic_mul(c, za, zb);
    if (xt_z3_failed(c, add ? "Z3_algebraic_add" : "Z3_algebraic_mul",
                     err))
        return XT_ERR_INTERNAL;
    return xt_z3_get_algebraic(out, c, r, err);
}

/* Encloses a + b - c (add) or a b - 1 and reports whether 0 is inside. */
static int enclosure_has_zero(const xt_algebraic_t a, const xt_algebraic_t b,
                              const xt_algebraic_t c, int add)
{
    xt_ival x, y, z;
    int zero;

    xt_ival_init(&x, CHECK_BITS);
    xt_ival_init(&y, CHECK_BITS);
    xt_ival_init(&z, CHECK_BITS);
    xt_ival_set_algebraic(&x, a);
    xt_ival_set_algebraic(&y, b);
    if (add) {
        xt_ival_add(&x, &x, &y);
        xt_ival_set_algebraic(&z, c);
    } else {
        xt_ival_mul(&x, &x, &y);
        mpfr_set_ui(z.lo, 1, MPFR_RNDD);
        mpfr_set_ui(z.hi, 1, MPFR_RNDU);
    }
    xt_ival_sub(&x, &x, &z);
    zero = xt_ival_sign(&x) == 0;
    xt_ival_clear(&x);
    xt_ival_clear(&y);
    xt_ival_clear(&z);
    return zero;
}

/* Checks one constraint and stores in *ok whether it is satisfied. */
static int check_constraint(int *ok, Z3_context c,
                            const xt_etrinv_constraint *k,
                            const xt_etrinv_solution_t sol, xt_error_t *err)
{
    const xt_algebraic_struct *v = sol->value;
    xt_algebraic_t result;
    mpq_t one;
    int status = XT_OK, add = k->op == XT_ETRINV_ADD;

    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    if (k->op == XT_ETRINV_ONE) {
        *ok = xt_algebraic_cmp_q(&v[k->a], one) == 0;
        mpq_clear(one);
        return XT_OK;
    }
    xt_algebraic_init(result);
    status = xt_etrinv_combine(result, c, &v[k->a], &v[k->b], add, err);
    if (status == XT_OK) {
        *ok = add ? xt_algebraic_cmp(result, &v[k->c]) == 0
                  : xt_algebraic_cmp_q(result, one) == 0;
        if (*ok && !enclosure_has_zero(&v[k->a], &v[k->b], &v[k->c], add)) {
            xt_error_set(err, "self-check failed: exact and interval "
                         "evaluation of a constraint disagree");
            status = XT_ERR_INTERNAL;
        }
    }
    xt_algebraic_clear(result);
    mpq_clear(one);
    return status;
}

int xt_etrinv_check(int *holds, int *failed, const xt_etrinv_t sys,
                    const xt_etrinv_solution_t sol, xt_error_t *err)
{
    Z3_context c;
    mpq_t half, two;
    int status = XT_OK, ok = 1;

    *holds = 0;
    if (failed)
        *failed = 0;
    if (sol->n != sys->nvars) {
        xt_error_set(err, "the solution has %d values but the system %d "
                     "variables", sol->n, sys->nvars);
        return XT_ERR_INPUT;
    }
    mpq_inits(half, two, NULL);
    mpq_set_ui(half, 1, 2);
    mpq_set_ui(two, 2, 1);
    for (int v = 0; v < sol->n && ok; v++) {
        ok = xt_algebraic_cmp_q(&sol->value[v], half) >= 0 &&
             xt_algebraic_cmp_q(&sol->value[v], two) <= 0;
        if (!ok && failed)
            *failed = -1 - v;
    }
    mpq_clears(half, two, NULL);
    c = ok ? xt_z3_context_new() : NULL;
    if (ok && !c) {
        xt_error_set(err, "Z3 could not create a context");
        return XT_ERR_INTERNAL;
    }
    for (int i = 0; ok && status == XT_OK && i < sys->count; i++) {
        status = check_constraint(&ok, c, &sys->constraints[i], sol, err);
        if (!ok && failed)
            *failed = i;
    }
    xt_z3_context_free(c);
    *holds = status == XT_OK && ok;
    return status;
}
