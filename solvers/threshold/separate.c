/* Exact separation LPs and small exact linear algebra for the threshold
 * solver.
 *
 * A threshold neuron [w.x + b > 0] is 1 exactly on a set A of points and
 * 0 on a set B when w.x + b > 0 on A and <= 0 on B.  For finite sets this
 * is the case for some (w, b) exactly when the LP
 *     w.x_i + b >= 1 (i in A),   w.x_i + b <= -1 (i in B)
 * is feasible: a strict separator can be shifted so that it is < 0 on B
 * and then scaled until both margins are at least 1. */
#include <stdlib.h>
#include "threshold_internal.h"
#include "xtrain/lp.h"
#include "xtrain/rat.h"

static void add_point_row(xt_lp_t lp, mpq_t *coef, const mpq_t *x, int d,
                          int bias, int sign, long margin)
{
    mpq_t rhs;
    mpq_init(rhs);
    for (int t = 0; t < d; t++) {
        mpq_set(coef[t], x[t]);
        if (sign < 0)
            mpq_neg(coef[t], coef[t]);
    }
    if (bias)
        mpq_set_si(coef[d], sign, 1);
    mpq_set_si(rhs, margin, 1);
    xt_lp_add_row(lp, coef, XT_ROW_GE, rhs);
    mpq_clear(rhs);
}

int xt_thr_separate(mpq_t *wb, const mpq_t *x, long n, int d,
                    const uint64_t *pos, const uint64_t *neg, int bias,
                    int margin_neg, long *lps, xt_error_t *err)
{
    int ncols = d + (bias ? 1 : 0);
    mpq_t *coef = xt_rat_array_new((size_t)ncols);
    if (!coef) {
        xt_error_set(err, "out of memory");
        return -XT_ERR_NOMEM;
    }
    xt_lp_t lp;
    xt_lp_init(lp, ncols);
    for (long i = 0; i < n; i++) {
        if (xt_thr_bit(pos, i))
            add_point_row(lp, coef, x + i * d, d, bias, 1, 1);
        else if (neg && xt_thr_bit(neg, i))
            add_point_row(lp, coef, x + i * d, d, bias, -1, margin_neg);
    }

    xt_lp_result_t res;
    xt_lp_result_init(res);
    int rc = xt_lp_solve(res, lp, err);
    if (lps)
        (*lps)++;
    int answer;
    if (rc != XT_OK) {
        answer = -rc;
    } else if (res->status == XT_LP_OPTIMAL) {
        for (int t = 0; t < ncols; t++)
            mpq_set(wb[t], res->x[t]);
        if (!bias)
            mpq_set_ui(wb[d], 0, 1);
        answer = 1;
    } else if (res->status == XT_LP_INFEASIBLE) {
        answer = 0;
    } else {
        xt_error_set(err, "self-check failed: a separation LP with a zero "
                     "objective was reported unbounded");
        answer = -XT_ERR_INTERNAL;
    }
    xt_lp_result_clear(res);
    xt_lp_clear(lp);
    xt_rat_array_free(coef, (size_t)ncols);
    return answer;
}

void xt_thr_activation_set(uint64_t *out, const mpq_t *wb, const mpq_t *x,
                           long n, int d)
{
    mpq_t t, product;
    mpq_init(t);
    mpq_init(product);
    for (long i = 0; i < n; i++) {
        mpq_set(t, wb[d]);
        for (int c = 0; c < d; c++) {
            mpq_mul(product, wb[c], x[i * d + c]);
            mpq_add(t, t, product);
        }
        xt_thr_set_bit(out, i, mpq_sgn(t) > 0);
    }
    mpq_clear(t);
    mpq_clear(product);
}

static void swap_rows(mpq_t *a, int width, int r1, int r2)
{
    if (r1 == r2)
        return;
    for (int c = 0; c < width; c++)
        mpq_swap(a[r1 * width + c], a[r2 * width + c]);
}

int xt_thr_linsolve(mpq_t *z, mpq_t *a, int rows, int cols)
{
    int width = cols + 1, rank = 0;
    int *pivot_col = malloc(sizeof(int) * (size_t)(rows > 0 ? rows : 1));
    mpq_t factor, product;
    mpq_init(factor);
    mpq_init(product);

    /* Forward elimination to reduced row echelon form. */
    for (int c = 0; c < cols && rank < rows; c++) {
        int p = rank;
        while (p < rows && mpq_sgn(a[p * width + c]) == 0)
            p++;
        if (p == rows)
            continue;
        swap_rows(a, width, rank, p);
        mpq_inv(factor, a[rank * width + c]);
        for (int e = c; e < width; e++)
            mpq_mul(a[rank * width + e], a[rank * width + e], factor);
        for (int r = 0; r < rows; r++) {
            if (r == rank || mpq_sgn(a[r * width + c]) == 0)
                continue;
            mpq_set(factor, a[r * width + c]);
            for (int e = c; e < width; e++) {
                mpq_mul(product, factor, a[rank * width + e]);
                mpq_sub(a[r * width + e], a[r * width + e], product);
            }
        }
        pivot_col[rank++] = c;
    }

    /* A zero row with a nonzero right-hand side is a contradiction. */
    int consistent = 1;
    for (int r = rank; r < rows; r++)
        if (mpq_sgn(a[r * width + cols]) != 0)
            consistent = 0;
    if (consistent) {
        for (int c = 0; c < cols; c++)
            mpq_set_ui(z[c], 0, 1);
        for (int r = 0; r < rank; r++)
            mpq_set(z[pivot_col[r]], a[r * width + cols]);
    }
    mpq_clear(factor);
    mpq_clear(product);
    free(pivot_col);
    return consistent ? rank : -1;
}
