/* Phase 1: a feasible point or a Farkas ray.
 *
 * The phase-1 LP of P has one extra variable t:
 *
 *     minimize t   s.t.   a_i x + t >= b_i            (GE row i)
 *                         a_i x + t >= b_i,
 *                        -a_i x + t >= -b_i           (EQ row i)
 *                         t >= 0                      (last row)
 *
 * It is feasible at x = 0 and bounded below by 0.  Its optimal value t* is
 * 0 exactly when P is feasible.  When t* > 0 its optimal multipliers lam
 * satisfy sum lam_r (a_r, 1) + lam_t (0, 1) = (0, 1), lam >= 0 and
 * sum lam_r b_r = t*, so y_i = lam_i on GE rows and y_i = lam_i+ - lam_i-
 * on EQ rows is a Farkas ray of P: A^T y = 0 and b . y = t* > 0. */
#include <stdlib.h>
#include "lp_internal.h"

int xt_lp_phase1_build(xt_lp_prob *Q, const xt_lp_prob *P)
{
    int n = P->n, n1 = n + 1, mq = P->m + 1, r = 0, rc;

    for (int i = 0; i < P->m; i++)
        mq += P->eq[i];
    rc = xt_lp_prob_alloc(Q, n1, mq, 0);
    if (rc != XT_OK)
        return rc;

    for (int i = 0; i < P->m; i++) {
        for (int sign = 1; sign >= -1; sign -= 2) {
            if (sign < 0 && !P->eq[i])
                break;
            for (int j = 0; j < n; j++) {
                mpz_t *q = &Q->a[(size_t)r * n1 + j];
                mpz_set(*q, P->a[(size_t)i * n + j]);
                if (sign < 0)
                    mpz_neg(*q, *q);
            }
            mpz_set_ui(Q->a[(size_t)r * n1 + n], 1);
            mpz_set(Q->b[r], P->b[i]);
            if (sign < 0)
                mpz_neg(Q->b[r], Q->b[r]);
            r++;
        }
    }
    mpz_set_ui(Q->a[(size_t)r * n1 + n], 1);
    mpq_set_ui(Q->lin[n], 1, 1);
    return XT_OK;
}

void xt_lp_phase1_ray(mpq_t *y, const mpq_t *lam, const xt_lp_prob *P)
{
    int r = 0;
    for (int i = 0; i < P->m; i++) {
        mpq_set(y[i], lam[r++]);
        if (P->eq[i])
            mpq_sub(y[i], y[i], lam[r++]);
    }
}

int xt_lp_zero_feasible(const xt_lp_prob *P)
{
    for (int i = 0; i < P->m; i++) {
        int s = mpz_sgn(P->b[i]);
        if (s > 0 || (P->eq[i] && s != 0))
            return 0;
    }
    return 1;
}

/* Sets x0 = (0, t0) with t0 = max(0, b_i on GE rows, |b_i| on EQ rows). */
static void phase1_start(mpq_t *x0, const xt_lp_prob *P)
{
    mpz_t t0;
    mpz_init(t0);
    for (int i = 0; i < P->m; i++) {
        if (mpz_cmp(P->b[i], t0) > 0)
            mpz_set(t0, P->b[i]);
        if (P->eq[i] && mpz_cmpabs(P->b[i], t0) > 0)
            mpz_abs(t0, P->b[i]);
    }
    mpq_set_z(x0[P->n], t0);
    mpz_clear(t0);
}

int xt_lp_exact_feasible(xt_lp_cert *C, const xt_lp_prob *P,
                         xt_lp_stats *st)
{
    xt_lp_prob Q;
    xt_lp_cert CQ;
    mpq_t *x0;
    int n = P->n, rc;

    xt_lp_cert_reset(C);
    if (xt_lp_zero_feasible(P)) {
        C->status = XT_LP_OPTIMAL;
        return XT_OK;
    }
    rc = xt_lp_phase1_build(&Q, P);
    if (rc != XT_OK)
        return rc;
    x0 = xt_lp_qvec_new(n + 1);
    rc = xt_lp_cert_alloc(&CQ, n + 1, Q.m);
    if (rc != XT_OK || !x0) {
        xt_lp_prob_free(&Q);
        xt_lp_qvec_free(x0, n + 1);
        return XT_ERR_NOMEM;
    }

    phase1_start(x0, P);
    rc = xt_lp_active_solve(&CQ, &Q, x0, NULL, 0, st);
    if (rc == XT_OK && CQ.status != XT_LP_OPTIMAL)
        rc = XT_ERR_INTERNAL;   /* the phase-1 LP is bounded */
    if (rc == XT_OK && mpq_sgn(CQ.x[n]) > 0) {
        C->status = XT_LP_INFEASIBLE;
        xt_lp_phase1_ray(C->y, CQ.y, P);
    } else if (rc == XT_OK) {
        C->status = XT_LP_OPTIMAL;
        for (int j = 0; j < n; j++)
            mpq_set(C->x[j], CQ.x[j]);
    }
    xt_lp_cert_free(&CQ);
    xt_lp_prob_free(&Q);
    xt_lp_qvec_free(x0, n + 1);
    return rc;
}
