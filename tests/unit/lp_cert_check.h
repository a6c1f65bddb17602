/* An independent check of LP and QP certificates for the tests: the
 * conditions of xtrain/lp.h evaluated naively in mpq on the caller's
 * problem, sharing no code with src/lp.  Returns 1 when they hold and
 * otherwise prints which one failed. */
#ifndef LP_CERT_CHECK_H
#define LP_CERT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <gmp.h>
#include "xtrain/lp.h"

/* out = sum_j row[j] * v[j] */
static void lpc_dot(mpq_t out, const mpq_t *row, const mpq_t *v, int n)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(out, 0, 1);
    for (int j = 0; j < n; j++) {
        mpq_mul(t, row[j], v[j]);
        mpq_add(out, out, t);
    }
    mpq_clear(t);
}

/* out = sum_i y_i a_ij (column j of A^T y). */
static void lpc_col(mpq_t out, const xt_lp_t lp, const mpq_t *y, int j)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(out, 0, 1);
    for (int i = 0; i < lp->nrows; i++) {
        mpq_mul(t, lp->a[i * lp->ncols + j], y[i]);
        mpq_add(out, out, t);
    }
    mpq_clear(t);
}

static int lpc_fail(const char *what)
{
    fprintf(stderr, "certificate check: %s\n", what);
    return 0;
}

static int lpc_feasible(const xt_lp_t lp, const mpq_t *x, int *tight)
{
    int ok = 1;
    mpq_t s;
    mpq_init(s);
    for (int i = 0; i < lp->nrows && ok; i++) {
        lpc_dot(s, lp->a + i * lp->ncols, x, lp->ncols);
        int c = mpq_cmp(s, lp->b[i]);
        if (c < 0 || (lp->type[i] == XT_ROW_EQ && c != 0))
            ok = 0;
        if (tight)
            tight[i] = c == 0;
    }
    mpq_clear(s);
    return ok;
}

static int lpc_signs(const xt_lp_t lp, const mpq_t *y)
{
    for (int i = 0; i < lp->nrows; i++)
        if (lp->type[i] == XT_ROW_GE && mpq_sgn(y[i]) < 0)
            return 0;
    return 1;
}

/* grad = 2 M^T (M x - t) + c; value = ||M x - t||^2 + c . x */
static void lpc_objective(mpq_t value, mpq_t *grad, const xt_lp_t lp,
                          const mpq_t *x)
{
    int n = lp->ncols;
    mpq_t r, t;
    mpq_inits(r, t, NULL);
    lpc_dot(value, lp->c, x, n);
    for (int j = 0; j < n; j++)
        mpq_set(grad[j], lp->c[j]);
    for (int k = 0; k < lp->nsq; k++) {
        lpc_dot(r, lp->m + k * n, x, n);
        mpq_sub(r, r, lp->t[k]);
        mpq_mul(t, r, r);
        mpq_add(value, value, t);
        for (int j = 0; j < n; j++) {
            mpq_mul(t, lp->m[k * n + j], r);
            mpq_add(grad[j], grad[j], t);
            mpq_add(grad[j], grad[j], t);
        }
    }
    mpq_clears(r, t, NULL);
}

static int lpc_optimal(const xt_lp_t lp, const xt_lp_result_t res)
{
    int n = lp->ncols, ok = 1;
    int *tight = malloc(((size_t)lp->nrows + 1) * sizeof *tight);
    mpq_t *grad = malloc(((size_t)n + 1) * sizeof *grad);
    mpq_t value, s, by;

    mpq_inits(value, s, by, NULL);
    for (int j = 0; j < n; j++)
        mpq_init(grad[j]);
    if (!lpc_feasible(lp, res->x, tight))
        ok = lpc_fail("x is not feasible");
    if (ok && !lpc_signs(lp, res->y))
        ok = lpc_fail("a GE multiplier is negative");
    lpc_objective(value, grad, lp, res->x);
    if (ok && !mpq_equal(value, res->value))
        ok = lpc_fail("value is not the objective at x");
    for (int j = 0; j < n && ok; j++) {
        lpc_col(s, lp, res->y, j);
        if (!mpq_equal(s, grad[j]))
            ok = lpc_fail("A^T y differs from the gradient");
    }
    for (int i = 0; i < lp->nrows && ok; i++)
        if (!tight[i] && mpq_sgn(res->y[i]) != 0)
            ok = lpc_fail("a slack row has a nonzero multiplier");
    if (ok && lp->nsq == 0) {
        lpc_dot(by, lp->b, res->y, lp->nrows);
        if (!mpq_equal(by, value))
            ok = lpc_fail("b . y differs from c . x");
    }
    for (int j = 0; j < n; j++)
        mpq_clear(grad[j]);
    free(grad);
    free(tight);
    mpq_clears(value, s, by, NULL);
    return ok;
}

static int lpc_infeasible(const xt_lp_t lp, const xt_lp_result_t res)
{
    int ok = lpc_signs(lp, res->y) || lpc_fail("a GE ray entry is < 0");
    mpq_t s;
    mpq_init(s);
    for (int j = 0; j < lp->ncols && ok; j++) {
        lpc_col(s, lp, res->y, j);
        if (mpq_sgn(s) != 0)
            ok = lpc_fail("A^T y is not 0");
    }
    if (ok) {
        lpc_dot(s, lp->b, res->y, lp->nrows);
        if (mpq_sgn(s) <= 0)
            ok = lpc_fail("b . y is not positive");
    }
    mpq_clear(s);
    return ok;
}

static int lpc_unbounded(const xt_lp_t lp, const xt_lp_result_t res)
{
    int n = lp->ncols, ok = 1;
    mpq_t s;
    mpq_init(s);
    for (int i = 0; i < lp->nrows && ok; i++) {
        lpc_dot(s, lp->a + i * n, res->x, n);
        if (mpq_sgn(s) < 0 || (lp->type[i] == XT_ROW_EQ && mpq_sgn(s)))
            ok = lpc_fail("the direction leaves the feasible set");
    }
    for (int k = 0; k < lp->nsq && ok; k++) {
        lpc_dot(s, lp->m + k * n, res->x, n);
        if (mpq_sgn(s) != 0)
            ok = lpc_fail("M r is not 0");
    }
    if (ok) {
        lpc_dot(s, lp->c, res->x, n);
        if (mpq_sgn(s) >= 0)
            ok = lpc_fail("c . r is not negative");
    }
    mpq_clear(s);
    return ok;
}

/* Checks res against lp by its status; XT_LP_ERROR never passes. */
static int lp_cert_check(const xt_lp_t lp, const xt_lp_result_t res)
{
    switch (res->status) {
    case XT_LP_OPTIMAL:
        return lpc_optimal(lp, res);
    case XT_LP_INFEASIBLE:
        return lpc_infeasible(lp, res);
    case XT_LP_UNBOUNDED:
        return lpc_unbounded(lp, res);
    default:
        return lpc_fail("status is XT_LP_ERROR");
    }
}

#endif
