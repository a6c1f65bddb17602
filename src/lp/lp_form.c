/* Conversion between the caller's problem (xt_lp_t) and internal form:
 * rows scaled to coprime integers, all-zero rows removed, the QP
 * objective expanded to 1/2 x^T H x + lin . x. */
#include <stdlib.h>
#include "lp_form.h"

/* Writes out = s * (coef, rhs) as coprime integers with s > 0 rational.
 * Requires some coef[j] != 0, or rhs != 0. */
static void scale_row(mpz_t *out, mpz_t outb, mpq_t s, const mpq_t *coef,
                      const mpq_t rhs, int n, mpz_t l, mpz_t g)
{
    mpz_set_ui(l, 1);
    for (int j = 0; j < n; j++)
        if (mpz_cmp_ui(mpq_denref(coef[j]), 1) != 0)
            mpz_lcm(l, l, mpq_denref(coef[j]));
    if (mpz_cmp_ui(mpq_denref(rhs), 1) != 0)
        mpz_lcm(l, l, mpq_denref(rhs));

    mpz_set_ui(g, 0);
    for (int j = 0; j <= n; j++) {
        mpq_srcptr q = j < n ? coef[j] : rhs;
        mpz_ptr o = j < n ? out[j] : outb;
        if (mpz_cmp_ui(mpq_denref(q), 1) == 0) {
            mpz_mul(o, l, mpq_numref(q));
        } else {
            mpz_divexact(o, l, mpq_denref(q));
            mpz_mul(o, o, mpq_numref(q));
        }
        if (mpz_cmp_ui(g, 1) != 0)
            mpz_gcd(g, g, o);
    }
    if (mpz_cmp_ui(g, 1) != 0) {
        for (int j = 0; j < n; j++)
            mpz_divexact(out[j], out[j], g);
        mpz_divexact(outb, outb, g);
    }
    mpq_set_num(s, l);
    mpq_set_den(s, g);
    mpq_canonicalize(s);
}

static int row_is_zero(const xt_lp_t lp, int i)
{
    for (int j = 0; j < lp->ncols; j++)
        if (mpq_sgn(lp->a[(size_t)i * lp->ncols + j]) != 0)
            return 0;
    return 1;
}

int xt_lp_form_bad_zero_row(const xt_lp_t lp)
{
    for (int i = 0; i < lp->nrows; i++) {
        int s = mpq_sgn(lp->b[i]);
        if (row_is_zero(lp, i) && (s > 0 || (lp->type[i] == XT_ROW_EQ &&
                                             s != 0)))
            return i;
    }
    return -1;
}

static void form_zero(xt_lp_form *F)
{
    F->P.n = F->P.m = 0;
    F->P.a = F->P.b = NULL;
    F->P.eq = NULL;
    F->P.hess = F->P.lin = NULL;
    F->orig = NULL;
    F->scale = NULL;
    F->msq = NULL;
    F->tsq = NULL;
    F->nsq = 0;
    mpq_init(F->obj_scale);
    mpz_init(F->sq_den);
}

static void scale_rows(xt_lp_form *F, const xt_lp_t lp)
{
    int n = lp->ncols, r = 0;
    mpz_t l, g;

    mpz_inits(l, g, NULL);
    for (int i = 0; i < lp->nrows; i++) {
        if (row_is_zero(lp, i))
            continue;
        F->orig[r] = i;
        F->P.eq[r] = lp->type[i] == XT_ROW_EQ;
        scale_row(F->P.a + (size_t)r * n, F->P.b[r], F->scale[r],
                  lp->a + (size_t)i * n, lp->b[i], n, l, g);
        r++;
    }
    mpz_clears(l, g, NULL);
}

/* LP objective: lin = obj_scale * c, coprime integers. */
static void scale_objective(xt_lp_form *F, const mpq_t *c)
{
    int n = F->P.n;
    mpz_t *num = xt_lp_zvec_new(n);
    mpz_t outb, l, g;
    mpq_t zero;
    int nonzero = 0;

    for (int j = 0; j < n; j++)
        nonzero |= mpq_sgn(c[j]) != 0;
    mpq_set_ui(F->obj_scale, 1, 1);
    if (!nonzero || !num) {
        for (int j = 0; j < n; j++)
            mpq_set(F->P.lin[j], c[j]);
        xt_lp_zvec_free(num, n);
        return;
    }
    mpz_inits(outb, l, g, NULL);
    mpq_init(zero);
    scale_row(num, outb, F->obj_scale, c, zero, n, l, g);
    for (int j = 0; j < n; j++)
        mpq_set_z(F->P.lin[j], num[j]);
    mpz_clears(outb, l, g, NULL);
    mpq_clear(zero);
    xt_lp_zvec_free(num, n);
}

/* Integer copy of the squares: msq = L M, tsq = L t, L = sq_den. */
static int integer_squares(xt_lp_form *F, const xt_lp_t lp)
{
    int n = lp->ncols, p = lp->nsq;

    F->nsq = p;
    F->msq = xt_lp_zvec_new(p * n);
    F->tsq = xt_lp_zvec_new(p);
    if ((p * n > 0 && !F->msq) || (p > 0 && !F->tsq))
        return XT_ERR_NOMEM;
    mpz_set_ui(F->sq_den, 1);
    for (int k = 0; k < p * n; k++)
        mpz_lcm(F->sq_den, F->sq_den, mpq_denref(lp->m[k]));
    for (int k = 0; k < p; k++)
        mpz_lcm(F->sq_den, F->sq_den, mpq_denref(lp->t[k]));
    for (int k = 0; k < p * n + p; k++) {
        mpq_srcptr q = k < p * n ? lp->m[k] : lp->t[k - p * n];
        mpz_ptr o = k < p * n ? F->msq[k] : F->tsq[k - p * n];
        mpz_divexact(o, F->sq_den, mpq_denref(q));
        mpz_mul(o, o, mpq_numref(q));
    }
    return XT_OK;
}

/* H = 2 M^T M and lin = c - 2 M^T t, from the integer copy.  Returns 1
 * when H is nonzero. */
static int qp_objective(xt_lp_form *F, const mpq_t *c)
{
    int n = F->P.n, p = F->nsq, nonzero = 0;
    mpz_t s, l2;
    mpq_t q;

    mpz_inits(s, l2, NULL);
    mpq_init(q);
    mpz_mul(l2, F->sq_den, F->sq_den);
    for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
            mpz_set_ui(s, 0);
            for (int k = 0; k < p; k++)
                mpz_addmul(s, F->msq[k * n + i], F->msq[k * n + j]);
            nonzero |= mpz_sgn(s) != 0;
            mpz_mul_2exp(mpq_numref(q), s, 1);
            mpz_set(mpq_denref(q), l2);
            mpq_canonicalize(q);
            mpq_set(F->P.hess[i * n + j], q);
            mpq_set(F->P.hess[j * n + i], q);
        }
        mpz_set_ui(s, 0);
        for (int k = 0; k < p; k++)
            mpz_addmul(s, F->msq[k * n + i], F->tsq[k]);
        mpz_mul_2exp(mpq_numref(q), s, 1);
        mpz_set(mpq_denref(q), l2);
        mpq_canonicalize(q);
        mpq_sub(F->P.lin[i], c[i], q);
    }
    mpz_clears(s, l2, NULL);
    mpq_clear(q);
    return nonzero;
}

int xt_lp_form_build(xt_lp_form *F, const xt_lp_t lp)
{
    int n = lp->ncols, m = 0, rc, qp;

    form_zero(F);
    for (int i = 0; i < lp->nrows; i++)
        m += !row_is_zero(lp, i);
    rc = xt_lp_prob_alloc(&F->P, n, m, lp->nsq > 0);
    if (rc != XT_OK)
        return rc;
    F->orig = malloc(((size_t)m + 1) * sizeof *F->orig);
    F->scale = xt_lp_qvec_new(m);
    if (!F->orig || (m > 0 && !F->scale))
        return XT_ERR_NOMEM;
    scale_rows(F, lp);

    qp = 0;
    if (lp->nsq > 0) {
        rc = integer_squares(F, lp);
        if (rc != XT_OK)
            return rc;
        qp = qp_objective(F, lp->c);
    }
    if (!qp) {
        /* An LP, or a QP whose M is 0: its objective is linear. */
        xt_lp_qvec_free(F->P.hess, n * n);
        F->P.hess = NULL;
        scale_objective(F, lp->c);
    } else {
        mpq_set_ui(F->obj_scale, 1, 1);
    }
    return XT_OK;
}

void xt_lp_form_free(xt_lp_form *F)
{
    xt_lp_qvec_free(F->scale, F->P.m);
    xt_lp_zvec_free(F->msq, F->nsq * F->P.n);
    xt_lp_zvec_free(F->tsq, F->nsq);
    xt_lp_prob_free(&F->P);
    free(F->orig);
    mpq_clear(F->obj_scale);
    mpz_clear(F->sq_den);
}

/* value = ||M x - t||^2 + c . x, from the integer copy of the squares. */
static void objective_value(mpq_t value, const xt_lp_form *F,
                            const xt_lp_t lp, const mpq_t *x)
{
    int n = lp->ncols;
    mpz_t *num = xt_lp_zvec_new(n);
    mpz_t den, r, sum;
    mpq_t t;

    mpq_init(t);
    mpq_set_ui(value, 0, 1);
    for (int j = 0; j < n; j++) {
        mpq_mul(t, lp->c[j], x[j]);
        mpq_add(value, value, t);
    }
    if (F->nsq == 0 || (n > 0 && !num)) {
        mpq_clear(t);
        xt_lp_zvec_free(num, n);
        return;
    }
    mpz_inits(den, r, sum, NULL);
    xt_lp_common_den(num, den, x, n);
    for (int k = 0; k < F->nsq; k++) {
        /* (L M x - L t)_k * den */
        mpz_mul(r, F->tsq[k], den);
        mpz_neg(r, r);
        for (int j = 0; j < n; j++)
            mpz_addmul(r, F->msq[k * n + j], num[j]);
        mpz_addmul(sum, r, r);
    }
    mpz_mul(den, den, F->sq_den);
    mpz_mul(den, den, den);
    mpq_set_num(t, sum);
    mpq_set_den(t, den);
    mpq_canonicalize(t);
    mpq_add(value, value, t);
    mpz_clears(den, r, sum, NULL);
    mpq_clear(t);
    xt_lp_zvec_free(num, n);
}

void xt_lp_form_map_back(xt_lp_result_t res, const xt_lp_form *F,
                         const xt_lp_cert *C, const xt_lp_t lp)
{
    res->status = C->status;
    mpq_set_ui(res->value, 0, 1);
    for (int j = 0; j < res->ncols; j++)
        mpq_set_ui(res->x[j], 0, 1);
    for (int i = 0; i < res->nrows; i++)
        mpq_set_ui(res->y[i], 0, 1);

    if (C->status == XT_LP_UNBOUNDED || C->status == XT_LP_OPTIMAL)
        for (int j = 0; j < res->ncols; j++)
            mpq_set(res->x[j], C->x[j]);
    if (C->status == XT_LP_OPTIMAL || C->status == XT_LP_INFEASIBLE) {
        for (int i = 0; i < F->P.m; i++) {
            mpq_ptr y = res->y[F->orig[i]];
            mpq_mul(y, C->y[i], F->scale[i]);
            if (C->status == XT_LP_OPTIMAL)
                mpq_div(y, y, F->obj_scale);
        }
    }
    if (C->status == XT_LP_OPTIMAL)
        objective_value(res->value, F, lp, res->x);
}
