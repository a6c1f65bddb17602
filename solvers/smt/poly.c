/* Univariate integer polynomials: exact sign evaluation at rationals,
 * primitive gcd, square-free parts, and Sturm sequences, which count the
 * distinct real roots in an interval by sign variations (Sturm's
 * theorem).  Remainders are pseudo-remainders scaled by positive
 * factors, so every coefficient stays an integer. */
#include <stdlib.h>
#include "smt_internal.h"

void xt_poly_init(xt_poly *p)
{
    p->deg = -1;
    p->cap = 0;
    p->c = NULL;
}

void xt_poly_clear(xt_poly *p)
{
    for (int i = 0; i < p->cap; i++)
        mpz_clear(p->c[i]);
    free(p->c);
    xt_poly_init(p);
}

void xt_poly_reserve(xt_poly *p, int deg)
{
    if (deg + 1 > p->cap) {
        mpz_t *c = realloc(p->c, (size_t)(deg + 1) * sizeof *c);
        if (!c)
            abort();    /* GMP itself aborts when out of memory */
        for (int i = p->cap; i <= deg; i++)
            mpz_init(c[i]);
        p->c = c;
        p->cap = deg + 1;
    }
    for (int i = p->deg + 1; i <= deg; i++)
        mpz_set_ui(p->c[i], 0);
}

void xt_poly_normalize(xt_poly *p)
{
    while (p->deg >= 0 && mpz_sgn(p->c[p->deg]) == 0)
        p->deg--;
}

void xt_poly_set_coefs(xt_poly *p, const mpz_t *coef, int deg)
{
    xt_poly_reserve(p, deg);
    for (int i = 0; i <= deg; i++)
        mpz_set(p->c[i], coef[i]);
    p->deg = deg;
    xt_poly_normalize(p);
}

void xt_poly_set(xt_poly *p, const xt_poly *q)
{
    if (p == q)
        return;
    if (q->deg < 0) {
        p->deg = -1;
        return;
    }
    xt_poly_set_coefs(p, (const mpz_t *)q->c, q->deg);
}

/* Divides every coefficient by the (positive) content; signs are kept. */
static void divide_content(xt_poly *p)
{
    mpz_t g;

    if (p->deg < 0)
        return;
    mpz_init(g);
    for (int i = 0; i <= p->deg; i++)
        mpz_gcd(g, g, p->c[i]);
    if (mpz_cmp_ui(g, 1) > 0)
        for (int i = 0; i <= p->deg; i++)
            mpz_divexact(p->c[i], p->c[i], g);
    mpz_clear(g);
}

void xt_poly_primitive(xt_poly *p)
{
    divide_content(p);
    if (p->deg >= 0 && mpz_sgn(p->c[p->deg]) < 0)
        for (int i = 0; i <= p->deg; i++)
            mpz_neg(p->c[i], p->c[i]);
}

void xt_poly_derivative(xt_poly *out, const xt_poly *p)
{
    if (p->deg <= 0) {
        out->deg = -1;
        return;
    }
    xt_poly_reserve(out, p->deg - 1);
    for (int i = 1; i <= p->deg; i++)
        mpz_mul_ui(out->c[i - 1], p->c[i], (unsigned long)i);
    out->deg = p->deg - 1;
}

int xt_poly_sign_at(const xt_poly *p, const mpq_t q)
{
    mpz_t acc, dpow, term;
    int sign;

    if (p->deg < 0)
        return 0;
    /* sign of d^deg p(n/d) = sum c_i n^i d^(deg - i), by Horner's rule */
    mpz_inits(acc, dpow, term, NULL);
    mpz_set(acc, p->c[p->deg]);
    mpz_set_ui(dpow, 1);
    for (int i = p->deg - 1; i >= 0; i--) {
        mpz_mul(dpow, dpow, mpq_denref(q));
        mpz_mul(acc, acc, mpq_numref(q));
        mpz_mul(term, p->c[i], dpow);
        mpz_add(acc, acc, term);
    }
    sign = mpz_sgn(acc);
    mpz_clears(acc, dpow, term, NULL);
    return sign;
}

int xt_poly_sign_at_infinity(const xt_poly *p, int positive)
{
    int sign;

    if (p->deg < 0)
        return 0;
    sign = mpz_sgn(p->c[p->deg]);
    return (positive || p->deg % 2 == 0) ? sign : -sign;
}

/* Replaces r by a positive multiple of the remainder of r divided by b
 * (deg b >= 0): each step multiplies by the leading coefficient of b, and
 * an odd number of steps with a negative one is undone by a negation. */
static void pseudo_remainder(xt_poly *r, const xt_poly *b, xt_poly *quot)
{
    const mpz_ptr lead = b->c[b->deg];
    mpz_t factor;
    int steps = 0;

    mpz_init(factor);
    if (quot) {
        quot->deg = r->deg - b->deg;
        if (quot->deg >= 0)
            xt_poly_reserve(quot, quot->deg);
        for (int i = 0; i <= quot->deg; i++)
            mpz_set_ui(quot->c[i], 0);
    }
    while (r->deg >= b->deg) {
        int shift = r->deg - b->deg;
        mpz_set(factor, r->c[r->deg]);
        for (int i = 0; i <= r->deg; i++)
            mpz_mul(r->c[i], r->c[i], lead);
        for (int i = 0; i <= b->deg; i++)
            mpz_submul(r->c[i + shift], factor, b->c[i]);
        if (quot) {
            for (int i = 0; i <= quot->deg; i++)
                mpz_mul(quot->c[i], quot->c[i], lead);
            mpz_add(quot->c[shift], quot->c[shift], factor);
        }
        steps++;
        xt_poly_normalize(r);
    }
    if (mpz_sgn(lead) < 0 && steps % 2 == 1) {
        for (int i = 0; i <= r->deg; i++)
            mpz_neg(r->c[i], r->c[i]);
        for (int i = 0; quot && i <= quot->deg; i++)
            mpz_neg(quot->c[i], quot->c[i]);
    }
    mpz_clear(factor);
}

void xt_poly_gcd(xt_poly *out, const xt_poly *a, const xt_poly *b)
{
    xt_poly u, v;

    xt_poly_init(&u);
    xt_poly_init(&v);
    xt_poly_set(&u, a);
    xt_poly_set(&v, b);
    xt_poly_primitive(&u);
    xt_poly_primitive(&v);
    while (v.deg >= 0) {
        pseudo_remainder(&u, &v, NULL);
        xt_poly_primitive(&u);
        xt_poly swap = u;
        u = v;
        v = swap;
    }
    xt_poly_set(out, &u);
    xt_poly_clear(&u);
    xt_poly_clear(&v);
}

int xt_poly_divide_exact(xt_poly *out, const xt_poly *a, const xt_poly *b)
{
    xt_poly r, q;
    int status = 0;

    if (b->deg < 0)
        return -1;
    xt_poly_init(&r);
    xt_poly_init(&q);
    xt_poly_set(&r, a);
    pseudo_remainder(&r, b, &q);
    if (r.deg >= 0)
        status = -1;
    xt_poly_normalize(&q);
    xt_poly_primitive(&q);
    xt_poly_set(out, &q);
    xt_poly_clear(&r);
    xt_poly_clear(&q);
    return status;
}

void xt_poly_squarefree(xt_poly *out, const xt_poly *p)
{
    xt_poly d, g;

    xt_poly_init(&d);
    xt_poly_init(&g);
    xt_poly_derivative(&d, p);
    xt_poly_gcd(&g, p, &d);
    if (g.deg <= 0) {
        xt_poly_set(out, p);
        xt_poly_primitive(out);
    } else {
        /* g divides p, so the division is exact */
        xt_poly_divide_exact(out, p, &g);
    }
    xt_poly_clear(&d);
    xt_poly_clear(&g);
}

void xt_poly_root_bound(mpz_t bound, const xt_poly *p)
{
    mpz_t big, ratio, lead;

    mpz_inits(big, ratio, lead, NULL);
    mpz_abs(lead, p->c[p->deg]);

    /* Cauchy: every root has |x| < 1 + max_i |c_i / c_deg|. */
    for (int i = 0; i < p->deg; i++)
        if (mpz_cmpabs(p->c[i], big) > 0)
            mpz_abs(big, p->c[i]);
    mpz_fdiv_q(bound, big, lead);
    mpz_add_ui(bound, bound, 2);

    /* Fujiwara (1916): every root has |x| <= 2 max_i |c_(deg-i) /
     * c_deg|^(1/i), i = 1..deg.  Each term is rounded up, so the bound
     * is strict.  It is far smaller than Cauchy's when the coefficients
     * are large and the roots are not, as in (x^3 + 1)^291 + 2, whose
     * Cauchy bound is about 2^287. */
    mpz_set_ui(big, 0);
    for (int i = 1; i <= p->deg; i++) {
        if (mpz_sgn(p->c[p->deg - i]) == 0)
            continue;
        mpz_abs(ratio, p->c[p->deg - i]);
        mpz_cdiv_q(ratio, ratio, lead);
        mpz_root(ratio, ratio, (unsigned long)i);
        mpz_add_ui(ratio, ratio, 1);
        if (mpz_cmp(ratio, big) > 0)
            mpz_set(big, ratio);
    }
    mpz_mul_2exp(big, big, 1);
    mpz_add_ui(big, big, 1);
    if (mpz_cmp(big, bound) < 0)
        mpz_set(bound, big);
    mpz_clears(big, ratio, lead, NULL);
}

void xt_sturm_init(xt_sturm *s, const xt_poly *p)
{
    int max = p->deg + 2;

    s->seq = malloc((size_t)(max > 1 ? max : 1) * sizeof *s->seq);
    if (!s->seq)
        abort();
    s->len = 0;
    xt_poly_init(&s->seq[0]);
    xt_poly_set(&s->seq[0], p);
    s->len = 1;
    if (p->deg <= 0)
        return;
    xt_poly_init(&s->seq[1]);
    xt_poly_derivative(&s->seq[1], p);
    divide_content(&s->seq[1]);
    s->len = 2;
    while (s->len < max && s->seq[s->len - 1].deg > 0) {
        xt_poly *next = &s->seq[s->len];
        xt_poly_init(next);
        xt_poly_set(next, &s->seq[s->len - 2]);
        pseudo_remainder(next, &s->seq[s->len - 1], NULL);
        if (next->deg < 0) {
            xt_poly_clear(next);
            break;
        }
        for (int i = 0; i <= next->deg; i++)
            mpz_neg(next->c[i], next->c[i]);
        divide_content(next);
        s->len++;
    }
}

void xt_sturm_clear(xt_sturm *s)
{
    for (int i = 0; i < s->len; i++)
        xt_poly_clear(&s->seq[i]);
    free(s->seq);
    s->seq = NULL;
    s->len = 0;
}

/* Sign variations of the sequence at q, or at -infinity (q NULL and
 * positive 0) or +infinity (q NULL and positive 1). */
static long variations(const xt_sturm *s, const mpq_t q, int positive)
{
    long count = 0;
    int last = 0;

    for (int i = 0; i < s->len; i++) {
        int sign = q ? xt_poly_sign_at(&s->seq[i], q)
                     : xt_poly_sign_at_infinity(&s->seq[i], positive);
        if (sign == 0)
            continue;
        if (last != 0 && sign != last)
            count++;
        last = sign;
    }
    return count;
}

long xt_sturm_count(const xt_sturm *s, const mpq_t lo, const mpq_t hi)
{
    return variations(s, lo, 0) - variations(s, hi, 1);
}

/* Writes the integer c as an SMT-LIB term: 5 or (- 5). */
static void write_integer(FILE *stream, const mpz_t c)
{
    mpz_t magnitude;

    if (mpz_sgn(c) >= 0) {
        mpz_out_str(stream, 10, c);
        return;
    }
    mpz_init(magnitude);
    mpz_neg(magnitude, c);
    fputs("(- ", stream);
    mpz_out_str(stream, 10, magnitude);
    fputs(")", stream);
    mpz_clear(magnitude);
}

/* Writes the monomial c x^i (c != 0) as Z3 prints it. */
static void write_monomial(FILE *stream, const mpz_t c, int i)
{
    int unit = mpz_cmp_ui(c, 1) == 0;

    if (i == 0) {
        write_integer(stream, c);
        return;
    }
    if (!unit) {
        fputs("(* ", stream);
        write_integer(stream, c);
        fputc(' ', stream);
    }
    if (i > 1)
        fprintf(stream, "(^ x %d)", i);
    else
        fputs("x", stream);
    if (!unit)
        fputs(")", stream);
}

void xt_poly_write_smtlib(FILE *stream, const xt_poly *p)
{
    int terms = 0, first = 1;

    if (p->deg < 0) {
        fputs("0", stream);
        return;
    }
    for (int i = 0; i <= p->deg; i++)
        terms += mpz_sgn(p->c[i]) != 0;
    if (terms > 1)
        fputs("(+", stream);
    for (int i = p->deg; i >= 0; i--) {
        if (mpz_sgn(p->c[i]) == 0)
            continue;
        if (terms > 1 || !first)
            fputc(' ', stream);
        write_monomial(stream, p->c[i], i);
        first = 0;
    }
    if (terms > 1)
        fputs(")", stream);
}
