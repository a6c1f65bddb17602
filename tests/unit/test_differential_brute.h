/* Brute-force references for the differential test (test_differential.c).
 *
 * They share no code with the solvers beyond the exact LP layer, which
 * they call with XT_LP_METHOD_EXACT (the mpq simplex only, not the GLPK
 * path the solvers use first):
 *
 *   brute_relu       every output sign and every subset of the points per
 *                    neuron, not only the affine dichotomies.  A subset
 *                    that no hyperplane cuts off gives an infeasible LP,
 *                    and every network lies in the closed cell of its own
 *                    active sets, so the minimum over all subsets is the
 *                    optimum (relu(t) = t where t >= 0 is required and 0
 *                    where t <= 0 is).  Zero-one loss: the most points a
 *                    pattern fits exactly, over all subsets of points.
 *                    Linear units: the best affine function.
 *   brute_threshold  every subset of the points that a threshold unit
 *                    [w.x + b > 0] realizes, checked by an LP, then every
 *                    output: a realizable Boolean function of the k-bit
 *                    codes (threshold output) or values c + a.h (linear
 *                    output), both by exhaustive search.  For l1, l2 and
 *                    linf the linear output's exact LP or QP per tuple.
 *
 * Neurons of equal output sign are interchangeable, so tuples of subsets
 * are taken nondecreasing within each sign class; that is the only
 * reduction.  Each function returns 0 without an answer when the work
 * would exceed the budget (LPs to solve). */
#ifndef XT_TEST_DIFFERENTIAL_BRUTE_H
#define XT_TEST_DIFFERENTIAL_BRUTE_H

#include <stdlib.h>
#include <string.h>
#include <gmp.h>
#include "xt_test.h"
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/rat.h"

#define BRUTE_MAX_K 3
#define BRUTE_MAX_N 12

/* Solves lp with the exact method.  Returns 1 when optimal (value set),
 * 0 when infeasible; an error or an unbounded program fails the test. */
static int brute_lp(mpq_t value, const xt_lp_t lp)
{
    xt_lp_result_t res;
    xt_lp_result_init(res);
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_lp_solve_method(res, lp, XT_LP_METHOD_EXACT, &err);
    int feasible = 0;
    if (rc != XT_OK) {
        XT_FAIL("brute force: exact LP failed: %s", err.message);
    } else if (res->status == XT_LP_OPTIMAL) {
        mpq_set(value, res->value);
        feasible = 1;
    } else if (res->status != XT_LP_INFEASIBLE) {
        XT_FAIL("brute force: LP status %d", (int)res->status);
    }
    xt_lp_result_clear(res);
    return feasible;
}

/* ------------------------------------------------------------ ReLU */

/* Column layout of a pattern's program: w_j and b_j per neuron, then the
 * output bias c when allowed, then the loss variables (n for l1, 1 for
 * linf). */
typedef struct {
    const xt_instance_struct *inst;
    int k, nw, ncols;
    int signs[BRUTE_MAX_K];     /* +1 or -1 */
    unsigned sets[BRUTE_MAX_K]; /* bit i: point i active */
    int linear;                 /* linear units: no sign rows */
} brute_pattern;

static void brute_layout(brute_pattern *p, const xt_instance_t inst, int k)
{
    memset(p, 0, sizeof *p);
    p->inst = inst;
    p->k = k;
    p->nw = k * (inst->d + 1) + (inst->output_bias ? 1 : 0);
    p->ncols = p->nw;
    if (inst->loss == XT_LOSS_L1)
        p->ncols += (int)inst->n;
    else if (inst->loss == XT_LOSS_LINF)
        p->ncols += 1;
}

static void brute_zero_row(mpq_t *row, int ncols)
{
    for (int c = 0; c < ncols; c++)
        mpq_set_ui(row[c], 0, 1);
}

/* row = the coefficients of f(x_i) in the network variables. */
static void brute_output_row(mpq_t *row, const brute_pattern *p, long i)
{
    const xt_instance_struct *inst = p->inst;
    int d = inst->d;
    brute_zero_row(row, p->ncols);
    for (int j = 0; j < p->k; j++) {
        if (!p->linear && !((p->sets[j] >> i) & 1))
            continue;
        for (int t = 0; t <= d; t++) {
            mpq_ptr cell = row[j * (d + 1) + t];
            if (t < d)
                mpq_set(cell, inst->x[i * d + t]);
            else
                mpq_set_ui(cell, 1, 1);
            if (p->signs[j] < 0)
                mpq_neg(cell, cell);
        }
    }
    if (inst->output_bias)
        mpq_set_ui(row[p->nw - 1], 1, 1);
}

/* Adds the rows that fix the activation pattern: w_j . x_i + b_j >= 0 on
 * the active points and <= 0 on the others. */
static void brute_sign_rows(xt_lp_t lp, mpq_t *row, const brute_pattern *p)
{
    const xt_instance_struct *inst = p->inst;
    int d = inst->d;
    mpq_t zero;
    mpq_init(zero);
    for (int j = 0; j < p->k && !p->linear; j++)
        for (long i = 0; i < inst->n; i++) {
            int s = (p->sets[j] >> i) & 1 ? 1 : -1;
            brute_zero_row(row, p->ncols);
            for (int t = 0; t < d; t++)
                mpq_set(row[j * (d + 1) + t], inst->x[i * d + t]);
            mpq_set_ui(row[j * (d + 1) + d], 1, 1);
            if (s < 0)
                for (int t = 0; t <= d; t++)
                    mpq_neg(row[j * (d + 1) + t], row[j * (d + 1) + t]);
            xt_lp_add_row(lp, row, XT_ROW_GE, zero);
        }
    mpq_clear(zero);
}

/* Adds the loss of the l1, l2 or linf objective. */
static void brute_loss_rows(xt_lp_t lp, mpq_t *row, const brute_pattern *p)
{
    const xt_instance_struct *inst = p->inst;
    mpq_t rhs;
    mpq_init(rhs);
    for (long i = 0; i < inst->n; i++) {
        brute_output_row(row, p, i);
        if (inst->loss == XT_LOSS_L2) {
            xt_lp_add_square(lp, row, inst->y[i]);
            continue;
        }
        /* e >= f - y and e >= y - f. */
        int e = p->nw + (inst->loss == XT_LOSS_L1 ? (int)i : 0);
        mpq_set_si(row[e], 1, 1);
        for (int c = 0; c < p->nw; c++)
            mpq_neg(row[c], row[c]);
        mpq_neg(rhs, inst->y[i]);
        xt_lp_add_row(lp, row, XT_ROW_GE, rhs);
        for (int c = 0; c < p->nw; c++)
            mpq_neg(row[c], row[c]);
        xt_lp_add_row(lp, row, XT_ROW_GE, inst->y[i]);
    }
    for (int c = p->nw; c < p->ncols; c++)
        mpq_set_ui(lp->c[c], 1, 1);
    mpq_clear(rhs);
}

/* The best loss with the current pattern under l1, l2 or linf; 0 when
 * the pattern is infeasible. */
static int brute_pattern_loss(mpq_t value, const brute_pattern *p,
                              mpq_t *row)
{
    xt_lp_t lp;
    xt_lp_init(lp, p->ncols);
    brute_sign_rows(lp, row, p);
    brute_loss_rows(lp, row, p);
    int feasible = brute_lp(value, lp);
    xt_lp_clear(lp);
    return feasible;
}

/* Whether some network with the current pattern has f(x_i) = y_i on the
 * points of mask. */
static int brute_pattern_fits(const brute_pattern *p, unsigned mask,
                              mpq_t *row, long *lps)
{
    xt_lp_t lp;
    xt_lp_init(lp, p->ncols);
    brute_sign_rows(lp, row, p);
    for (long i = 0; i < p->inst->n; i++)
        if ((mask >> i) & 1) {
            brute_output_row(row, p, i);
            xt_lp_add_row(lp, row, XT_ROW_EQ, p->inst->y[i]);
        }
    mpq_t value;
    mpq_init(value);
    int feasible = brute_lp(value, lp);
    mpq_clear(value);
    xt_lp_clear(lp);
    (*lps)++;
    return feasible;
}

static int brute_popcount(unsigned v)
{
    int c = 0;
    for (; v; v &= v - 1)
        c++;
    return c;
}

/* Zero-one loss: the most points the current pattern fits exactly,
 * trying larger point sets first.  best is the count to beat. */
static int brute_pattern_fit_count(const brute_pattern *p, int best,
                                   mpq_t *row, long *lps)
{
    int n = (int)p->inst->n;
    if (!brute_pattern_fits(p, 0, row, lps))
        return best;
    for (int size = n; size > best; size--)
        for (unsigned mask = 0; mask < (1u << n); mask++)
            if (brute_popcount(mask) == size &&
                brute_pattern_fits(p, mask, row, lps))
                return size;
    return best;
}

/* Number of multisets of size r from count items. */
static double brute_multisets(double count, int r)
{
    double v = 1;
    for (int i = 0; i < r; i++)
        v = v * (count + i) / (i + 1);
    return v;
}

/* Advances the subset tuple: nondecreasing within [0, p) and [p, k). */
static int brute_next_tuple(unsigned *sets, int k, int p, unsigned count)
{
    for (int pos = k - 1; pos >= 0; pos--) {
        if (sets[pos] + 1 >= count)
            continue;
        sets[pos]++;
        for (int q = pos + 1; q < k; q++)
            sets[q] = ((q < p) == (pos < p)) ? sets[pos] : 0;
        return 1;
    }
    return 0;
}

/* Patterns brute_relu visits: per number p of +1 neurons, multisets of
 * subsets in each sign class. */
static double brute_relu_patterns(const xt_instance_t inst, int k)
{
    double subsets = (double)(1u << inst->n), total = 0;
    for (int p = inst->convex ? k : 0; p <= k; p++)
        total += brute_multisets(subsets, p) *
                 brute_multisets(subsets, k - p);
    return total;
}

/* The best affine function: one linear unit covers every network with
 * linear units (a sum of affine maps is affine). */
static int brute_affine(mpq_t best, const xt_instance_t inst, mpq_t *row,
                        long budget)
{
    brute_pattern p;
    brute_layout(&p, inst, 1);
    p.linear = 1;
    p.signs[0] = 1;
    if (inst->loss != XT_LOSS_ZERO_ONE)
        return brute_pattern_loss(best, &p, row);
    if ((double)(1u << inst->n) > (double)budget)
        return 0;
    long lps = 0;
    int fit = brute_pattern_fit_count(&p, -1, row, &lps);
    mpq_set_si(best, inst->n - fit, 1);
    return 1;
}

/* Optimum of inst (ReLU or linear units, one output, any loss) with
 * inst->hidden neurons into best.  Returns 1, or 0 when more than budget
 * patterns (times 2^n for zero-one) would be needed. */
static int brute_relu(mpq_t best, const xt_instance_t inst, long budget)
{
    int k = inst->hidden;
    if (inst->n > BRUTE_MAX_N || k > BRUTE_MAX_K || inst->m != 1)
        return 0;
    brute_pattern p;
    brute_layout(&p, inst, k);
    mpq_t *row = xt_rat_array_new((size_t)p.ncols);
    int done;
    if (inst->activation == XT_ACT_LINEAR) {
        done = brute_affine(best, inst, row, budget);
        xt_rat_array_free(row, (size_t)p.ncols);
        return done;
    }
    double work = brute_relu_patterns(inst, k);
    if (inst->loss == XT_LOSS_ZERO_ONE)
        work *= (double)(1u << inst->n);
    if (work > (double)budget) {
        xt_rat_array_free(row, (size_t)p.ncols);
        return 0;
    }

    int have = 0, fit = -1;
    long lps = 0;
    mpq_t value;
    mpq_init(value);
    unsigned subsets = 1u << inst->n;
    for (int pos = inst->convex ? k : 0; pos <= k && fit < inst->n; pos++) {
        for (int j = 0; j < k; j++) {
            p.signs[j] = j < pos ? 1 : -1;
            p.sets[j] = 0;
        }
        do {
            if (inst->loss == XT_LOSS_ZERO_ONE) {
                fit = brute_pattern_fit_count(&p, fit, row, &lps);
                if (fit == inst->n)
                    break;
            } else if (brute_pattern_loss(value, &p, row) &&
                       (!have || mpq_cmp(value, best) < 0)) {
                mpq_set(best, value);
                have = 1;
            }
        } while (brute_next_tuple(p.sets, k, pos, subsets));
    }
    if (inst->loss == XT_LOSS_ZERO_ONE) {
        mpq_set_si(best, inst->n - fit, 1);
        have = 1;
    }
    XT_CHECK(have);
    mpq_clear(value);
    xt_rat_array_free(row, (size_t)p.ncols);
    return have;
}

/* ------------------------------------------------------- threshold */

/* Whether the points of mask can be told apart from the others by a
 * threshold unit: some (w, b) with w . x_i + b >= 1 on mask and <= 0
 * elsewhere (any strict separation scales to a margin of 1).  points are
 * count rows of dim values; with bias 0 the unit has no b. */
static int brute_separable(const mpq_t *points, long count, int dim,
                           unsigned long mask, int bias)
{
    int ncols = dim + (bias ? 1 : 0);
    mpq_t *row = xt_rat_array_new((size_t)ncols);
    mpq_t one, zero, value;
    mpq_inits(one, zero, value, NULL);
    mpq_set_ui(one, 1, 1);
    xt_lp_t lp;
    xt_lp_init(lp, ncols);
    for (long i = 0; i < count; i++) {
        int in = (mask >> i) & 1;
        for (int t = 0; t < dim; t++) {
            mpq_set(row[t], points[i * dim + t]);
            if (!in)
                mpq_neg(row[t], row[t]);
        }
        if (bias)
            mpq_set_si(row[dim], in ? 1 : -1, 1);
        xt_lp_add_row(lp, row, XT_ROW_GE, in ? one : zero);
    }
    int feasible = brute_lp(value, lp);
    xt_lp_clear(lp);
    mpq_clears(one, zero, value, NULL);
    xt_rat_array_free(row, (size_t)ncols);
    return feasible;
}

/* Boolean functions of k bits realizable as [a.h + c > 0] (bias) or
 * [a.h > 0]: table[bias][k][g] for g a bitmask over the 2^k codes. */
static unsigned char brute_threshold_functions[2][BRUTE_MAX_K + 1][256];
static int brute_threshold_functions_ready;

static void brute_prepare_threshold_functions(void)
{
    if (brute_threshold_functions_ready)
        return;
    for (int k = 1; k <= BRUTE_MAX_K; k++) {
        int codes = 1 << k;
        mpq_t *cube = xt_rat_array_new((size_t)(codes * k));
        for (int h = 0; h < codes; h++)
            for (int j = 0; j < k; j++)
                mpq_set_ui(cube[h * k + j], (h >> j) & 1, 1);
        for (int bias = 0; bias < 2; bias++)
            for (unsigned long g = 0; g < (1ul << codes); g++)
                brute_threshold_functions[bias][k][g] =
                    (unsigned char)brute_separable(cube, codes, k, g, bias);
        xt_rat_array_free(cube, (size_t)(codes * k));
    }
    brute_threshold_functions_ready = 1;
}

/* Rank of the rows x cols matrix a (destroyed), by exact elimination. */
static int brute_rank(mpq_t *a, int rows, int cols)
{
    int rank = 0;
    mpq_t f, t;
    mpq_inits(f, t, NULL);
    for (int c = 0; c < cols && rank < rows; c++) {
        int piv = -1;
        for (int r = rank; r < rows && piv < 0; r++)
            if (mpq_sgn(a[r * cols + c]))
                piv = r;
        if (piv < 0)
            continue;
        for (int q = 0; q < cols; q++)
            mpq_swap(a[piv * cols + q], a[rank * cols + q]);
        for (int r = 0; r < rows; r++) {
            if (r == rank || !mpq_sgn(a[r * cols + c]))
                continue;
            mpq_div(f, a[r * cols + c], a[rank * cols + c]);
            for (int q = 0; q < cols; q++) {
                mpq_mul(t, f, a[rank * cols + q]);
                mpq_sub(a[r * cols + q], a[r * cols + q], t);
            }
        }
        rank++;
    }
    mpq_clears(f, t, NULL);
    return rank;
}

/* Whether a + c (bias) or a alone, as a function of the chosen codes,
 * can take the chosen values: the linear system in (a, c) is consistent
 * when appending the values keeps the rank. */
static int brute_values_consistent(const int *codes, mpq_t *const *values,
                                   int count, int k, int bias)
{
    if (count == 0)
        return 1;
    int cols = k + (bias ? 1 : 0);
    mpq_t *plain = xt_rat_array_new((size_t)(count * cols));
    mpq_t *augmented = xt_rat_array_new((size_t)(count * (cols + 1)));
    for (int r = 0; r < count; r++) {
        for (int j = 0; j < k; j++) {
            mpq_set_ui(plain[r * cols + j], (codes[r] >> j) & 1, 1);
            mpq_set_ui(augmented[r * (cols + 1) + j], (codes[r] >> j) & 1,
                       1);
        }
        if (bias) {
            mpq_set_ui(plain[r * cols + k], 1, 1);
            mpq_set_ui(augmented[r * (cols + 1) + k], 1, 1);
        }
        mpq_set(augmented[r * (cols + 1) + cols], *values[r]);
    }
    int consistent = brute_rank(plain, count, cols) ==
                     brute_rank(augmented, count, cols + 1);
    xt_rat_array_free(plain, (size_t)(count * cols));
    xt_rat_array_free(augmented, (size_t)(count * (cols + 1)));
    return consistent;
}

/* Linear output: the most points with c + a.h_i = y_i, for the codes
 * code[i].  Every code takes one of its points' labels or none. */
static int brute_linear_output_fit(const xt_instance_t inst, const int *code,
                                   int k)
{
    int n = (int)inst->n, ncodes = 1 << k;
    /* For each code, the points that have it; choice[h] = -1 (no value)
     * or the index of the point whose label the code takes. */
    int choice[8], present[8], npresent = 0, best = 0;
    for (int h = 0; h < ncodes; h++) {
        int any = 0;
        for (int i = 0; i < n; i++)
            any |= code[i] == h;
        if (any)
            present[npresent++] = h;
    }
    for (int q = 0; q < npresent; q++)
        choice[q] = -1;
    for (;;) {
        int codes[8], count = 0, fit = 0;
        mpq_t *values[8];
        for (int q = 0; q < npresent; q++) {
            if (choice[q] < 0)
                continue;
            codes[count] = present[q];
            values[count++] = &inst->y[choice[q]];
            for (int i = 0; i < n; i++)
                fit += code[i] == present[q] &&
                       mpq_equal(inst->y[i], inst->y[choice[q]]);
        }
        if (fit > best &&
            brute_values_consistent(codes, values, count, k,
                                    inst->output_bias))
            best = fit;
        /* Next choice: each code's options are -1 and its points. */
        int q = 0;
        for (; q < npresent; q++) {
            int next = choice[q] + 1;
            while (next < n && code[next] != present[q])
                next++;
            if (next < n) {
                choice[q] = next;
                break;
            }
            choice[q] = -1;
        }
        if (q == npresent)
            break;
    }
    return best;
}

/* Threshold output: the fewest errors of a realizable Boolean function
 * of the codes. */
static int brute_threshold_output_errors(const xt_instance_t inst,
                                         const int *code, int k)
{
    int ncodes = 1 << k, best = (int)inst->n;
    for (unsigned long g = 0; g < (1ul << ncodes); g++) {
        if (!brute_threshold_functions[inst->output_bias][k][g])
            continue;
        int errors = 0;
        for (long i = 0; i < inst->n; i++) {
            int out = (g >> code[i]) & 1;
            errors += mpq_cmp_ui(inst->y[i], (unsigned long)out, 1) != 0;
        }
        if (errors < best)
            best = errors;
    }
    return best;
}

/* The best l1, l2 or linf loss of a linear output c + a.h on fixed codes:
 * an LP or QP in (a, c) and the loss variables. */
static void brute_codes_loss(mpq_t value, const xt_instance_t inst,
                             const int *code, int k)
{
    int nw = k + (inst->output_bias ? 1 : 0), ncols = nw;
    if (inst->loss == XT_LOSS_L1)
        ncols += (int)inst->n;
    else if (inst->loss == XT_LOSS_LINF)
        ncols += 1;
    mpq_t *row = xt_rat_array_new((size_t)ncols);
    mpq_t rhs;
    mpq_init(rhs);
    xt_lp_t lp;
    xt_lp_init(lp, ncols);
    for (long i = 0; i < inst->n; i++) {
        brute_zero_row(row, ncols);
        for (int j = 0; j < k; j++)
            mpq_set_ui(row[j], (unsigned long)((code[i] >> j) & 1), 1);
        if (inst->output_bias)
            mpq_set_ui(row[k], 1, 1);
        if (inst->loss == XT_LOSS_L2) {
            xt_lp_add_square(lp, row, inst->y[i]);
            continue;
        }
        int e = nw + (inst->loss == XT_LOSS_L1 ? (int)i : 0);
        mpq_set_si(row[e], 1, 1);
        for (int c = 0; c < nw; c++)
            mpq_neg(row[c], row[c]);
        mpq_neg(rhs, inst->y[i]);
        xt_lp_add_row(lp, row, XT_ROW_GE, rhs);
        for (int c = 0; c < nw; c++)
            mpq_neg(row[c], row[c]);
        xt_lp_add_row(lp, row, XT_ROW_GE, inst->y[i]);
    }
    for (int c = nw; c < ncols; c++)
        mpq_set_ui(lp->c[c], 1, 1);
    if (!brute_lp(value, lp))
        XT_FAIL("brute force: a linear output is always feasible");
    xt_lp_clear(lp);
    mpq_clear(rhs);
    xt_rat_array_free(row, (size_t)ncols);
}

/* Optimum of a threshold network with inst->hidden units and one output.
 * Zero-one loss: a threshold output when threshold_output, else a linear
 * one.  l1, l2 and linf: a linear output, solved exactly per tuple.
 * Returns 0 when more than budget tuples of subsets would be needed. */
static int brute_threshold(mpq_t best, const xt_instance_t inst,
                           int threshold_output, long budget)
{
    int k = inst->hidden, n = (int)inst->n;
    if (n > BRUTE_MAX_N || k > BRUTE_MAX_K || inst->m != 1)
        return 0;
    brute_prepare_threshold_functions();
    unsigned *realizable = malloc(sizeof(unsigned) << n);
    int count = 0;
    for (unsigned mask = 0; mask < (1u << n); mask++)
        if (brute_separable(inst->x, n, inst->d, mask, 1))
            realizable[count++] = mask;
    if (brute_multisets(count, k) > (double)budget) {
        free(realizable);
        return 0;
    }
    int zero_one = inst->loss == XT_LOSS_ZERO_ONE;
    unsigned idx[BRUTE_MAX_K] = {0};
    int fewest = n, have = 0;
    mpq_t value;
    mpq_init(value);
    do {
        int code[BRUTE_MAX_N];
        for (int i = 0; i < n; i++) {
            code[i] = 0;
            for (int j = 0; j < k; j++)
                code[i] |= (int)((realizable[idx[j]] >> i) & 1) << j;
        }
        if (!zero_one) {
            brute_codes_loss(value, inst, code, k);
            if (!have || mpq_cmp(value, best) < 0)
                mpq_set(best, value);
            have = 1;
            continue;
        }
        int errors = threshold_output
                         ? brute_threshold_output_errors(inst, code, k)
                         : n - brute_linear_output_fit(inst, code, k);
        if (errors < fewest)
            fewest = errors;
    } while ((!zero_one || fewest > 0) &&
             brute_next_tuple(idx, k, k, (unsigned)count));
    if (zero_one)
        mpq_set_si(best, fewest, 1);
    mpq_clear(value);
    free(realizable);
    return 1;
}

#endif
