/* Tests of the exact LP solver: hand-solved optima, infeasible and
 * unbounded problems, edge cases, Beale's cycling example, huge
 * coefficients, and random LPs cross-checked between GLPK with exact
 * re-derivation and the exact mpq simplex.  Every certificate is checked
 * again by lp_cert_check.h, which shares no code with src/lp. */
#include <time.h>
#include "xt_test.h"
#include "xtrain/lp.h"
#include "lp_cert_check.h"

/* Parses whitespace-separated rationals from text into v. */
static void parse_vec(mpq_t *v, int n, const char *text)
{
    const char *s = text;
    for (int j = 0; j < n; j++) {
        while (*s == ' ')
            s++;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (xt_rat_parse_n(v[j], s, (size_t)(e - s)) != 0)
            XT_FAIL("bad rational in \"%s\"", text);
        s = e;
    }
}

static void add_row(xt_lp_t lp, const char *coef, xt_row_type type,
                    const char *rhs)
{
    mpq_t *a = xt_rat_array_new((size_t)lp->ncols + 1);
    mpq_t b;
    mpq_init(b);
    parse_vec(a, lp->ncols, coef);
    parse_vec(&b, 1, rhs);
    xt_lp_add_row(lp, (const mpq_t *)a, type, b);
    mpq_clear(b);
    xt_rat_array_free(a, (size_t)lp->ncols + 1);
}

static void set_objective(xt_lp_t lp, const char *c)
{
    parse_vec(lp->c, lp->ncols, c);
}

/* Solves with method, checks the return code, status and certificate. */
static void solve_checked(xt_lp_result_t res, const xt_lp_t lp,
                          xt_lp_method method, xt_lp_status want)
{
    xt_error_t err;
    int rc = xt_lp_solve_method(res, lp, method, &err);
    if (rc != XT_OK) {
        XT_FAIL("solve returned %d: %s", rc, err.message);
        return;
    }
    XT_CHECK_INT(res->status, want);
    XT_CHECK(lp_cert_check(lp, res));
}

/* Both methods: same status and certificate checks; returns nothing but
 * leaves the AUTO result in res. */
static void solve_both(xt_lp_result_t res, const xt_lp_t lp,
                       xt_lp_status want)
{
    solve_checked(res, lp, XT_LP_METHOD_EXACT, want);
    solve_checked(res, lp, XT_LP_METHOD_AUTO, want);
}

static void test_hand_solved(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    /* min -x - y s.t. x, y >= 0, x + 2y <= 4, 3x + y <= 6: the optimum
     * is where both <= rows are tight, x = 8/5, y = 6/5, with duals 2/5
     * and 1/5 on those rows. */
    xt_lp_init(lp, 2);
    xt_lp_result_init(res);
    set_objective(lp, "-1 -1");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "0 1", XT_ROW_GE, "0");
    add_row(lp, "-1 -2", XT_ROW_GE, "-4");
    add_row(lp, "-3 -1", XT_ROW_GE, "-6");
    for (int method = 0; method < 2; method++) {
        solve_checked(res, lp, (xt_lp_method)method, XT_LP_OPTIMAL);
        XT_CHECK_RAT(res->value, "-14/5");
        XT_CHECK_RAT(res->x[0], "8/5");
        XT_CHECK_RAT(res->x[1], "6/5");
        XT_CHECK_RAT(res->y[0], "0");
        XT_CHECK_RAT(res->y[2], "2/5");
        XT_CHECK_RAT(res->y[3], "1/5");
    }
    XT_CHECK_INT(res->used_exact_fallback, 0);
    xt_lp_clear(lp);

    /* Rational data: min x s.t. (1/3) x >= 1/7 gives x = 3/7, y = 3. */
    xt_lp_init(lp, 1);
    set_objective(lp, "1");
    add_row(lp, "1/3", XT_ROW_GE, "1/7");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "3/7");
    XT_CHECK_RAT(res->y[0], "3");
    XT_CHECK_RAT(res->value, "3/7");
    xt_lp_clear(lp);

    /* Equality: min 2x + y s.t. x + y = 1, x, y >= 0: x = 0, y = 1, and
     * the EQ multiplier is 1 (free sign). */
    xt_lp_init(lp, 2);
    set_objective(lp, "2 1");
    add_row(lp, "1 1", XT_ROW_EQ, "1");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "0 1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "1");
    XT_CHECK_RAT(res->x[0], "0");
    XT_CHECK_RAT(res->x[1], "1");
    XT_CHECK_RAT(res->y[0], "1");
    XT_CHECK_RAT(res->y[1], "1");
    xt_lp_clear(lp);

    /* Negative EQ multiplier: max x s.t. x = 5/2 (min -x). */
    xt_lp_init(lp, 1);
    set_objective(lp, "-1");
    add_row(lp, "2", XT_ROW_EQ, "5");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "5/2");
    XT_CHECK_RAT(res->y[0], "-1/2");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_infeasible(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    xt_lp_result_init(res);
    /* x >= 1 and x <= 0. */
    xt_lp_init(lp, 1);
    set_objective(lp, "1");
    add_row(lp, "1", XT_ROW_GE, "1");
    add_row(lp, "-1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    XT_CHECK_RAT(res->value, "0");
    xt_lp_clear(lp);

    /* Equalities x + y = 1 and 2x + 2y = 3. */
    xt_lp_init(lp, 2);
    add_row(lp, "1 1", XT_ROW_EQ, "1");
    add_row(lp, "2 2", XT_ROW_EQ, "3");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);

    /* Mixed: x + y = 1, x >= 1/2, y >= 2/3. */
    xt_lp_init(lp, 2);
    set_objective(lp, "1 -1");
    add_row(lp, "1 1", XT_ROW_EQ, "1");
    add_row(lp, "1 0", XT_ROW_GE, "1/2");
    add_row(lp, "0 1", XT_ROW_GE, "2/3");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_unbounded(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    xt_lp_result_init(res);
    /* min -x - 2y s.t. x >= 0, y >= x. */
    xt_lp_init(lp, 2);
    set_objective(lp, "-1 -2");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "-1 1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_UNBOUNDED);
    xt_lp_clear(lp);

    /* A free direction no row touches: min z s.t. x + y >= 1. */
    xt_lp_init(lp, 3);
    set_objective(lp, "0 0 1");
    add_row(lp, "1 1 0", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_UNBOUNDED);
    XT_CHECK_RAT(res->x[0], "0");
    XT_CHECK_RAT(res->x[1], "0");
    XT_CHECK(mpq_sgn(res->x[2]) < 0);
    xt_lp_clear(lp);

    /* Infeasible beats unbounded: min -x s.t. y >= 1, -y >= 0. */
    xt_lp_init(lp, 2);
    set_objective(lp, "-1 0");
    add_row(lp, "0 1", XT_ROW_GE, "1");
    add_row(lp, "0 -1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_edge_cases(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    xt_lp_result_init(res);
    /* No rows, c = 0: x = 0 is optimal. */
    xt_lp_init(lp, 3);
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "0");
    /* No rows, c != 0: unbounded along -c. */
    set_objective(lp, "1 0 -2");
    solve_both(res, lp, XT_LP_UNBOUNDED);
    xt_lp_clear(lp);

    /* No columns. */
    xt_lp_init(lp, 0);
    solve_both(res, lp, XT_LP_OPTIMAL);
    add_row(lp, "", XT_ROW_GE, "-1");
    add_row(lp, "", XT_ROW_EQ, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_INT(res->nrows, 2);
    add_row(lp, "", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    XT_CHECK_RAT(res->y[2], "1");
    xt_lp_truncate(lp, 2, 0);
    add_row(lp, "", XT_ROW_EQ, "-3");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    XT_CHECK_RAT(res->y[2], "-1");
    xt_lp_clear(lp);

    /* All-zero rows among real ones: 0 >= -1 is ignored (multiplier 0),
     * 0 >= 1 makes the LP infeasible. */
    xt_lp_init(lp, 2);
    set_objective(lp, "1 1");
    add_row(lp, "0 0", XT_ROW_GE, "-1");
    add_row(lp, "1 0", XT_ROW_GE, "2");
    add_row(lp, "0 1", XT_ROW_GE, "3");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "5");
    XT_CHECK_RAT(res->y[0], "0");
    add_row(lp, "0 0", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);

    /* Duplicated and scaled copies of rows, and a degenerate vertex:
     * min x + y s.t. x >= 0 (three times), 2y >= 0, x + y >= 0, x - y >= 0,
     * 3x + 3y = 0 twice. */
    xt_lp_init(lp, 2);
    set_objective(lp, "1 2");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "2 0", XT_ROW_GE, "0");
    add_row(lp, "0 2", XT_ROW_GE, "0");
    add_row(lp, "1 1", XT_ROW_GE, "0");
    add_row(lp, "1 -1", XT_ROW_GE, "0");
    add_row(lp, "3 3", XT_ROW_EQ, "0");
    add_row(lp, "1 1", XT_ROW_EQ, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "0");
    xt_lp_clear(lp);

    /* Invalid row type is rejected. */
    xt_lp_init(lp, 1);
    add_row(lp, "1", XT_ROW_GE, "0");
    lp->type[0] = (xt_row_type)7;
    xt_error_t err;
    XT_CHECK_INT(xt_lp_solve(res, lp, &err), XT_ERR_INPUT);
    XT_CHECK_INT(res->status, XT_LP_ERROR);
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

/* Beale's example ("Cycling in the dual simplex algorithm", Naval Res.
 * Logist. Quart. 2, 1955), which cycles under Dantzig's rule with the
 * usual tie-breaking:
 *   min -3/4 x1 + 20 x2 - 1/2 x3 + 6 x4
 *   s.t. 1/4 x1 - 8 x2 - x3 + 9 x4 <= 0
 *        1/2 x1 - 12 x2 - 1/2 x3 + 3 x4 <= 0
 *        x3 <= 1,  x >= 0.
 * Optimum -5/4 at x = (1, 0, 1, 0). */
static void test_beale(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    xt_lp_init(lp, 4);
    xt_lp_result_init(res);
    set_objective(lp, "-3/4 20 -1/2 6");
    add_row(lp, "-1/4 8 1 -9", XT_ROW_GE, "0");
    add_row(lp, "-1/2 12 1/2 -3", XT_ROW_GE, "0");
    add_row(lp, "0 0 -1 0", XT_ROW_GE, "-1");
    add_row(lp, "1 0 0 0", XT_ROW_GE, "0");
    add_row(lp, "0 1 0 0", XT_ROW_GE, "0");
    add_row(lp, "0 0 1 0", XT_ROW_GE, "0");
    add_row(lp, "0 0 0 1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "-5/4");
    XT_CHECK_RAT(res->x[0], "1");
    XT_CHECK_RAT(res->x[2], "1");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_huge(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;

    xt_lp_result_init(res);
    /* 2^60 + 1 does not fit a double: GLPK is skipped.
     * min x s.t. (2^60 + 1) x - y >= 1, y >= 0: x = 1 / (2^60 + 1). */
    xt_lp_init(lp, 2);
    set_objective(lp, "1 0");
    add_row(lp, "1152921504606846977 -1", XT_ROW_GE, "1");
    add_row(lp, "0 1", XT_ROW_GE, "0");
    solve_checked(res, lp, XT_LP_METHOD_AUTO, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "1/1152921504606846977");
    XT_CHECK_RAT(res->y[0], "1/1152921504606846977");
    XT_CHECK_INT(res->used_exact_fallback, 1);
    xt_lp_clear(lp);

    /* 2^53 - 1 fits (GLPK used); 2^53 itself does not. */
    xt_lp_init(lp, 1);
    set_objective(lp, "1");
    add_row(lp, "9007199254740991", XT_ROW_GE, "3");
    solve_checked(res, lp, XT_LP_METHOD_AUTO, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "3/9007199254740991");
    XT_CHECK_INT(res->used_exact_fallback, 0);
    add_row(lp, "9007199254740992", XT_ROW_GE, "5");
    solve_checked(res, lp, XT_LP_METHOD_AUTO, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "5/9007199254740992");
    XT_CHECK_INT(res->used_exact_fallback, 1);
    xt_lp_clear(lp);

    /* Tiny fractions whose common denominator is huge. */
    xt_lp_init(lp, 2);
    set_objective(lp, "1 1");
    add_row(lp, "1/1000000007 1/998244353", XT_ROW_GE,
            "1/1000000000000000003");
    add_row(lp, "1 0", XT_ROW_GE, "0");
    add_row(lp, "0 1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    /* y buys more of the row per unit cost (998244353 < 1000000007):
     * y = 998244353 / 1000000000000000003 and x = 0. */
    XT_CHECK_RAT(res->value, "998244353/1000000000000000003");
    XT_CHECK_RAT(res->x[0], "0");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static long rand_range(uint64_t *s, long lo, long hi)
{
    return lo + (long)(xt_test_rand(s) % (uint64_t)(hi - lo + 1));
}

static void rand_rational(mpq_t q, uint64_t *s, long lim, long maxden)
{
    mpq_set_si(q, rand_range(s, -lim, lim), (unsigned long)
               rand_range(s, 1, maxden));
    mpq_canonicalize(q);
}

/* Makes a random LP.  Its rows pass through a planted point with random
 * slack (often 0, so vertices are degenerate), and some are duplicated or
 * EQ.  Some LPs get a box so that they are bounded, and some get random
 * right-hand sides instead of the planted point. */
static void random_lp(xt_lp_t lp, uint64_t *s, int n, int m, long maxden)
{
    mpq_t *x0 = xt_rat_array_new((size_t)n), *a = xt_rat_array_new(
        (size_t)n);
    mpq_t b, t;
    int planted = rand_range(s, 0, 3) != 0, box = rand_range(s, 0, 3) != 0;

    mpq_inits(b, t, NULL);
    xt_lp_init(lp, n);
    for (int j = 0; j < n; j++) {
        rand_rational(x0[j], s, 3, maxden);
        rand_rational(lp->c[j], s, 5, maxden);
    }
    for (int i = 0; i < m; i++) {
        if (i > 0 && rand_range(s, 0, 9) == 0) {
            /* a scaled duplicate of the previous row */
            int prev = lp->nrows - 1;
            for (int j = 0; j < n; j++)
                mpq_add(a[j], lp->a[prev * n + j], lp->a[prev * n + j]);
            mpq_add(b, lp->b[prev], lp->b[prev]);
            xt_lp_add_row(lp, (const mpq_t *)a, lp->type[prev], b);
            continue;
        }
        for (int j = 0; j < n; j++)
            rand_rational(a[j], s, 4, maxden);
        int eq = rand_range(s, 0, 9) == 0;
        if (planted) {
            mpq_set_ui(b, 0, 1);
            for (int j = 0; j < n; j++) {
                mpq_mul(t, a[j], x0[j]);
                mpq_add(b, b, t);
            }
            if (!eq && rand_range(s, 0, 1)) {
                mpq_set_si(t, rand_range(s, 1, 2), 1);
                mpq_sub(b, b, t);
            }
        } else {
            rand_rational(b, s, 6, maxden);
        }
        xt_lp_add_row(lp, (const mpq_t *)a, eq ? XT_ROW_EQ : XT_ROW_GE, b);
    }
    for (int j = 0; box && j < n; j++) {
        for (int k = 0; k < n; k++)
            mpq_set_si(a[k], k == j, 1);
        mpq_set_si(b, -10, 1);
        xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
        mpq_set_si(a[j], -1, 1);
        xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
    }
    mpq_clears(b, t, NULL);
    xt_rat_array_free(x0, (size_t)n);
    xt_rat_array_free(a, (size_t)n);
}

static void test_random(void)
{
    uint64_t s = xt_test_seed();
    long rounds = xt_test_scale(300);
    int seen[3] = {0, 0, 0};
    xt_lp_result_t auto_res, exact_res;
    xt_error_t err;

    xt_lp_result_init(auto_res);
    xt_lp_result_init(exact_res);
    for (long r = 0; r < rounds; r++) {
        xt_lp_t lp;
        int n = (int)rand_range(&s, 1, 7), m = (int)rand_range(&s, 0, 30);
        random_lp(lp, &s, n, m, r % 3 == 0 ? 4 : 1);
        int rc1 = xt_lp_solve_method(auto_res, lp, XT_LP_METHOD_AUTO, &err);
        int rc2 = xt_lp_solve_method(exact_res, lp, XT_LP_METHOD_EXACT,
                                     &err);
        XT_CHECK_INT(rc1, XT_OK);
        XT_CHECK_INT(rc2, XT_OK);
        XT_CHECK(lp_cert_check(lp, auto_res));
        XT_CHECK(lp_cert_check(lp, exact_res));
        XT_CHECK_INT(auto_res->status, exact_res->status);
        if (auto_res->status == XT_LP_OPTIMAL)
            XT_CHECK(mpq_equal(auto_res->value, exact_res->value));
        if (auto_res->status <= XT_LP_UNBOUNDED)
            seen[auto_res->status]++;
        xt_lp_clear(lp);
    }
    /* The generator must reach every outcome. */
    XT_CHECK(seen[XT_LP_OPTIMAL] > 0);
    XT_CHECK(seen[XT_LP_INFEASIBLE] > 0);
    XT_CHECK(seen[XT_LP_UNBOUNDED] > 0);
    xt_lp_result_clear(auto_res);
    xt_lp_result_clear(exact_res);
}

/* Nearly parallel rows with entries up to 2^51 (all fit a double, but
 * GLPK's arithmetic on them is inexact): GLPK's final basis often fails
 * the exact check, and the exact simplex must finish from its vertex. */
static void test_glpk_stress(void)
{
    uint64_t s = xt_test_seed() + 3;
    long rounds = xt_test_scale(150), fallbacks = 0;
    xt_lp_result_t auto_res, exact_res;
    xt_error_t err;

    xt_lp_result_init(auto_res);
    xt_lp_result_init(exact_res);
    for (long r = 0; r < rounds; r++) {
        xt_lp_t lp;
        int n = 2 + (int)(r % 4);
        long big = 1L << (40 + r % 12);
        mpq_t *a = xt_rat_array_new((size_t)n);
        mpq_t b;
        mpq_init(b);
        xt_lp_init(lp, n);
        for (int j = 0; j < n; j++)
            mpq_set_si(lp->c[j], big + rand_range(&s, -3, 3), 1);
        for (int i = 0; i < 3 * n; i++) {
            for (int j = 0; j < n; j++)
                mpq_set_si(a[j], (r % 2 ? big : 1) + rand_range(&s, -5, 5),
                           1);
            mpq_set_si(b, big + rand_range(&s, -100, 100), 1);
            xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++)
                mpq_set_si(a[k], j == k, 1);
            mpq_set_si(b, 0, 1);
            xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
        }
        XT_CHECK_INT(xt_lp_solve(auto_res, lp, &err), XT_OK);
        XT_CHECK_INT(xt_lp_solve_method(exact_res, lp, XT_LP_METHOD_EXACT,
                                        &err), XT_OK);
        XT_CHECK(lp_cert_check(lp, auto_res));
        XT_CHECK_INT(auto_res->status, exact_res->status);
        XT_CHECK(mpq_equal(auto_res->value, exact_res->value));
        fallbacks += auto_res->used_exact_fallback;
        mpq_clear(b);
        xt_rat_array_free(a, (size_t)n);
        xt_lp_clear(lp);
    }
    printf("glpk stress: %ld of %ld solves fell back to the exact "
           "simplex\n", fallbacks, rounds);
    xt_lp_result_clear(auto_res);
    xt_lp_result_clear(exact_res);
}

/* Many rows through one vertex: every basis there is degenerate. */
static void test_degenerate_apex(void)
{
    uint64_t s = xt_test_seed() + 7;
    xt_lp_result_t res;
    xt_lp_result_init(res);
    for (int r = 0; r < 30; r++) {
        xt_lp_t lp;
        int n = 3 + r % 4;
        mpq_t *a = xt_rat_array_new((size_t)n);
        mpq_t zero;
        mpq_init(zero);
        xt_lp_init(lp, n);
        /* rows a . x >= 0 with a in the cone of e_1..e_n: x = 0 is the
         * apex, and min (1,..,1) . x is 0 there */
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < n; j++)
                mpq_set_si(a[j], rand_range(&s, 0, 3), 1);
            mpq_set_si(a[i % n], rand_range(&s, 1, 3), 1);
            xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, zero);
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < n; k++)
                mpq_set_si(a[k], k == j, 1);
            xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, zero);
            mpq_set_si(lp->c[j], rand_range(&s, 1, 5), 1);
        }
        solve_both(res, lp, XT_LP_OPTIMAL);
        XT_CHECK_RAT(res->value, "0");
        mpq_clear(zero);
        xt_rat_array_free(a, (size_t)n);
        xt_lp_clear(lp);
    }
    xt_lp_result_clear(res);
}

/* Time per solve of bounded, feasible 7-variable, 60-row LPs. */
static void report_timing(void)
{
    uint64_t s = 99;
    enum { COUNT = 40, REPEAT = 5 };
    xt_lp_t lps[COUNT];
    xt_lp_result_t res;
    xt_error_t err;

    xt_lp_result_init(res);
    for (int i = 0; i < COUNT; i++) {
        do {
            random_lp(lps[i], &s, 7, 46, 1);
            if (lps[i]->nrows == 60 &&
                xt_lp_solve(res, lps[i], &err) == XT_OK &&
                res->status == XT_LP_OPTIMAL)
                break;
            xt_lp_clear(lps[i]);
        } while (1);
    }
    for (int method = 0; method < 2; method++) {
        clock_t t0 = clock();
        long fallbacks = 0;
        for (int rep = 0; rep < REPEAT; rep++)
            for (int i = 0; i < COUNT; i++) {
                xt_lp_solve_method(res, lps[i], (xt_lp_method)method, &err);
                fallbacks += res->used_exact_fallback;
            }
        double us = 1e6 * (double)(clock() - t0) / CLOCKS_PER_SEC /
                    (COUNT * REPEAT);
        printf("timing: 7-variable 60-row LP, %s: %.1f us per solve "
               "(%ld exact fallbacks)\n",
               method == 0 ? "auto" : "exact", us, fallbacks);
    }
    for (int i = 0; i < COUNT; i++)
        xt_lp_clear(lps[i]);
    xt_lp_result_clear(res);
}

int main(void)
{
    xt_test_seed();
    test_hand_solved();
    test_infeasible();
    test_unbounded();
    test_edge_cases();
    test_beale();
    test_huge();
    test_random();
    test_degenerate_apex();
    test_glpk_stress();
    report_timing();
    return xt_test_finish("test_lp");
}
