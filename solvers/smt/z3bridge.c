/* Conversions between xtrain's exact numbers and Z3 4.8.12 values, with
 * workarounds for that version:
 *
 *   - every string Z3 returns lives in one buffer that the next string
 *     call overwrites, so each one is copied at once (xt_z3_strdup);
 *   - Z3_algebraic_get_i returns 0 until Z3_ast_to_string has computed
 *     the root index, and after a negation it can keep the index of the
 *     operand.  xtrain computes indices from the isolating interval
 *     (xt_algebraic_root_index) and uses Z3's only in tests;
 *   - contexts use Z3_mk_context (no reference counting of terms) with
 *     the error handler off, and callers check Z3_get_error_code; terms
 *     taken out of a Z3_ast_vector still need Z3_inc_ref, because the
 *     vector frees them otherwise. */
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

/* Precision of the isolating intervals requested from Z3, in decimal
 * digits.  Any width works; a narrow one saves bisection steps later. */
#define Z3_INTERVAL_DIGITS 20

static void ignore_error(Z3_context c, Z3_error_code e)
{
    (void)c;
    (void)e;
}

Z3_context xt_z3_context_new(void)
{
    Z3_config cfg = Z3_mk_config();
    Z3_context c;

    Z3_set_param_value(cfg, "model", "true");
    c = Z3_mk_context(cfg);
    Z3_del_config(cfg);
    if (c)
        Z3_set_error_handler(c, ignore_error);
    return c;
}

void xt_z3_context_free(Z3_context c)
{
    if (c)
        Z3_del_context(c);
}

char *xt_z3_strdup(Z3_string s)
{
    return strdup(s ? s : "");
}

int xt_z3_failed(Z3_context c, const char *what, xt_error_t *err)
{
    Z3_error_code code = Z3_get_error_code(c);

    if (code == Z3_OK)
        return 0;
    xt_error_set(err, "Z3 failed in %s: %s", what,
                 Z3_get_error_msg(c, code));
    return 1;
}

Z3_ast xt_z3_mk_rational(Z3_context c, const mpq_t q)
{
    char *text = mpq_get_str(NULL, 10, q);
    Z3_ast value = Z3_mk_numeral(c, text, Z3_mk_real_sort(c));

    free(text);
    return value;
}

/* Parses the numeral value (a rational) of a Z3 term into q. */
static int numeral_to_q(mpq_t q, Z3_context c, Z3_ast value,
                        xt_error_t *err)
{
    char *text = xt_z3_strdup(Z3_get_numeral_string(c, value));
    int status = XT_OK;

    if (xt_z3_failed(c, "Z3_get_numeral_string", err)) {
        status = XT_ERR_INTERNAL;
    } else if (!text || xt_rat_parse(q, text) != 0) {
        xt_error_set(err, "Z3 returned the numeral \"%.60s\", which is not "
                     "a rational", text ? text : "");
        status = XT_ERR_INTERNAL;
    }
    free(text);
    return status;
}

/* Reads the coefficients of the polynomial of an algebraic number. */
static int get_poly(xt_poly *p, Z3_context c, Z3_ast value,
                    xt_error_t *err)
{
    Z3_ast_vector coefs = Z3_algebraic_get_poly(c, value);
    mpq_t q;
    unsigned size;
    int status = XT_OK;

    if (xt_z3_failed(c, "Z3_algebraic_get_poly", err))
        return XT_ERR_INTERNAL;
    Z3_ast_vector_inc_ref(c, coefs);
    size = Z3_ast_vector_size(c, coefs);
    mpq_init(q);
    xt_poly_reserve(p, size > 0 ? (int)size - 1 : 0);
    p->deg = (int)size - 1;
    for (unsigned i = 0; i < size && status == XT_OK; i++) {
        status = numeral_to_q(q, c, Z3_ast_vector_get(c, coefs, i), err);
        if (status == XT_OK && mpz_cmp_ui(mpq_denref(q), 1) != 0) {
            xt_error_set(err, "Z3 returned a polynomial with a fractional "
                         "coefficient");
            status = XT_ERR_INTERNAL;
        }
        mpz_set(p->c[i], mpq_numref(q));
    }
    mpq_clear(q);
    Z3_ast_vector_dec_ref(c, coefs);
    xt_poly_normalize(p);
    return status;
}

int xt_z3_get_algebraic(xt_algebraic_t out, Z3_context c, Z3_ast value,
                        xt_error_t *err)
{
    xt_poly p;
    mpq_t lo, hi;
    int status;

    if (Z3_is_numeral_ast(c, value)) {
        mpq_init(lo);
        status = numeral_to_q(lo, c, value, err);
        if (status == XT_OK)
            xt_algebraic_set_q(out, lo);
        mpq_clear(lo);
        return status;
    }
    if (!Z3_is_algebraic_number(c, value)) {
        xt_error_set(err, "Z3 returned a value that is neither a numeral "
                     "nor an algebraic number");
        return XT_ERR_INTERNAL;
    }
    xt_poly_init(&p);
    mpq_inits(lo, hi, NULL);
    status = get_poly(&p, c, value, err);
    if (status == XT_OK)
        status = numeral_to_q(lo, c, Z3_get_algebraic_number_lower(
                                  c, value, Z3_INTERVAL_DIGITS), err);
    if (status == XT_OK)
        status = numeral_to_q(hi, c, Z3_get_algebraic_number_upper(
                                  c, value, Z3_INTERVAL_DIGITS), err);
    if (status == XT_OK &&
        xt_algebraic_set_poly_interval(out, &p, lo, hi, err) != XT_OK) {
        xt_error_set(err, "Z3's isolating interval for an algebraic number "
                     "does not hold exactly one root of its polynomial");
        status = XT_ERR_INTERNAL;
    }
    mpq_clears(lo, hi, NULL);
    xt_poly_clear(&p);
    return status;
}

/* The polynomial p as a Z3 term in the free variable 0, the form
 * Z3_algebraic_roots expects. */
static Z3_ast mk_poly(Z3_context c, const xt_poly *p)
{
    Z3_sort real = Z3_mk_real_sort(c);
    Z3_ast x = Z3_mk_bound(c, 0, real);
    Z3_ast *terms = malloc((size_t)(p->deg + 1) * sizeof *terms);
    Z3_ast power = Z3_mk_int(c, 1, real), sum;
    mpq_t q;
    unsigned count = 0;

    if (!terms)
        return NULL;
    mpq_init(q);
    for (int i = 0; i <= p->deg; i++) {
        if (mpz_sgn(p->c[i]) != 0) {
            mpq_set_z(q, p->c[i]);
            Z3_ast factors[2] = {xt_z3_mk_rational(c, q), power};
            terms[count++] = Z3_mk_mul(c, 2, factors);
        }
        Z3_ast next[2] = {power, x};
        power = Z3_mk_mul(c, 2, next);
    }
    sum = Z3_mk_add(c, count, terms);
    mpq_clear(q);
    free(terms);
    return sum;
}

Z3_ast xt_z3_mk_algebraic(Z3_context c, const xt_algebraic_t a,
                          xt_error_t *err)
{
    xt_poly p;
    Z3_ast_vector roots;
    Z3_ast lo, hi, found = NULL;
    unsigned matches = 0;

    if (a->degree == 0)
        return xt_z3_mk_rational(c, a->lo);
    xt_poly_init(&p);
    xt_algebraic_get_poly(&p, a);
    roots = Z3_algebraic_roots(c, mk_poly(c, &p), 0, NULL);
    xt_poly_clear(&p);
    if (xt_z3_failed(c, "Z3_algebraic_roots", err))
        return NULL;
    Z3_ast_vector_inc_ref(c, roots);
    lo = xt_z3_mk_rational(c, a->lo);
    hi = xt_z3_mk_rational(c, a->hi);
    for (unsigned i = 0; i < Z3_ast_vector_size(c, roots); i++) {
        Z3_ast r = Z3_ast_vector_get(c, roots, i);
        if (Z3_algebraic_lt(c, lo, r) && Z3_algebraic_lt(c, r, hi)) {
            found = r;
            matches++;
        }
    }
    /* Terms read from a vector die with it, even in a context without
     * reference counting; the context's deletion frees this one. */
    if (found)
        Z3_inc_ref(c, found);
    Z3_ast_vector_dec_ref(c, roots);
    if (xt_z3_failed(c, "Z3_algebraic_lt", err))
        return NULL;
    if (matches != 1) {
        xt_error_set(err, "Z3 finds %u roots of an algebraic number's "
                     "polynomial in its isolating interval, not one",
                     matches);
        return NULL;
    }
    return found;
}

unsigned xt_z3_root_index(Z3_context c, Z3_ast value)
{
    /* Z3 4.8.12 computes the index only while printing the value. */
    (void)Z3_ast_to_string(c, value);
    return Z3_algebraic_get_i(c, value);
}
