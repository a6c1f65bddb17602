/* Closed intervals of MPFR numbers with outward rounding: every result
 * contains the exact result of the operation on any points of the
 * operands. */
#include "smt_internal.h"

void xt_ival_init(xt_ival *v, mpfr_prec_t prec)
{
    mpfr_init2(v->lo, prec);
    mpfr_init2(v->hi, prec);
    mpfr_set_zero(v->lo, 1);
    mpfr_set_zero(v->hi, 1);
}

void xt_ival_clear(xt_ival *v)
{
    mpfr_clear(v->lo);
    mpfr_clear(v->hi);
}

void xt_ival_set_q(xt_ival *v, const mpq_t q)
{
    mpfr_set_q(v->lo, q, MPFR_RNDD);
    mpfr_set_q(v->hi, q, MPFR_RNDU);
}

void xt_ival_set_algebraic(xt_ival *v, const xt_algebraic_t a)
{
    xt_algebraic_t u;

    if (a->degree == 0) {
        xt_ival_set_q(v, a->lo);
        return;
    }
    xt_algebraic_init(u);
    xt_algebraic_set(u, a);
    xt_algebraic_refine(u, (long)mpfr_get_prec(v->lo) + 2);
    mpfr_set_q(v->lo, u->lo, MPFR_RNDD);
    mpfr_set_q(v->hi, u->hi, MPFR_RNDU);
    xt_algebraic_clear(u);
}

void xt_ival_set(xt_ival *v, const xt_ival *u)
{
    mpfr_set(v->lo, u->lo, MPFR_RNDD);
    mpfr_set(v->hi, u->hi, MPFR_RNDU);
}

void xt_ival_add(xt_ival *v, const xt_ival *a, const xt_ival *b)
{
    mpfr_add(v->lo, a->lo, b->lo, MPFR_RNDD);
    mpfr_add(v->hi, a->hi, b->hi, MPFR_RNDU);
}

void xt_ival_sub(xt_ival *v, const xt_ival *a, const xt_ival *b)
{
    mpfr_t lo;

    /* a temporary, because v may be b */
    mpfr_init2(lo, mpfr_get_prec(v->lo));
    mpfr_sub(lo, a->lo, b->hi, MPFR_RNDD);
    mpfr_sub(v->hi, a->hi, b->lo, MPFR_RNDU);
    mpfr_swap(v->lo, lo);
    mpfr_clear(lo);
}

void xt_ival_mul(xt_ival *v, const xt_ival *a, const xt_ival *b)
{
    mpfr_prec_t prec = mpfr_get_prec(v->lo);
    mpfr_t lo, hi, t;
    mpfr_srcptr x[2] = {a->lo, a->hi}, y[2] = {b->lo, b->hi};

    mpfr_inits2(prec, lo, hi, t, (mpfr_ptr)0);
    mpfr_set_inf(lo, 1);
    mpfr_set_inf(hi, -1);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            mpfr_mul(t, x[i], y[j], MPFR_RNDD);
            mpfr_min(lo, lo, t, MPFR_RNDD);
            mpfr_mul(t, x[i], y[j], MPFR_RNDU);
            mpfr_max(hi, hi, t, MPFR_RNDU);
        }
    mpfr_swap(v->lo, lo);
    mpfr_swap(v->hi, hi);
    mpfr_clears(lo, hi, t, (mpfr_ptr)0);
}

void xt_ival_abs(xt_ival *v, const xt_ival *a)
{
    mpfr_prec_t prec = mpfr_get_prec(v->lo);
    mpfr_t lo, hi;

    mpfr_inits2(prec, lo, hi, (mpfr_ptr)0);
    if (mpfr_sgn(a->lo) >= 0) {
        mpfr_set(lo, a->lo, MPFR_RNDD);
        mpfr_set(hi, a->hi, MPFR_RNDU);
    } else if (mpfr_sgn(a->hi) <= 0) {
        mpfr_neg(lo, a->hi, MPFR_RNDD);
        mpfr_neg(hi, a->lo, MPFR_RNDU);
    } else {
        mpfr_set_zero(lo, 1);
        mpfr_neg(hi, a->lo, MPFR_RNDU);
        mpfr_max(hi, hi, a->hi, MPFR_RNDU);
    }
    mpfr_swap(v->lo, lo);
    mpfr_swap(v->hi, hi);
    mpfr_clears(lo, hi, (mpfr_ptr)0);
}

void xt_ival_sqr(xt_ival *v, const xt_ival *a)
{
    xt_ival m;

    xt_ival_init(&m, mpfr_get_prec(v->lo));
    xt_ival_abs(&m, a);
    mpfr_sqr(v->lo, m.lo, MPFR_RNDD);
    mpfr_sqr(v->hi, m.hi, MPFR_RNDU);
    xt_ival_clear(&m);
}

void xt_ival_max(xt_ival *v, const xt_ival *a, const xt_ival *b)
{
    mpfr_max(v->lo, a->lo, b->lo, MPFR_RNDD);
    mpfr_max(v->hi, a->hi, b->hi, MPFR_RNDU);
}

int xt_ival_sign(const xt_ival *v)
{
    if (mpfr_sgn(v->lo) > 0)
        return 1;
    if (mpfr_sgn(v->hi) < 0)
        return -1;
    return 0;
}

void xt_ival_get_q(mpq_t lo, mpq_t hi, const xt_ival *v)
{
    mpfr_get_q(lo, v->lo);
    mpfr_get_q(hi, v->hi);
}
