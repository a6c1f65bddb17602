/* Exact verification of LP and QP certificates in internal form.  Every
 * solver path ends here: a certificate is returned only after its
 * conditions (listed in lp.h) have been checked in integer arithmetic. */
#include <stdlib.h>
#include "lp_internal.h"

/* Computes slack[i] = (a_i . x - b_i) * den with den > 0.  Returns 0 when
 * out of memory. */
static int point_slacks(mpz_t *slack, const xt_lp_prob *P, const mpq_t *x)
{
    mpz_t den;
    mpz_t *num = xt_lp_zvec_new(P->n);

    if (P->n > 0 && !num)
        return 0;
    mpz_init(den);
    xt_lp_common_den(num, den, x, P->n);
    xt_lp_row_slacks(slack, P, num, den);
    mpz_clear(den);
    xt_lp_zvec_free(num, P->n);
    return 1;
}

static int slacks_feasible(const xt_lp_prob *P, mpz_t *slack)
{
    for (int i = 0; i < P->m; i++) {
        int s = mpz_sgn(slack[i]);
        if (s < 0 || (P->eq[i] && s != 0))
            return 0;
    }
    return 1;
}

int xt_lp_verify_feasible(const xt_lp_prob *P, const mpq_t *x)
{
    mpz_t *slack = xt_lp_zvec_new(P->m);
    int ok;

    if (P->m == 0)
        return 1;
    if (!slack)
        return 0;
    ok = point_slacks(slack, P, x) && slacks_feasible(P, slack);
    xt_lp_zvec_free(slack, P->m);
    return ok;
}

/* Checks y_i >= 0 on GE rows and A^T y = target (target NULL means 0). */
static int dual_ok(const xt_lp_prob *P, const mpq_t *y, const mpq_t *target)
{
    int n = P->n, m = P->m, ok = 1;
    mpz_t e, s, t;
    mpz_t *num = xt_lp_zvec_new(m);

    if (m > 0 && !num)
        return 0;
    mpz_inits(e, s, t, NULL);
    xt_lp_common_den(num, e, y, m);
    for (int i = 0; i < m && ok; i++)
        if (!P->eq[i] && mpz_sgn(num[i]) < 0)
            ok = 0;

    for (int j = 0; j < n && ok; j++) {
        mpz_set_ui(s, 0);
        for (int i = 0; i < m; i++)
            if (mpz_sgn(num[i]) != 0)
                mpz_addmul(s, P->a[(size_t)i * n + j], num[i]);
        if (!target) {
            ok = mpz_sgn(s) == 0;
            continue;
        }
        /* s / e == target_j, cross-multiplied. */
        mpz_mul(s, s, mpq_denref(target[j]));
        mpz_mul(t, mpq_numref(target[j]), e);
        ok = mpz_cmp(s, t) == 0;
    }
    mpz_clears(e, s, t, NULL);
    xt_lp_zvec_free(num, m);
    return ok;
}

static void dot_q(mpq_t out, const mpq_t *u, const mpq_t *v, int len)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(out, 0, 1);
    for (int j = 0; j < len; j++) {
        mpq_mul(t, u[j], v[j]);
        mpq_add(out, out, t);
    }
    mpq_clear(t);
}

static void dot_bq(mpq_t out, const xt_lp_prob *P, const mpq_t *y)
{
    mpq_t t;
    mpq_init(t);
    mpq_set_ui(out, 0, 1);
    for (int i = 0; i < P->m; i++) {
        if (mpq_sgn(y[i]) == 0)
            continue;
        mpq_set_z(t, P->b[i]);
        mpq_mul(t, t, y[i]);
        mpq_add(out, out, t);
    }
    mpq_clear(t);
}

int xt_lp_verify_lp_optimal(const xt_lp_prob *P, const mpq_t *x,
                            const mpq_t *y)
{
    mpq_t cx, by;
    int ok;

    if (!xt_lp_verify_feasible(P, x) || !dual_ok(P, y, P->lin))
        return 0;
    mpq_inits(cx, by, NULL);
    dot_q(cx, P->lin, x, P->n);
    dot_bq(by, P, y);
    ok = mpq_equal(cx, by);
    mpq_clears(cx, by, NULL);
    return ok;
}

/* Sets g = H x + lin. */
static void gradient(mpq_t *g, const xt_lp_prob *P, const mpq_t *x)
{
    int n = P->n;
    mpq_t t;
    mpq_init(t);
    for (int i = 0; i < n; i++) {
        mpq_set(g[i], P->lin[i]);
        if (!P->hess)
            continue;
        for (int j = 0; j < n; j++) {
            if (mpq_sgn(P->hess[i * n + j]) == 0 || mpq_sgn(x[j]) == 0)
                continue;
            mpq_mul(t, P->hess[i * n + j], x[j]);
            mpq_add(g[i], g[i], t);
        }
    }
    mpq_clear(t);
}

int xt_lp_verify_kkt(const xt_lp_prob *P, const mpq_t *x, const mpq_t *y)
{
    int ok = 1;
    mpz_t *slack = xt_lp_zvec_new(P->m);
    mpq_t *g = xt_lp_qvec_new(P->n);

    if ((P->m > 0 && !slack) || (P->n > 0 && !g))
        ok = 0;
    if (ok && P->m > 0)
        ok = point_slacks(slack, P, x) && slacks_feasible(P, slack);
    for (int i = 0; ok && i < P->m; i++)
        if (!P->eq[i] && mpq_sgn(y[i]) != 0 && mpz_sgn(slack[i]) != 0)
            ok = 0;
    if (ok) {
        gradient(g, P, x);
        ok = dual_ok(P, y, g);
    }
    xt_lp_zvec_free(slack, P->m);
    xt_lp_qvec_free(g, P->n);
    return ok;
}

int xt_lp_verify_farkas(const xt_lp_prob *P, const mpq_t *y)
{
    mpq_t by;
    int ok;

    if (!dual_ok(P, y, NULL))
        return 0;
    mpq_init(by);
    dot_bq(by, P, y);
    ok = mpq_sgn(by) > 0;
    mpq_clear(by);
    return ok;
}

/* Checks A_GE r >= 0, A_EQ r = 0 and H r = 0 on r = num / den. */
static int ray_rows_ok(const xt_lp_prob *P, mpz_t *num, mpq_t t)
{
    int n = P->n;
    mpz_t s;
    int ok = 1;

    mpz_init(s);
    for (int i = 0; i < P->m && ok; i++) {
        mpz_set_ui(s, 0);
        for (int j = 0; j < n; j++)
            mpz_addmul(s, P->a[(size_t)i * n + j], num[j]);
        ok = mpz_sgn(s) > 0 ? !P->eq[i] : mpz_sgn(s) == 0;
    }
    mpz_clear(s);

    for (int i = 0; P->hess && i < n && ok; i++) {
        mpq_t acc;
        mpq_init(acc);
        for (int j = 0; j < n; j++) {
            mpq_set_z(t, num[j]);
            mpq_mul(t, t, P->hess[i * n + j]);
            mpq_add(acc, acc, t);
        }
        ok = mpq_sgn(acc) == 0;
        mpq_clear(acc);
    }
    return ok;
}

int xt_lp_verify_ray(const xt_lp_prob *P, const mpq_t *r)
{
    int ok;
    mpz_t den;
    mpq_t cr;
    mpz_t *num = xt_lp_zvec_new(P->n);

    if (P->n == 0 || !num)
        return 0;
    mpz_init(den);
    mpq_init(cr);
    xt_lp_common_den(num, den, r, P->n);
    ok = ray_rows_ok(P, num, cr);
    if (ok) {
        dot_q(cr, P->lin, r, P->n);
        ok = mpq_sgn(cr) < 0;
    }
    mpz_clear(den);
    mpq_clear(cr);
    xt_lp_zvec_free(num, P->n);
    return ok;
}

int xt_lp_verify_cert(const xt_lp_prob *P, const xt_lp_cert *C)
{
    switch (C->status) {
    case XT_LP_OPTIMAL:
        if (P->hess)
            return xt_lp_verify_kkt(P, C->x, C->y);
        return xt_lp_verify_lp_optimal(P, C->x, C->y);
    case XT_LP_INFEASIBLE:
        return xt_lp_verify_farkas(P, C->y);
    case XT_LP_UNBOUNDED:
        return xt_lp_verify_ray(P, C->x);
    default:
        return 0;
    }
}
