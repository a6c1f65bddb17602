/* Real algebraic numbers as a square-free integer polynomial and an
 * isolating interval: construction from a root index or an interval,
 * refinement by bisection, exact comparisons.  Rational roots are
 * detected when a number is set, so a number stored with a polynomial
 * is never rational. */
#include <stdlib.h>
#include "smt_internal.h"

void xt_algebraic_init(xt_algebraic_t a)
{
    a->degree = 0;
    a->poly = NULL;
    mpq_init(a->lo);
    mpq_init(a->hi);
}

static void free_poly(xt_algebraic_t a)
{
    for (int i = 0; a->poly && i <= a->degree; i++)
        mpz_clear(a->poly[i]);
    free(a->poly);
    a->poly = NULL;
    a->degree = 0;
}

void xt_algebraic_clear(xt_algebraic_t a)
{
    free_poly(a);
    mpq_clear(a->lo);
    mpq_clear(a->hi);
}

/* A read-only xt_poly view of the polynomial of an irrational a. */
static xt_poly poly_view(const xt_algebraic_t a)
{
    xt_poly p;

    p.deg = a->degree;
    p.cap = a->degree + 1;
    p.c = a->poly;
    return p;
}

void xt_algebraic_get_poly(xt_poly *p, const xt_algebraic_t a)
{
    xt_poly view = poly_view(a);

    xt_poly_set(p, &view);
}

/* Stores the polynomial p (degree >= 2) in a, replacing the old one. */
static void store_poly(xt_algebraic_t a, const xt_poly *p)
{
    free_poly(a);
    a->poly = malloc((size_t)(p->deg + 1) * sizeof *a->poly);
    if (!a->poly)
        abort();
    for (int i = 0; i <= p->deg; i++)
        mpz_init_set(a->poly[i], p->c[i]);
    a->degree = p->deg;
}

void xt_algebraic_set_q(xt_algebraic_t a, const mpq_t q)
{
    free_poly(a);
    mpq_set(a->lo, q);
    mpq_set(a->hi, q);
}

void xt_algebraic_set(xt_algebraic_t rop, const xt_algebraic_t op)
{
    if (rop == op)
        return;
    if (op->degree == 0) {
        xt_algebraic_set_q(rop, op->lo);
        return;
    }
    xt_poly view = poly_view(op);
    store_poly(rop, &view);
    mpq_set(rop->lo, op->lo);
    mpq_set(rop->hi, op->hi);
}

int xt_algebraic_get_q(mpq_t q, const xt_algebraic_t a)
{
    if (a->degree != 0)
        return 0;
    if (q)
        mpq_set(q, a->lo);
    return 1;
}

void xt_simplest_rational(mpq_t out, const mpq_t lo, const mpq_t hi)
{
    mpz_t f;
    mpq_t a, b;

    if (mpq_sgn(lo) < 0 && mpq_sgn(hi) > 0) {
        mpq_set_ui(out, 0, 1);
        return;
    }
    mpq_inits(a, b, NULL);
    if (mpq_sgn(hi) <= 0) {
        /* mirror (lo, hi) to (-hi, -lo) */
        mpq_neg(a, hi);
        mpq_neg(b, lo);
        xt_simplest_rational(out, a, b);
        mpq_neg(out, out);
        mpq_clears(a, b, NULL);
        return;
    }
    mpz_init(f);
    mpz_fdiv_q(f, mpq_numref(lo), mpq_denref(lo));
    mpq_set_z(a, f);
    mpq_set_ui(b, 1, 1);
    mpq_add(a, a, b);                   /* a = floor(lo) + 1 */
    if (mpq_cmp(a, hi) < 0) {
        mpq_set(out, a);
    } else {
        /* lo and hi lie in [f, f + 1]: recurse on 1 / (x - f) */
        mpq_set_z(a, f);
        mpq_sub(b, hi, a);
        mpq_inv(b, b);                  /* 1 / (hi - f), the new low end */
        mpq_sub(a, lo, a);
        if (mpq_sgn(a) == 0) {
            /* (f, hi): the new interval is (1 / (hi - f), infinity) */
            mpz_fdiv_q(mpq_numref(out), mpq_numref(b), mpq_denref(b));
            mpz_add_ui(mpq_numref(out), mpq_numref(out), 1);
            mpz_set_ui(mpq_denref(out), 1);
        } else {
            mpq_inv(a, a);
            xt_simplest_rational(out, b, a);
        }
        mpq_inv(out, out);
        mpq_set_z(a, f);
        mpq_add(out, out, a);
    }
    mpz_clear(f);
    mpq_clears(a, b, NULL);
}

/* Halves the interval (lo, hi) of a root of p (sign_lo = sign p(lo) !=
 * 0).  Returns 1 when the midpoint is the root (then stored in lo). */
static int bisect_once(const xt_poly *p, mpq_t lo, mpq_t hi, int sign_lo)
{
    mpq_t mid;
    int sign;

    mpq_init(mid);
    mpq_add(mid, lo, hi);
    mpz_mul_2exp(mpq_denref(mid), mpq_denref(mid), 1);
    mpq_canonicalize(mid);
    sign = xt_poly_sign_at(p, mid);
    if (sign == 0) {
        mpq_set(lo, mid);
        mpq_set(hi, mid);
    } else if (sign == sign_lo) {
        mpq_set(lo, mid);
    } else {
        mpq_set(hi, mid);
    }
    mpq_clear(mid);
    return sign == 0;
}

/* With p square-free and exactly one root of p in (lo, hi), neither end a
 * root: stores that root in a, as a rational when it is one.  A rational
 * root n/d has d dividing the leading coefficient L, and two such
 * rationals differ by at least 1/L^2; so once the interval is narrower
 * the root is rational exactly when the simplest rational inside is a
 * root. */
static void store_isolated(xt_algebraic_t a, const xt_poly *p, mpq_t lo,
                           mpq_t hi)
{
    mpq_t width, limit, guess;
    int sign_lo = xt_poly_sign_at(p, lo);
    int exact = 0;

    mpq_inits(width, limit, guess, NULL);
    mpz_mul(mpq_denref(limit), p->c[p->deg], p->c[p->deg]);
    mpz_set_ui(mpq_numref(limit), 1);
    mpq_canonicalize(limit);
    mpq_sub(width, hi, lo);
    while (!exact && mpq_cmp(width, limit) >= 0) {
        exact = bisect_once(p, lo, hi, sign_lo);
        mpq_sub(width, hi, lo);
    }
    if (!exact) {
        xt_simplest_rational(guess, lo, hi);
        if (xt_poly_sign_at(p, guess) == 0) {
            mpq_set(lo, guess);
            exact = 1;
        }
    }
    if (exact || p->deg == 1) {
        if (!exact) {
            /* c0 + c1 x = 0 */
            mpq_set_z(guess, p->c[0]);
            mpq_set_z(limit, p->c[1]);
            mpq_div(lo, guess, limit);
            mpq_neg(lo, lo);
        }
        xt_algebraic_set_q(a, lo);
    } else {
        store_poly(a, p);
        mpq_set(a->lo, lo);
        mpq_set(a->hi, hi);
    }
    mpq_clears(width, limit, guess, NULL);
}

int xt_algebraic_set_poly_interval(xt_algebraic_t a, const xt_poly *p,
                                   const mpq_t lo, const mpq_t hi,
                                   xt_error_t *err)
{
    xt_poly sf;
    xt_sturm sturm;
    mpq_t l, h;
    long count;
    int status = XT_OK;

    if (p->deg < 1 || mpq_cmp(lo, hi) > 0) {
        xt_error_set(err, p->deg < 1 ? "an algebraic number needs a "
                     "polynomial of degree at least 1"
                     : "isolating interval with lower end above upper end");
        return XT_ERR_INPUT;
    }
    xt_poly_init(&sf);
    xt_poly_squarefree(&sf, p);
    xt_sturm_init(&sturm, &sf);
    mpq_init(l);
    mpq_init(h);
    mpq_set(l, lo);
    mpq_set(h, hi);
    int at_lo = xt_poly_sign_at(&sf, l) == 0;
    count = at_lo + (mpq_equal(l, h) ? 0 : xt_sturm_count(&sturm, l, h));
    if (count != 1) {
        xt_error_set(err, "the interval contains %ld roots of the polynomial, "
                     "not exactly one", count);
        status = XT_ERR_INPUT;
    } else if (at_lo) {
        xt_algebraic_set_q(a, l);
    } else if (xt_poly_sign_at(&sf, h) == 0) {
        xt_algebraic_set_q(a, h);
    } else {
        store_isolated(a, &sf, l, h);
    }
    mpq_clear(l);
    mpq_clear(h);
    xt_sturm_clear(&sturm);
    xt_poly_clear(&sf);
    return status;
}

int xt_algebraic_set_interval(xt_algebraic_t a, const mpz_t *coef,
                              int degree, const mpq_t lo, const mpq_t hi,
                              xt_error_t *err)
{
    xt_poly p;
    int status;

    xt_poly_init(&p);
    xt_poly_set_coefs(&p, coef, degree);
    status = xt_algebraic_set_poly_interval(a, &p, lo, hi, err);
    xt_poly_clear(&p);
    return status;
}

/* Narrows (lo, hi] around the index-th root of a square-free p until it
 * contains one root; below is the number of roots at or below lo. */
static void isolate_root(const xt_sturm *s, mpq_t lo, mpq_t hi, long below,
                         unsigned long index)
{
    mpq_t mid;

    mpq_init(mid);
    while (xt_sturm_count(s, lo, hi) > 1) {
        mpq_add(mid, lo, hi);
        mpz_mul_2exp(mpq_denref(mid), mpq_denref(mid), 1);
        mpq_canonicalize(mid);
        long left = xt_sturm_count(s, lo, mid);
        if ((unsigned long)(below + left) >= index) {
            mpq_set(hi, mid);
        } else {
            mpq_set(lo, mid);
            below += left;
        }
    }
    mpq_clear(mid);
}

/* Moves lo off a root of p (not the one in (lo, hi]), keeping exactly one
 * root in (lo, hi]. */
static void avoid_root_at_lo(const xt_poly *p, const xt_sturm *s, mpq_t lo,
                             mpq_t hi)
{
    mpq_t mid;

    mpq_init(mid);
    while (xt_poly_sign_at(p, lo) == 0 && xt_poly_sign_at(p, hi) != 0) {
        mpq_add(mid, lo, hi);
        mpz_mul_2exp(mpq_denref(mid), mpq_denref(mid), 1);
        mpq_canonicalize(mid);
        if (xt_sturm_count(s, lo, mid) == 1)
            mpq_set(hi, mid);
        else
            mpq_set(lo, mid);
    }
    mpq_clear(mid);
}

int xt_algebraic_set_root(xt_algebraic_t a, const mpz_t *coef, int degree,
                          unsigned long index, xt_error_t *err)
{
    xt_poly p, sf;
    xt_sturm s;
    mpz_t bound;
    mpq_t lo, hi;
    long total;
    int status = XT_OK;

    xt_poly_init(&p);
    xt_poly_set_coefs(&p, coef, degree);
    if (p.deg < 1) {
        xt_poly_clear(&p);
        xt_error_set(err, "root-obj needs a polynomial of degree at least "
                     "1");
        return XT_ERR_INPUT;
    }
    xt_poly_init(&sf);
    xt_poly_squarefree(&sf, &p);
    xt_sturm_init(&s, &sf);
    total = xt_sturm_count(&s, NULL, NULL);
    if (index < 1 || index > (unsigned long)total) {
        xt_error_set(err, "root index %lu out of range: the polynomial has "
                     "%ld real root%s", index, total, total == 1 ? "" : "s");
        status = XT_ERR_INPUT;
    } else {
        mpz_init(bound);
        mpq_inits(lo, hi, NULL);
        xt_poly_root_bound(bound, &sf);
        mpq_set_z(hi, bound);
        mpq_neg(lo, hi);
        isolate_root(&s, lo, hi, 0, index);
        avoid_root_at_lo(&sf, &s, lo, hi);
        status = xt_algebraic_set_poly_interval(a, &sf, lo, hi, err);
        mpz_clear(bound);
        mpq_clears(lo, hi, NULL);
    }
    xt_sturm_clear(&s);
    xt_poly_clear(&sf);
    xt_poly_clear(&p);
    return status;
}

unsigned long xt_algebraic_root_index(const xt_algebraic_t a)
{
    xt_poly p;
    xt_sturm s;
    long below;

    if (a->degree == 0)
        return 1;
    p = poly_view(a);
    xt_sturm_init(&s, &p);
    below = xt_sturm_count(&s, NULL, a->lo);
    xt_sturm_clear(&s);
    return (unsigned long)below + 1;
}

void xt_algebraic_refine(xt_algebraic_t a, long bits)
{
    mpq_t width, limit;
    xt_poly p;
    int sign_lo;

    if (a->degree == 0)
        return;
    p = poly_view(a);
    sign_lo = xt_poly_sign_at(&p, a->lo);
    mpq_inits(width, limit, NULL);
    mpq_set_ui(limit, 1, 1);
    if (bits >= 0)
        mpz_mul_2exp(mpq_denref(limit), mpq_denref(limit),
                     (mp_bitcnt_t)bits);
    else
        mpz_mul_2exp(mpq_numref(limit), mpq_numref(limit),
                     (mp_bitcnt_t)-bits);
    mpq_sub(width, a->hi, a->lo);
    while (mpq_cmp(width, limit) > 0) {
        /* the midpoint cannot be the root: a is irrational */
        bisect_once(&p, a->lo, a->hi, sign_lo);
        mpq_sub(width, a->hi, a->lo);
    }
    mpq_clears(width, limit, NULL);
}

void xt_algebraic_round(mpq_t q, const xt_algebraic_t a, long bits)
{
    xt_algebraic_t u;

    if (a->degree == 0) {
        mpq_set(q, a->lo);
        return;
    }
    xt_algebraic_init(u);
    xt_algebraic_set(u, a);
    xt_algebraic_refine(u, bits);
    xt_simplest_rational(q, u->lo, u->hi);
    xt_algebraic_clear(u);
}

int xt_algebraic_cmp_q(const xt_algebraic_t a, const mpq_t q)
{
    xt_poly p;
    int sign, sign_lo;

    if (a->degree == 0) {
        int c = mpq_cmp(a->lo, q);
        return (c > 0) - (c < 0);
    }
    if (mpq_cmp(q, a->lo) <= 0)
        return 1;
    if (mpq_cmp(q, a->hi) >= 0)
        return -1;
    /* lo < q < hi: the root lies on the side where p changes sign */
    p = poly_view(a);
    sign = xt_poly_sign_at(&p, q);
    sign_lo = xt_poly_sign_at(&p, a->lo);
    if (sign == 0)
        return 0;       /* impossible for an irrational a; kept exact */
    return sign == sign_lo ? 1 : -1;
}

/* Reports whether the common root of two polynomials lies in both
 * intervals: then a and b, being the only roots there, are equal. */
static int share_root(const xt_algebraic_t a, const xt_algebraic_t b)
{
    xt_poly pa = poly_view(a), pb = poly_view(b), g;
    xt_sturm s;
    mpq_srcptr lo, hi;
    int shared = 0;

    lo = mpq_cmp(a->lo, b->lo) > 0 ? a->lo : b->lo;
    hi = mpq_cmp(a->hi, b->hi) < 0 ? a->hi : b->hi;
    if (mpq_cmp(lo, hi) >= 0)
        return 0;
    xt_poly_init(&g);
    xt_poly_gcd(&g, &pa, &pb);
    if (g.deg >= 1) {
        xt_sturm_init(&s, &g);
        shared = xt_sturm_count(&s, lo, hi) -
                 (xt_poly_sign_at(&g, hi) == 0) > 0;
        xt_sturm_clear(&s);
    }
    xt_poly_clear(&g);
    return shared;
}

int xt_algebraic_cmp(const xt_algebraic_t a, const xt_algebraic_t b)
{
    xt_algebraic_t u, v;
    long bits = 8;
    int result;

    if (b->degree == 0)
        return xt_algebraic_cmp_q(a, b->lo);
    if (a->degree == 0)
        return -xt_algebraic_cmp_q(b, a->lo);
    if (share_root(a, b))
        return 0;
    xt_algebraic_init(u);
    xt_algebraic_init(v);
    xt_algebraic_set(u, a);
    xt_algebraic_set(v, b);
    /* a != b, so refining both intervals separates them */
    for (;;) {
        if (mpq_cmp(u->hi, v->lo) <= 0) {
            result = -1;
            break;
        }
        if (mpq_cmp(v->hi, u->lo) <= 0) {
            result = 1;
            break;
        }
        xt_algebraic_refine(u, bits);
        xt_algebraic_refine(v, bits);
        bits *= 2;
    }
    xt_algebraic_clear(u);
    xt_algebraic_clear(v);
    return result;
}
