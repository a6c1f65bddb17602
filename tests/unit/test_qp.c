/* Tests of the exact least-squares QP solver: hand-solved optima,
 * singular M with a non-unique minimizer, unbounded and infeasible QPs,
 * degenerate optima, huge coefficients, and random QPs cross-checked
 * between methods and against feasible sample points.  lp_cert_check.h
 * re-verifies every KKT certificate independently; for a convex QP that
 * check alone proves optimality. */
#include <time.h>
#include "xt_test.h"
#include "xtrain/lp.h"
#include "lp_cert_check.h"

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

static void add_square(xt_lp_t lp, const char *coef, const char *target)
{
    mpq_t *a = xt_rat_array_new((size_t)lp->ncols + 1);
    mpq_t t;
    mpq_init(t);
    parse_vec(a, lp->ncols, coef);
    parse_vec(&t, 1, target);
    xt_lp_add_square(lp, (const mpq_t *)a, t);
    mpq_clear(t);
    xt_rat_array_free(a, (size_t)lp->ncols + 1);
}

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
    xt_lp_result_init(res);

    /* min (x - 1)^2 + (y - 2)^2, no rows: x = 1, y = 2, value 0. */
    xt_lp_init(lp, 2);
    add_square(lp, "1 0", "1");
    add_square(lp, "0 1", "2");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "1");
    XT_CHECK_RAT(res->x[1], "2");
    XT_CHECK_RAT(res->value, "0");

    /* Add x + y <= 1: the projection of (1, 2) is (0, 1), value 2, and
     * the gradient 2 (x - 1, y - 2) = (-2, -2) = y_0 (-1, -1), y_0 = 2. */
    add_row(lp, "-1 -1", XT_ROW_GE, "-1");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "0");
    XT_CHECK_RAT(res->x[1], "1");
    XT_CHECK_RAT(res->value, "2");
    XT_CHECK_RAT(res->y[0], "2");

    /* The same row as an equality, written with fractions. */
    xt_lp_truncate(lp, 0, 2);
    add_row(lp, "1/3 1/3", XT_ROW_EQ, "1/3");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "2");
    XT_CHECK_RAT(res->y[0], "-6");
    xt_lp_clear(lp);

    /* Linear term: min (x - 1)^2 + y s.t. y >= x.  On y = x the objective
     * is (x - 1)^2 + x, least at x = 1/2: value 3/4. */
    xt_lp_init(lp, 2);
    mpq_set_ui(lp->c[1], 1, 1);
    add_square(lp, "1 0", "1");
    add_row(lp, "-1 1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "1/2");
    XT_CHECK_RAT(res->x[1], "1/2");
    XT_CHECK_RAT(res->value, "3/4");
    XT_CHECK_RAT(res->y[0], "1");
    xt_lp_clear(lp);

    /* A fit: min (w - 1)^2 + (2w - 1)^2 + (3w - 4)^2, w >= 0:
     * w = (1 + 2 + 12) / 14 = 15/14, value 1 + 1 + 16 - 225/14 = 27/14. */
    xt_lp_init(lp, 1);
    add_square(lp, "1", "1");
    add_square(lp, "2", "1");
    add_square(lp, "3", "4");
    add_row(lp, "1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "15/14");
    XT_CHECK_RAT(res->value, "27/14");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_singular(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;
    xt_lp_result_init(res);

    /* min (x + y - 1)^2 s.t. x + y >= 3: every point of x + y = 3 is a
     * minimizer, value 4. */
    xt_lp_init(lp, 2);
    add_square(lp, "1 1", "1");
    add_row(lp, "1 1", XT_ROW_GE, "3");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "4");
    xt_lp_clear(lp);

    /* Collinear data: the same point three times, and a variable that is
     * in no square (an inactive neuron): min (a + b - 2)^2 * 3 over
     * a, b, z with z >= -1 and a - b >= 0: value 0. */
    xt_lp_init(lp, 3);
    for (int k = 0; k < 3; k++)
        add_square(lp, "1 1 0", "2");
    add_row(lp, "0 0 1", XT_ROW_GE, "-1");
    add_row(lp, "1 -1 0", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "0");

    /* A linear cost on the free variable z makes it unbounded, and
     * z >= -1 bounds it again: value -1... plus the 3 (a + b - 2)^2 = 0. */
    mpq_set_ui(lp->c[2], 1, 1);
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "-1");
    XT_CHECK_RAT(res->x[2], "-1");
    xt_lp_truncate(lp, 0, 3);
    solve_both(res, lp, XT_LP_UNBOUNDED);
    XT_CHECK(mpq_sgn(res->x[2]) < 0);
    xt_lp_clear(lp);

    /* Least squares with a rank-deficient M and constraints that cut the
     * minimizer set: min (x + 2y - 4)^2 + (2x + 4y - 8)^2 + (z - 1)^2,
     * x >= 3, y >= 1: x + 2y >= 5 so the value is 5 * 1 + 0 = 5. */
    xt_lp_init(lp, 3);
    add_square(lp, "1 2 0", "4");
    add_square(lp, "2 4 0", "8");
    add_square(lp, "0 0 1", "1");
    add_row(lp, "1 0 0", XT_ROW_GE, "3");
    add_row(lp, "0 1 0", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "5");
    XT_CHECK_RAT(res->x[0], "3");
    XT_CHECK_RAT(res->x[1], "1");
    XT_CHECK_RAT(res->x[2], "1");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_unbounded_infeasible(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;
    xt_lp_result_init(res);

    /* min (x - 1)^2 + y s.t. y <= 0: unbounded along (0, -1). */
    xt_lp_init(lp, 2);
    mpq_set_ui(lp->c[1], 1, 1);
    add_square(lp, "1 0", "1");
    add_row(lp, "0 -1", XT_ROW_GE, "0");
    solve_both(res, lp, XT_LP_UNBOUNDED);
    XT_CHECK_RAT(res->x[0], "0");
    XT_CHECK(mpq_sgn(res->x[1]) < 0);
    /* y >= -7 makes it bounded: x = 1, y = -7. */
    add_row(lp, "0 1", XT_ROW_GE, "-7");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "-7");
    /* y >= 1 and y <= 0: infeasible. */
    add_row(lp, "0 1", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);

    /* Infeasible equalities in a QP. */
    xt_lp_init(lp, 2);
    add_square(lp, "1 1", "0");
    add_row(lp, "1 -1", XT_ROW_EQ, "1");
    add_row(lp, "-2 2", XT_ROW_EQ, "1");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static void test_edge_cases(void)
{
    xt_lp_t lp;
    xt_lp_result_t res;
    xt_lp_result_init(res);

    /* No columns: the value is ||t||^2. */
    xt_lp_init(lp, 0);
    add_square(lp, "", "3");
    add_square(lp, "", "-1/2");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "37/4");
    add_row(lp, "", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_INFEASIBLE);
    xt_lp_clear(lp);

    /* M = 0 (a QP in form, an LP in fact): min ||0 x - 2||^2 + x,
     * x >= 1: value 4 + 1. */
    xt_lp_init(lp, 1);
    mpq_set_ui(lp->c[0], 1, 1);
    add_square(lp, "0", "2");
    add_row(lp, "1", XT_ROW_GE, "1");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "5");
    xt_lp_clear(lp);

    /* Degenerate optimum: the unconstrained minimizer (1, 1) violates
     * x + y <= 1, and many rows pass through the optimum (1/2, 1/2),
     * some duplicated. */
    xt_lp_init(lp, 2);
    add_square(lp, "1 0", "1");
    add_square(lp, "0 1", "1");
    add_row(lp, "-1 -1", XT_ROW_GE, "-1");
    add_row(lp, "-2 -2", XT_ROW_GE, "-2");
    add_row(lp, "-1 1", XT_ROW_GE, "0");
    add_row(lp, "1 -1", XT_ROW_GE, "0");
    add_row(lp, "-3 -1", XT_ROW_GE, "-2");
    add_row(lp, "-1 -3", XT_ROW_GE, "-2");
    add_row(lp, "-1 -1", XT_ROW_GE, "-1");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->value, "1/2");
    XT_CHECK_RAT(res->x[0], "1/2");
    XT_CHECK_RAT(res->x[1], "1/2");
    xt_lp_clear(lp);

    /* Huge data (beyond 2^53): min (x - 2^70)^2 s.t. (2^60 + 1) x <= 1. */
    xt_lp_init(lp, 1);
    add_square(lp, "1", "1180591620717411303424");
    add_row(lp, "-1152921504606846977", XT_ROW_GE, "-1");
    solve_both(res, lp, XT_LP_OPTIMAL);
    XT_CHECK_RAT(res->x[0], "1/1152921504606846977");
    xt_lp_clear(lp);
    xt_lp_result_clear(res);
}

static long rand_range(uint64_t *s, long lo, long hi)
{
    return lo + (long)(xt_test_rand(s) % (uint64_t)(hi - lo + 1));
}

/* A random QP: rows through a planted point x0 (often tight, some EQ,
 * some duplicated), squares with dependent rows so that M is often
 * singular, and sometimes a linear term and a box. */
static void random_qp(xt_lp_t lp, mpq_t *x0, uint64_t *s, int n, int m,
                      int p)
{
    mpq_t *a = xt_rat_array_new((size_t)n);
    mpq_t b, t;
    int box = rand_range(s, 0, 2) != 0, linear = rand_range(s, 0, 2) == 0;

    mpq_inits(b, t, NULL);
    xt_lp_init(lp, n);
    for (int j = 0; j < n; j++) {
        mpq_set_si(x0[j], rand_range(s, -3, 3), (unsigned long)
                   rand_range(s, 1, 2));
        mpq_canonicalize(x0[j]);
        if (linear)
            mpq_set_si(lp->c[j], rand_range(s, -3, 3), 1);
    }
    for (int k = 0; k < p; k++) {
        if (k > 0 && rand_range(s, 0, 3) == 0) {
            for (int j = 0; j < n; j++)
                mpq_mul_2exp(a[j], lp->m[(k - 1) * n + j], 1);
        } else {
            for (int j = 0; j < n; j++)
                mpq_set_si(a[j], rand_range(s, -2, 2), 1);
        }
        mpq_set_si(t, rand_range(s, -5, 5), 1);
        xt_lp_add_square(lp, (const mpq_t *)a, t);
    }
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++)
            mpq_set_si(a[j], rand_range(s, -3, 3), 1);
        mpq_set_ui(b, 0, 1);
        for (int j = 0; j < n; j++) {
            mpq_mul(t, a[j], x0[j]);
            mpq_add(b, b, t);
        }
        int eq = rand_range(s, 0, 7) == 0;
        if (!eq && rand_range(s, 0, 1)) {
            mpq_set_si(t, rand_range(s, 1, 3), 2);
            mpq_sub(b, b, t);
        }
        xt_lp_add_row(lp, (const mpq_t *)a, eq ? XT_ROW_EQ : XT_ROW_GE, b);
        if (rand_range(s, 0, 9) == 0)
            xt_lp_add_row(lp, (const mpq_t *)a, eq ? XT_ROW_EQ : XT_ROW_GE,
                          b);
    }
    for (int j = 0; box && j < n; j++) {
        for (int k = 0; k < n; k++)
            mpq_set_si(a[k], k == j, 1);
        mpq_set_si(b, -6, 1);
        xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
        mpq_set_si(a[j], -1, 1);
        xt_lp_add_row(lp, (const mpq_t *)a, XT_ROW_GE, b);
    }
    mpq_clears(b, t, NULL);
    xt_rat_array_free(a, (size_t)n);
}

/* f(x) = ||M x - t||^2 + c . x, computed here from the definition. */
static void qp_value(mpq_t out, const xt_lp_t lp, const mpq_t *x)
{
    int n = lp->ncols;
    mpq_t r, t;
    mpq_inits(r, t, NULL);
    mpq_set_ui(out, 0, 1);
    for (int j = 0; j < n; j++) {
        mpq_mul(t, lp->c[j], x[j]);
        mpq_add(out, out, t);
    }
    for (int k = 0; k < lp->nsq; k++) {
        mpq_neg(r, lp->t[k]);
        for (int j = 0; j < n; j++) {
            mpq_mul(t, lp->m[k * n + j], x[j]);
            mpq_add(r, r, t);
        }
        mpq_mul(r, r, r);
        mpq_add(out, out, r);
    }
    mpq_clears(r, t, NULL);
}

/* No feasible point on the segment from the optimum to x0 is better. */
static void check_segment(const xt_lp_t lp, const xt_lp_result_t res,
                          mpq_t *x0)
{
    int n = lp->ncols;
    mpq_t *z = xt_rat_array_new((size_t)n + 1);
    mpq_t f, lam, t;
    mpq_inits(f, lam, t, NULL);
    for (int step = 0; step <= 4; step++) {
        mpq_set_si(lam, step, 4);
        for (int j = 0; j < n; j++) {
            mpq_sub(t, x0[j], res->x[j]);
            mpq_mul(t, t, lam);
            mpq_add(z[j], res->x[j], t);
        }
        qp_value(f, lp, (const mpq_t *)z);
        XT_CHECK(mpq_cmp(f, res->value) >= 0);
    }
    mpq_clears(f, lam, t, NULL);
    xt_rat_array_free(z, (size_t)n + 1);
}

static void test_random(void)
{
    uint64_t s = xt_test_seed() + 1;
    long rounds = xt_test_scale(200);
    int seen[3] = {0, 0, 0};
    xt_lp_result_t auto_res, exact_res;
    xt_error_t err;
    mpq_t *x0 = xt_rat_array_new(8);

    xt_lp_result_init(auto_res);
    xt_lp_result_init(exact_res);
    for (long r = 0; r < rounds; r++) {
        xt_lp_t lp;
        int n = (int)rand_range(&s, 1, 6);
        random_qp(lp, x0, &s, n, (int)rand_range(&s, 0, 20),
                  (int)rand_range(&s, 1, n + 2));
        int rc1 = xt_lp_solve_method(auto_res, lp, XT_LP_METHOD_AUTO, &err);
        int rc2 = xt_lp_solve_method(exact_res, lp, XT_LP_METHOD_EXACT,
                                     &err);
        XT_CHECK_INT(rc1, XT_OK);
        XT_CHECK_INT(rc2, XT_OK);
        XT_CHECK(lp_cert_check(lp, auto_res));
        XT_CHECK(lp_cert_check(lp, exact_res));
        XT_CHECK_INT(auto_res->status, exact_res->status);
        /* x0 is feasible by construction. */
        XT_CHECK(auto_res->status != XT_LP_INFEASIBLE);
        if (auto_res->status == XT_LP_OPTIMAL) {
            XT_CHECK(mpq_equal(auto_res->value, exact_res->value));
            check_segment(lp, auto_res, x0);
        }
        if (auto_res->status <= XT_LP_UNBOUNDED)
            seen[auto_res->status]++;
        xt_lp_clear(lp);
    }
    XT_CHECK(seen[XT_LP_OPTIMAL] > 0);
    XT_CHECK(seen[XT_LP_UNBOUNDED] > 0);
    xt_rat_array_free(x0, 8);
    xt_lp_result_clear(auto_res);
    xt_lp_result_clear(exact_res);
}

/* Time per solve of 7-variable QPs with 60 rows and 12 squares. */
static void report_timing(void)
{
    uint64_t s = 5;
    enum { COUNT = 20, REPEAT = 3 };
    xt_lp_t qps[COUNT];
    xt_lp_result_t res;
    xt_error_t err;
    mpq_t *x0 = xt_rat_array_new(8);
    long pivots = 0;

    xt_lp_result_init(res);
    for (int i = 0; i < COUNT; i++) {
        do {
            random_qp(qps[i], x0, &s, 7, 46, 12);
            if (qps[i]->nrows == 60 &&
                xt_lp_solve(res, qps[i], &err) == XT_OK &&
                res->status == XT_LP_OPTIMAL)
                break;
            xt_lp_clear(qps[i]);
        } while (1);
    }
    clock_t t0 = clock();
    for (int rep = 0; rep < REPEAT; rep++)
        for (int i = 0; i < COUNT; i++) {
            xt_lp_solve(res, qps[i], &err);
            pivots += res->pivots;
        }
    double us = 1e6 * (double)(clock() - t0) / CLOCKS_PER_SEC /
                (COUNT * REPEAT);
    printf("timing: 7-variable 60-row QP: %.1f us per solve, %.1f "
           "working-set changes per solve\n", us,
           (double)pivots / (COUNT * REPEAT));
    for (int i = 0; i < COUNT; i++)
        xt_lp_clear(qps[i]);
    xt_rat_array_free(x0, 8);
    xt_lp_result_clear(res);
}

int main(void)
{
    xt_test_seed();
    test_hand_solved();
    test_singular();
    test_unbounded_infeasible();
    test_edge_cases();
    test_random();
    report_timing();
    return xt_test_finish("test_qp");
}
