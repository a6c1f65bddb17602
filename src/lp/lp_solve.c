/* The LP and QP dispatcher (see xtrain/lp.h).
 *
 * LP: GLPK's simplex runs on the integer rows, and its final basis is
 * re-solved and verified exactly.  On an infeasible LP the phase-1 LP goes
 * the same way and yields the Farkas ray.  When GLPK is skipped (a value
 * does not fit a double), fails, or its basis fails the check, the exact
 * mpq simplex takes over, warm-started from GLPK's vertex when that vertex
 * is feasible.
 *
 * QP: a feasible point from the LP path (objective 0), then the exact
 * active-set method.  Every certificate is verified before it is
 * returned. */
#include <stdlib.h>
#include "lp_form.h"

/* Proves P infeasible with GLPK on the phase-1 LP.  Returns 1 when C then
 * contains a verified Farkas ray. */
static int glpk_farkas(xt_lp_cert *C, const xt_lp_prob *P, xt_lp_stats *st)
{
    xt_lp_prob Q;
    xt_lp_cert CQ;
    int *tight, verdict, warm, nt, proved = 0;

    if (xt_lp_phase1_build(&Q, P) != XT_OK)
        return 0;
    tight = malloc(((size_t)Q.m + 1) * sizeof *tight);
    if (tight && xt_lp_cert_alloc(&CQ, Q.n, Q.m) == XT_OK) {
        if (xt_lp_glpk_solve(&CQ, &verdict, &warm, tight, &nt, &Q, st) ==
                XT_OK &&
            verdict == XT_LP_OPTIMAL && mpq_sgn(CQ.x[P->n]) > 0) {
            xt_lp_cert_reset(C);
            C->status = XT_LP_INFEASIBLE;
            xt_lp_phase1_ray(C->y, CQ.y, P);
            proved = xt_lp_verify_farkas(P, C->y);
        }
        xt_lp_cert_free(&CQ);
    }
    free(tight);
    xt_lp_prob_free(&Q);
    return proved;
}

/* Tries GLPK, then the exact simplex warm-started from GLPK's vertex.  Sets
 * *done when C contains a verified certificate. */
static int lp_glpk_path(xt_lp_cert *C, const xt_lp_prob *P, xt_lp_stats *st,
                        int *done)
{
    int verdict, warm, nt, rc;
    int *tight = malloc(((size_t)P->m + 1) * sizeof *tight);

    *done = 0;
    if (!tight)
        return XT_ERR_NOMEM;
    rc = xt_lp_glpk_solve(C, &verdict, &warm, tight, &nt, P, st);
    if (rc == XT_OK && verdict == XT_LP_OPTIMAL) {
        *done = 1;
    } else if (rc == XT_OK && verdict == XT_LP_INFEASIBLE) {
        *done = glpk_farkas(C, P, st);
    } else if (rc == XT_OK && warm) {
        /* GLPK's vertex is feasible but not proved optimal.
         * NOTE: no test reaches this branch; in every test so far a
         * feasible GLPK vertex also passed the optimality check. */
        st->fallback = 1;
        rc = xt_lp_active_solve(C, P, C->x, tight, nt, st);
        if (rc == XT_OK && !xt_lp_verify_cert(P, C))
            rc = XT_ERR_INTERNAL;
        *done = rc == XT_OK;
    }
    free(tight);
    return rc;
}

/* The exact mpq path: phase 1, then the simplex in active-set form. */
static int lp_exact_path(xt_lp_cert *C, const xt_lp_prob *P,
                         xt_lp_stats *st)
{
    int rc = xt_lp_exact_feasible(C, P, st);
    if (rc != XT_OK || C->status != XT_LP_OPTIMAL)
        return rc;
    return xt_lp_active_solve(C, P, C->x, NULL, 0, st);
}

/* Solves the LP P (no Hessian) and verifies the certificate. */
static int solve_lp_form(xt_lp_cert *C, const xt_lp_prob *P,
                         xt_lp_method method, xt_lp_stats *st)
{
    int rc, done = 0;

    if (method == XT_LP_METHOD_AUTO && P->m > 0 && P->n > 0 &&
        xt_lp_prob_fits_double(P)) {
        rc = lp_glpk_path(C, P, st, &done);
        if (rc == XT_ERR_NOMEM)
            return rc;
    }
    if (done)
        return XT_OK;     /* verified on the GLPK path */
    if (method == XT_LP_METHOD_AUTO)
        st->fallback = 1;
    rc = lp_exact_path(C, P, st);
    if (rc != XT_OK)
        return rc;
    return xt_lp_verify_cert(P, C) ? XT_OK : XT_ERR_INTERNAL;
}

/* Runs the exact method from the subspace minimizer of a working set
 * guessed in double precision (AUTO only).  Sets *done when C contains a
 * verified certificate. */
static int qp_warm_path(xt_lp_cert *C, const xt_lp_prob *P,
                        xt_lp_stats *st, int *done)
{
    int n = P->n, k, started = 0, rc = XT_OK;
    mpq_t *x = xt_lp_qvec_new(n);
    int *w = malloc(((size_t)n + 1) * sizeof *w);

    *done = 0;
    if (x && w && xt_lp_numeric_guess(P, x, w, &k))
        rc = xt_lp_active_crossover(C, &started, P, x, w, k, st);
    if (rc == XT_OK && started)
        *done = xt_lp_verify_cert(P, C);
    xt_lp_qvec_free(x, n);
    free(w);
    return rc == XT_ERR_NOMEM ? rc : XT_OK;
}

/* Solves the QP P and verifies the certificate.  AUTO tries the warm
 * start first.  Otherwise a feasible point (or a Farkas ray) comes from
 * the LP path, and the exact active-set method starts there. */
static int solve_qp_form(xt_lp_cert *C, const xt_lp_prob *P,
                         xt_lp_method method, xt_lp_stats *st)
{
    xt_lp_prob F = *P;
    int rc, done = 0;

    if (method == XT_LP_METHOD_AUTO) {
        rc = qp_warm_path(C, P, st, &done);
        if (rc != XT_OK || done)
            return rc;
    }
    xt_lp_cert_reset(C);
    if (!xt_lp_zero_feasible(P)) {
        F.hess = NULL;
        F.lin = xt_lp_qvec_new(P->n);
        if (P->n > 0 && !F.lin)
            return XT_ERR_NOMEM;
        rc = solve_lp_form(C, &F, method, st);
        xt_lp_qvec_free(F.lin, P->n);
        if (rc != XT_OK || C->status == XT_LP_INFEASIBLE)
            return rc;
    }
    rc = xt_lp_active_solve(C, P, C->x, NULL, 0, st);
    if (rc != XT_OK)
        return rc;
    return xt_lp_verify_cert(P, C) ? XT_OK : XT_ERR_INTERNAL;
}

static int check_input(const xt_lp_t lp, xt_lp_method method,
                       xt_error_t *err)
{
    if (lp->ncols < 0 || lp->nrows < 0 || lp->nsq < 0) {
        xt_error_set(err, "%s: negative problem size", __func__);
        return XT_ERR_INPUT;
    }
    if (lp->ncols > 0 && !lp->c) {
        xt_error_set(err, "%s: objective c is missing (out of memory "
                     "in xt_lp_init?)", __func__);
        return XT_ERR_INPUT;
    }
    for (int i = 0; i < lp->nrows; i++) {
        if (lp->type[i] != XT_ROW_GE && lp->type[i] != XT_ROW_EQ) {
            xt_error_set(err, "%s: row %d has invalid type %d", __func__,
                         i, (int)lp->type[i]);
            return XT_ERR_INPUT;
        }
    }
    if (method != XT_LP_METHOD_AUTO && method != XT_LP_METHOD_EXACT) {
        xt_error_set(err, "%s: invalid method %d", __func__, (int)method);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Sizes res for n columns and m rows, keeping its arrays when they
 * already fit, and sets every value to 0. */
static int result_size(xt_lp_result_t res, int n, int m)
{
    if (res->ncols != n) {
        xt_lp_qvec_free(res->x, res->ncols);
        res->x = xt_lp_qvec_new(n);
        res->ncols = res->x ? n : 0;
    }
    if (res->nrows != m) {
        xt_lp_qvec_free(res->y, res->nrows);
        res->y = xt_lp_qvec_new(m);
        res->nrows = res->y ? m : 0;
    }
    res->status = XT_LP_ERROR;
    res->used_exact_fallback = 0;
    res->pivots = 0;
    mpq_set_ui(res->value, 0, 1);
    for (int j = 0; j < res->ncols; j++)
        mpq_set_ui(res->x[j], 0, 1);
    for (int i = 0; i < res->nrows; i++)
        mpq_set_ui(res->y[i], 0, 1);
    return res->ncols == n && res->nrows == m ? XT_OK : XT_ERR_NOMEM;
}

/* The certificate of an all-zero row that no x satisfies: y = +-e_i. */
static void zero_row_ray(xt_lp_result_t res, const xt_lp_t lp, int i)
{
    res->status = XT_LP_INFEASIBLE;
    mpq_set_si(res->y[i], mpq_sgn(lp->b[i]), 1);
}

static int solve_form(xt_lp_result_t res, const xt_lp_t lp,
                      xt_lp_method method, xt_error_t *err)
{
    xt_lp_form F;
    xt_lp_cert C;
    xt_lp_stats st = {0, 0};
    int rc = xt_lp_form_build(&F, lp);

    if (rc == XT_OK)
        rc = xt_lp_cert_alloc(&C, F.P.n, F.P.m);
    if (rc != XT_OK) {
        xt_lp_form_free(&F);
        xt_error_set(err, "%s: out of memory", __func__);
        return rc;
    }
    if (F.P.hess)
        rc = solve_qp_form(&C, &F.P, method, &st);
    else
        rc = solve_lp_form(&C, &F.P, method, &st);
    res->pivots = st.pivots;
    res->used_exact_fallback = st.fallback;

    if (rc == XT_OK)
        xt_lp_form_map_back(res, &F, &C, lp);
    else if (rc == XT_ERR_LIMIT)
        xt_error_set(err, "%s: iteration limit reached", __func__);
    else if (rc == XT_ERR_NOMEM)
        xt_error_set(err, "%s: out of memory", __func__);
    else
        xt_error_set(err, "%s: the exact certificate failed verification "
                     "(a bug in src/lp)", __func__);
    xt_lp_cert_free(&C);
    xt_lp_form_free(&F);
    return rc;
}

int xt_lp_solve_method(xt_lp_result_t res, const xt_lp_t lp,
                       xt_lp_method method, xt_error_t *err)
{
    int rc = check_input(lp, method, err), bad;

    if (rc == XT_OK && result_size(res, lp->ncols, lp->nrows) != XT_OK) {
        xt_error_set(err, "%s: out of memory", __func__);
        rc = XT_ERR_NOMEM;
    }
    if (rc != XT_OK) {
        res->status = XT_LP_ERROR;
        return rc;
    }
    bad = xt_lp_form_bad_zero_row(lp);
    if (bad >= 0) {
        zero_row_ray(res, lp, bad);
        return XT_OK;
    }
    return solve_form(res, lp, method, err);
}

int xt_lp_solve(xt_lp_result_t res, const xt_lp_t lp, xt_error_t *err)
{
    return xt_lp_solve_method(res, lp, XT_LP_METHOD_AUTO, err);
}
