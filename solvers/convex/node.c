/* The LP of one search node: find theta in the polyhedron
 *
 *     P = { theta : c + g_T(x_i) <= y_i for every point i and subset T },
 *     g_T(x) = sum_{j in T} (w_j . x + b_j),
 *
 * that also satisfies the node's equalities c + g_T(x_i) = y_i.  Because
 * sum_j max(0, l_j(x)) = max_T g_T(x), P is the set of convex networks
 * that stay on or below every label.  Three encodings of P are offered:
 * every subset row, the extended form with z_ij >= max(0, l_j(x_i)) and
 * c + sum_j z_ij <= y_i (same projection, O(nk) rows), and a lazy form
 * that adds the subset row of the active set of each point the current
 * LP point overshoots (a cutting-plane loop; the most violated subset row
 * of point i is the one of its active set).
 *
 * Farkas rays are returned in certificate row numbers: fit row (i, T) is
 * i * 2^k + T, the q-th equality is n * 2^k + q.  A ray of a lazy LP is a
 * ray of the full LP with zeros elsewhere; a ray of the extended form is
 * mapped to subset rows exactly (convert_extended_ray). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "convex_internal.h"
#include "xtrain/rat.h"

/* The LP being built, with the certificate row of each fit row. */
typedef struct {
    xt_lp_t lp;
    int ncols;
    long nfit;            /* fit rows before the equalities */
    long *row_key;        /* subset forms: certificate row of each fit row */
} node_lp;

static int grow_rays(xt_convex_search *s, long need)
{
    if (need <= s->ray_cap)
        return 0;
    long cap = s->ray_cap ? s->ray_cap : 64;
    while (cap < need)
        cap *= 2;
    long *rows = realloc(s->ray_row, (size_t)cap * sizeof *rows);
    if (!rows)
        return -1;
    s->ray_row = rows;
    mpq_t *vals = realloc(s->ray_val, (size_t)cap * sizeof *vals);
    if (!vals)
        return -1;
    for (long r = s->ray_cap; r < cap; r++)
        mpq_init(vals[r]);
    s->ray_val = vals;
    s->ray_cap = cap;
    return 0;
}

static int push_ray(xt_convex_search *s, long row, const mpq_t value)
{
    if (grow_rays(s, s->ray_len + 1))
        return -1;
    s->ray_row[s->ray_len] = row;
    mpq_set(s->ray_val[s->ray_len], value);
    s->ray_len++;
    return 0;
}

/* Sets coef (all zero on entry) to sign * the gradient of c + g_T(x_i). */
static void set_pair(xt_convex_search *s, mpq_t *coef, xt_convex_pair p,
                     int sign)
{
    int d = s->d;
    const mpq_t *x = s->inst->x + p.point * d;
    for (int j = 0; j < s->k; j++) {
        if (!((p.subset >> j) & 1u))
            continue;
        for (int t = 0; t < d; t++) {
            mpq_set(coef[j * (d + 1) + t], x[t]);
            if (sign < 0)
                mpq_neg(coef[j * (d + 1) + t], coef[j * (d + 1) + t]);
        }
        mpq_set_si(coef[j * (d + 1) + d], sign, 1);
    }
    if (s->bias_col >= 0)
        mpq_set_si(coef[s->bias_col], sign, 1);
}

/* Zeroes the entries set_pair wrote. */
static void reset_pair(xt_convex_search *s, mpq_t *coef, xt_convex_pair p)
{
    int d = s->d;
    for (int j = 0; j < s->k; j++)
        if ((p.subset >> j) & 1u)
            for (int t = 0; t <= d; t++)
                mpq_set_ui(coef[j * (d + 1) + t], 0, 1);
    if (s->bias_col >= 0)
        mpq_set_ui(coef[s->bias_col], 0, 1);
}

/* Appends the fit row -(c + g_T(x_i)) >= -y_i. */
static void add_fit_row(xt_convex_search *s, node_lp *L, xt_convex_pair p)
{
    set_pair(s, s->coef, p, -1);
    mpq_neg(s->tmp, s->inst->y[p.point]);
    xt_lp_add_row(L->lp, s->coef, XT_ROW_GE, s->tmp);
    reset_pair(s, s->coef, p);
}

/* Appends the node's equalities c + g_T(x_i) = y_i. */
static void add_equalities(xt_convex_search *s, node_lp *L)
{
    for (int q = 0; q < s->neq; q++) {
        set_pair(s, s->coef, s->eq[q], 1);
        xt_lp_add_row(L->lp, s->coef, XT_ROW_EQ, s->inst->y[s->eq[q].point]);
        reset_pair(s, s->coef, s->eq[q]);
    }
}

/* Objective: minimize -sum_i (c + g_{obj[i]}(x_i)). */
static void set_objective(xt_convex_search *s, node_lp *L,
                          const unsigned *obj)
{
    if (!obj)
        return;
    for (long i = 0; i < s->n; i++) {
        xt_convex_pair p = {i, obj[i]};
        set_pair(s, s->coef, p, -1);
        for (int col = 0; col < s->dim; col++)
            mpq_add(L->lp->c[col], L->lp->c[col], s->coef[col]);
        reset_pair(s, s->coef, p);
    }
}

static int cmp_long(const void *a, const void *b)
{
    long u = *(const long *)a, v = *(const long *)b;
    return (u > v) - (u < v);
}

/* Lazy form: the stacked rows plus the objective's rows (which keep the
 * LP bounded), without repeats. */
static int build_lazy(xt_convex_search *s, node_lp *L, const unsigned *obj)
{
    long count = s->nrows + (obj ? s->n : 0);
    L->row_key = malloc((size_t)(count ? count : 1) * sizeof(long));
    if (!L->row_key)
        return -1;
    long used = 0;
    for (long r = 0; r < s->nrows; r++)
        L->row_key[used++] = s->rows[r].point * (long)s->full +
                             (long)s->rows[r].subset;
    for (long i = 0; obj && i < s->n; i++)
        if (obj[i] || s->bias_col >= 0)
            L->row_key[used++] = i * (long)s->full + (long)obj[i];
    qsort(L->row_key, (size_t)used, sizeof(long), cmp_long);
    long unique = 0;
    for (long r = 0; r < used; r++)
        if (!unique || L->row_key[unique - 1] != L->row_key[r])
            L->row_key[unique++] = L->row_key[r];
    for (long r = 0; r < unique; r++) {
        xt_convex_pair p = {L->row_key[r] / (long)s->full,
                            (unsigned)(L->row_key[r] % (long)s->full)};
        add_fit_row(s, L, p);
    }
    L->nfit = unique;
    return 0;
}

/* Subset form: every row (i, T); T = {} only with an output bias (without
 * one it reads 0 <= y_i, checked once before the search). */
static int build_subsets(xt_convex_search *s, node_lp *L)
{
    unsigned first = s->bias_col >= 0 ? 0 : 1;
    long count = s->n * (long)(s->full - first);
    L->row_key = malloc((size_t)(count ? count : 1) * sizeof(long));
    if (!L->row_key)
        return -1;
    long used = 0;
    for (long i = 0; i < s->n; i++)
        for (unsigned t = first; t < s->full; t++) {
            xt_convex_pair p = {i, t};
            add_fit_row(s, L, p);
            L->row_key[used++] = i * (long)s->full + (long)t;
        }
    L->nfit = used;
    return 0;
}

/* Extended form, per point i: z_ij >= 0 (j = 0..k-1), then
 * z_ij - l_j(x_i) >= 0 (j = 0..k-1), then -c - sum_j z_ij >= -y_i. */
static void build_extended(xt_convex_search *s, node_lp *L)
{
    int k = s->k;
    for (long i = 0; i < s->n; i++) {
        mpq_t *coef = s->coef;
        int zcol = s->dim + (int)(i * k);
        for (int j = 0; j < k; j++) {
            mpq_set_ui(coef[zcol + j], 1, 1);
            mpq_set_ui(s->tmp, 0, 1);
            xt_lp_add_row(L->lp, coef, XT_ROW_GE, s->tmp);
            mpq_set_ui(coef[zcol + j], 0, 1);
        }
        for (int j = 0; j < k; j++) {
            xt_convex_pair p = {i, 1u << j};
            set_pair(s, coef, p, -1);
            if (s->bias_col >= 0)
                mpq_set_ui(coef[s->bias_col], 0, 1);
            mpq_set_ui(coef[zcol + j], 1, 1);
            mpq_set_ui(s->tmp, 0, 1);
            xt_lp_add_row(L->lp, coef, XT_ROW_GE, s->tmp);
            reset_pair(s, coef, p);
            mpq_set_ui(coef[zcol + j], 0, 1);
        }
        for (int j = 0; j < k; j++)
            mpq_set_si(coef[zcol + j], -1, 1);
        if (s->bias_col >= 0)
            mpq_set_si(coef[s->bias_col], -1, 1);
        mpq_neg(s->tmp, s->inst->y[i]);
        xt_lp_add_row(L->lp, coef, XT_ROW_GE, s->tmp);
        for (int j = 0; j < k; j++)
            mpq_set_ui(coef[zcol + j], 0, 1);
        if (s->bias_col >= 0)
            mpq_set_ui(coef[s->bias_col], 0, 1);
    }
    L->nfit = s->n * (2L * k + 1);
}

static int build_node_lp(xt_convex_search *s, node_lp *L,
                         const unsigned *obj)
{
    int extended = s->copt.form == XT_CONVEX_FORM_EXTENDED;
    L->ncols = s->dim + (extended ? (int)(s->n * s->k) : 0);
    L->row_key = NULL;
    xt_lp_init(L->lp, L->ncols);
    int rc = 0;
    if (extended)
        build_extended(s, L);
    else if (s->copt.form == XT_CONVEX_FORM_SUBSETS)
        rc = build_subsets(s, L);
    else
        rc = build_lazy(s, L, obj);
    add_equalities(s, L);
    set_objective(s, L, obj);
    return rc;
}

static void free_node_lp(node_lp *L)
{
    xt_lp_clear(L->lp);
    free(L->row_key);
}

/* Index order of the neurons by decreasing beta (insertion sort). */
static void sort_by_beta(int *order, const mpq_t *beta, int k)
{
    for (int j = 0; j < k; j++) {
        int q = j;
        while (q > 0 && mpq_cmp(beta[order[q - 1]], beta[j]) < 0) {
            order[q] = order[q - 1];
            q--;
        }
        order[q] = j;
    }
}

/* Maps a Farkas ray of the extended form to subset rows.  On the z
 * columns A^T y = 0 says alpha_ij + beta_ij = gamma_i, where alpha, beta
 * and gamma are the multipliers of z_ij >= 0, z_ij >= l_j(x_i) and of the
 * sum row of point i.  So 0 <= beta_ij <= gamma_i, and the vector beta_i
 * is the staircase combination of the nested sets T_m = (the m largest
 * beta_ij): mu(T_m) = beta_(m) - beta_(m+1), mu({}) = gamma_i - beta_(1).
 * Then sum_T mu(T) = gamma_i and sum_{T contains j} mu(T) = beta_ij, so
 * the subset rows weighted by mu combine to the same inequality. */
static int convert_extended_ray(xt_convex_search *s, const mpq_t *y)
{
    int k = s->k;
    int order[XT_CONVEX_MAX_HIDDEN];
    mpq_t mu;
    mpq_init(mu);
    int rc = 0;
    for (long i = 0; i < s->n && rc == 0; i++) {
        const mpq_t *block = y + i * (2L * k + 1);
        const mpq_t *beta = block + k;
        if (!mpq_sgn(block[2 * k]))
            continue;
        sort_by_beta(order, beta, k);
        unsigned subset = 0;
        for (int m = 0; m < k && rc == 0; m++) {
            subset |= 1u << order[m];
            if (m + 1 < k)
                mpq_sub(mu, beta[order[m]], beta[order[m + 1]]);
            else
                mpq_set(mu, beta[order[m]]);
            if (mpq_sgn(mu))
                rc = push_ray(s, i * (long)s->full + (long)subset, mu);
        }
        mpq_sub(mu, block[2 * k], beta[order[0]]);
        if (rc == 0 && mpq_sgn(mu))
            rc = push_ray(s, i * (long)s->full, mu);
    }
    mpq_clear(mu);
    return rc;
}

/* Stores the LP's Farkas ray in certificate rows. */
static int store_ray(xt_convex_search *s, const node_lp *L,
                     const xt_lp_result_t lpres)
{
    s->ray_len = 0;
    long eq_base = s->n * (long)s->full;
    if (s->copt.form == XT_CONVEX_FORM_EXTENDED) {
        if (convert_extended_ray(s, lpres->y))
            return -1;
    } else {
        for (long r = 0; r < L->nfit; r++)
            if (mpq_sgn(lpres->y[r]) && push_ray(s, L->row_key[r],
                                                 lpres->y[r]))
                return -1;
    }
    for (int q = 0; q < s->neq; q++)
        if (mpq_sgn(lpres->y[L->nfit + q]) &&
            push_ray(s, eq_base + q, lpres->y[L->nfit + q]))
            return -1;
    return 0;
}

void xt_convex_evaluate(xt_convex_search *s)
{
    int d = s->d, k = s->k;
    for (long i = 0; i < s->n; i++) {
        const mpq_t *x = s->inst->x + i * d;
        mpq_t *slack = &s->slack[i];
        unsigned active = 0;
        if (s->bias_col >= 0)
            mpq_sub(*slack, s->inst->y[i], s->theta[s->bias_col]);
        else
            mpq_set(*slack, s->inst->y[i]);
        for (int j = 0; j < k; j++) {
            mpq_t *l = &s->act[i * k + j];
            mpq_set(*l, s->theta[j * (d + 1) + d]);
            for (int t = 0; t < d; t++) {
                mpq_mul(s->tmp, s->theta[j * (d + 1) + t], x[t]);
                mpq_add(*l, *l, s->tmp);
            }
            if (mpq_sgn(*l) > 0) {
                active |= 1u << j;
                mpq_sub(*slack, *slack, *l);
            }
        }
        s->active[i] = active;
    }
}

/* Lazy form: pushes the active-set row of every point theta overshoots.
 * Returns the number of rows added, or -1 when out of memory. */
static long add_cuts(xt_convex_search *s)
{
    long added = 0;
    for (long i = 0; i < s->n; i++) {
        if (mpq_sgn(s->slack[i]) >= 0)
            continue;
        if (s->nrows == s->rows_cap) {
            long cap = s->rows_cap ? 2 * s->rows_cap : 256;
            xt_convex_pair *rows = realloc(s->rows,
                                           (size_t)cap * sizeof *rows);
            if (!rows)
                return -1;
            s->rows = rows;
            s->rows_cap = cap;
        }
        s->rows[s->nrows].point = i;
        s->rows[s->nrows].subset = s->active[i];
        s->nrows++;
        added++;
    }
    return added;
}

/* Self-check: theta lies in P and meets every equality exactly. */
static int check_theta(xt_convex_search *s, xt_error_t *err)
{
    for (long i = 0; i < s->n; i++)
        if (mpq_sgn(s->slack[i]) < 0) {
            xt_error_set(err, "self-check failed: an LP point lies above "
                         "label %ld", i + 1);
            return XT_ERR_INTERNAL;
        }
    for (int q = 0; q < s->neq; q++) {
        long i = s->eq[q].point;
        if (s->bias_col >= 0)
            mpq_set(s->tmp, s->theta[s->bias_col]);
        else
            mpq_set_ui(s->tmp, 0, 1);
        for (int j = 0; j < s->k; j++)
            if ((s->eq[q].subset >> j) & 1u)
                mpq_add(s->tmp, s->tmp, s->act[i * s->k + j]);
        if (!mpq_equal(s->tmp, s->inst->y[i])) {
            xt_error_set(err, "self-check failed: an LP point misses the "
                         "equality at point %ld", i + 1);
            return XT_ERR_INTERNAL;
        }
    }
    return XT_OK;
}

/* One LP, repeated with cuts in the lazy form until theta is in P. */
static int solve_in_p(xt_convex_search *s, const unsigned *obj,
                      int *feasible, xt_error_t *err)
{
    for (;;) {
        node_lp L;
        int rc = XT_OK;
        if (build_node_lp(s, &L, obj)) {
            free_node_lp(&L);
            xt_error_set(err, "out of memory");
            return XT_ERR_NOMEM;
        }
        rc = xt_lp_solve(s->lpres, L.lp, err);
        s->res->subproblems++;
        s->res->exact_fallbacks += s->lpres->used_exact_fallback;
        if (rc == XT_OK && s->lpres->status == XT_LP_UNBOUNDED) {
            xt_error_set(err, "self-check failed: a node LP was reported "
                         "unbounded");
            rc = XT_ERR_INTERNAL;
        }
        if (rc == XT_OK && s->lpres->status == XT_LP_INFEASIBLE) {
            s->res->infeasible++;
            *feasible = 0;
            if (store_ray(s, &L, s->lpres)) {
                xt_error_set(err, "out of memory");
                rc = XT_ERR_NOMEM;
            }
            free_node_lp(&L);
            return rc;
        }
        free_node_lp(&L);
        if (rc != XT_OK)
            return rc;

        for (int col = 0; col < s->dim; col++)
            mpq_set(s->theta[col], s->lpres->x[col]);
        xt_convex_evaluate(s);
        if (s->copt.form == XT_CONVEX_FORM_LAZY) {
            long added = add_cuts(s);
            if (added < 0) {
                xt_error_set(err, "out of memory");
                return XT_ERR_NOMEM;
            }
            if (added > 0)
                continue;
        }
        *feasible = 1;
        return check_theta(s, err);
    }
}

int xt_convex_node_feasible(xt_convex_search *s, int *feasible,
                            xt_error_t *err)
{
    return solve_in_p(s, NULL, feasible, err);
}

/* Sum of the slacks, and whether every point is tight. */
static int total_slack(xt_convex_search *s, mpq_t total)
{
    int tight = 1;
    mpq_set_ui(total, 0, 1);
    for (long i = 0; i < s->n; i++) {
        mpq_add(total, total, s->slack[i]);
        if (mpq_sgn(s->slack[i]))
            tight = 0;
    }
    return tight;
}

int xt_convex_node_solve(xt_convex_search *s, unsigned *obj, int *feasible,
                         xt_error_t *err)
{
    int rounds = s->copt.rounds;
    mpq_t best, total;
    mpq_inits(best, total, NULL);
    int rc = XT_OK;
    for (int round = 0;; round++) {
        rc = solve_in_p(s, rounds > 0 ? obj : NULL, feasible, err);
        if (rc != XT_OK || !*feasible)
            break;
        if (total_slack(s, total))
            break;
        /* Each step maximizes a lower bound of sum_i f(x_i) that is
         * exact at the previous theta, so the total slack never grows;
         * stop when it no longer shrinks. */
        if (round > 0 && mpq_cmp(total, best) >= 0)
            break;
        mpq_set(best, total);
        if (round + 1 >= rounds)
            break;
        memcpy(obj, s->active, (size_t)s->n * sizeof *obj);
    }
    mpq_clears(best, total, NULL);
    return rc;
}
