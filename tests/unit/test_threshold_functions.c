/* Tests of the output-function tables of the threshold solver: the known
 * numbers of Boolean threshold functions (4, 14, 104, 1882 for k = 1..4),
 * the same sets found by a brute force over small integer weights, exact
 * weights that realize every row, the orbit reduction, the linear-output
 * maps, and the exact linear system and vertex helpers. */
#include "xt_test.h"
#include "../../solvers/threshold/threshold_internal.h"

/* Truth table (bit h = output on code h) of [c + a.h > 0] with integer
 * a and half-integer c = c2 / 2. */
static unsigned truth_table(const int *a, int c2, int k, int bias)
{
    unsigned table = 0;
    for (int h = 0; h < (1 << k); h++) {
        int t = bias ? c2 : 0;
        for (int j = 0; j < k; j++)
            t += 2 * a[j] * ((h >> j) & 1);
        if (t > 0)
            table |= 1u << h;
    }
    return table;
}

/* Marks in seen (2^(2^k) bits) every table from weights in [-3, 3]. */
static void grid_tables(unsigned char *seen, int k, int bias)
{
    int a[4], total = 1;
    for (int j = 0; j < k; j++)
        total *= 7;
    for (int code = 0; code < total; code++) {
        int c = code;
        for (int j = 0; j < k; j++, c /= 7)
            a[j] = c % 7 - 3;
        for (int c2 = -7; c2 <= 7; c2 += 2)
            seen[truth_table(a, c2, k, bias)] = 1;
    }
}

static unsigned row_table(const xt_thr_functions *f, size_t r)
{
    unsigned table = 0;
    for (int h = 0; h < f->codes; h++)
        if (f->map[r * (size_t)f->codes + (size_t)h])
            table |= 1u << h;
    return table;
}

/* Every row's weights give exactly the row's outputs. */
static void check_weights(const xt_thr_functions *f)
{
    mpq_t t, p;
    mpq_init(t);
    mpq_init(p);
    for (size_t r = 0; r < f->count; r++) {
        const mpq_t *w = f->weights + r * (size_t)(f->k + 1);
        for (int h = 0; h < f->codes; h++) {
            mpq_set(t, w[f->k]);
            for (int j = 0; j < f->k; j++)
                if ((h >> j) & 1)
                    mpq_add(t, t, w[j]);
            int want = f->map[r * (size_t)f->codes + (size_t)h];
            if (f->threshold && (mpq_sgn(t) > 0) != want)
                XT_FAIL("k %d row %zu code %d: weights give %d", f->k, r,
                        h, !want);
            if (!f->threshold && want != XT_THR_ANY &&
                !mpq_equal(t, f->values[want]))
                XT_FAIL("k %d row %zu code %d: affine value differs",
                        f->k, r, h);
        }
        if (!f->bias && mpq_sgn(w[f->k]) != 0)
            XT_FAIL("k %d row %zu: bias set without output bias", f->k, r);
    }
    mpq_clear(t);
    mpq_clear(p);
}

static void test_threshold_counts(void)
{
    static const size_t known[] = {0, 4, 14, 104, 1882};
    xt_error_t err;
    for (int k = 1; k <= 4; k++) {
        xt_thr_functions f;
        xt_thr_functions_init(&f);
        XT_CHECK_INT(xt_thr_functions_threshold(&f, k, 1, 0, &err), XT_OK);
        if (f.count != known[k])
            XT_FAIL("k %d: %zu threshold functions, expected %zu", k,
                    f.count, known[k]);
        check_weights(&f);
        xt_thr_functions_clear(&f);
    }
}

/* For k <= 3 the tables equal those of integer weights in [-3, 3]. */
static void test_against_grid(void)
{
    xt_error_t err;
    for (int bias = 0; bias <= 1; bias++)
        for (int k = 1; k <= 3; k++) {
            unsigned char seen[256] = {0};
            grid_tables(seen, k, bias);
            xt_thr_functions f;
            xt_thr_functions_init(&f);
            XT_CHECK_INT(xt_thr_functions_threshold(&f, k, bias, 0, &err),
                         XT_OK);
            size_t grid = 0;
            for (int t = 0; t < (1 << (1 << k)); t++)
                grid += seen[t];
            if (grid != f.count)
                XT_FAIL("k %d bias %d: %zu functions, grid has %zu", k,
                        bias, f.count, grid);
            for (size_t r = 0; r < f.count; r++)
                if (!seen[row_table(&f, r)])
                    XT_FAIL("k %d bias %d: row %zu not in the grid", k,
                            bias, r);
            check_weights(&f);
            xt_thr_functions_clear(&f);
        }
}

/* The orbit representatives: under permutations and negations of two
 * bits, the 14 functions fall into constant 0, constant 1, one bit,
 * AND-like (one true code) and OR-like (three true codes).  Without
 * bias the functions [a.h > 0] of two bits are 0, h1, h2, h1 AND NOT h2,
 * h2 AND NOT h1 and h1 OR h2 (h1 AND h2 would need a1, a2 <= 0 and
 * a1 + a2 > 0), 4 orbits under permutations. */
static void test_canonical(void)
{
    xt_error_t err;
    xt_thr_functions f;
    xt_thr_functions_init(&f);
    XT_CHECK_INT(xt_thr_functions_threshold(&f, 2, 1, 1, &err), XT_OK);
    XT_CHECK_INT(f.count, 5);
    check_weights(&f);
    XT_CHECK_INT(xt_thr_functions_threshold(&f, 2, 0, 0, &err), XT_OK);
    XT_CHECK_INT(f.count, 6);
    XT_CHECK_INT(xt_thr_functions_threshold(&f, 2, 0, 1, &err), XT_OK);
    XT_CHECK_INT(f.count, 4);
    check_weights(&f);
    XT_CHECK_INT(xt_thr_functions_threshold(&f, 5, 1, 1, &err),
                 XT_ERR_INPUT);
    xt_thr_functions_clear(&f);
}

/* Linear output with labels {0, 1} and one bit: the affine maps that hit
 * labels are all four maps {0,1} -> {0,1}; without bias c = 0 forces
 * code 0 to output 0, leaving 0 -> 0 with 1 -> 0 or 1 -> 1 (and the maps
 * with code 0 "any" are not maximal). */
static void test_linear_maps(void)
{
    xt_error_t err;
    mpq_t values[2];
    mpq_init(values[0]);
    mpq_init(values[1]);
    mpq_set_ui(values[1], 1, 1);
    xt_thr_functions f;
    xt_thr_functions_init(&f);
    XT_CHECK_INT(xt_thr_functions_linear(&f, 1, 1, (const mpq_t *)values, 2,
                                         0, &err), XT_OK);
    XT_CHECK_INT(f.count, 4);
    check_weights(&f);
    XT_CHECK_INT(xt_thr_functions_linear(&f, 1, 0, (const mpq_t *)values, 2,
                                         0, &err), XT_OK);
    XT_CHECK_INT(f.count, 2);
    check_weights(&f);
    /* Two bits, labels {0, 1}, with bias: an affine map on the square
     * has f(11) = f(10) + f(01) - f(00), which is 0 or 1 for 6 of the 8
     * choices of the other three values; the rest leave a code "any". */
    XT_CHECK_INT(xt_thr_functions_linear(&f, 2, 1, (const mpq_t *)values, 2,
                                         0, &err), XT_OK);
    check_weights(&f);
    size_t full = 0;
    for (size_t r = 0; r < f.count; r++) {
        int any = 0;
        for (int h = 0; h < 4; h++)
            any |= f.map[r * 4 + (size_t)h] == XT_THR_ANY;
        full += !any;
    }
    XT_CHECK_INT(full, 6);
    xt_thr_functions_clear(&f);
    mpq_clear(values[0]);
    mpq_clear(values[1]);
}

static void test_linsolve(void)
{
    /* x + y = 3, x - y = 1 -> (2, 1); then an inconsistent third row. */
    mpq_t *a = xt_rat_array_new(9), z[2];
    mpq_init(z[0]);
    mpq_init(z[1]);
    long rows[] = {1, 1, 3, 1, -1, 1, 2, 2, 7};
    for (int e = 0; e < 9; e++)
        mpq_set_si(a[e], rows[e], 1);
    XT_CHECK_INT(xt_thr_linsolve(z, a, 2, 2), 2);
    XT_CHECK_RAT(z[0], "2");
    XT_CHECK_RAT(z[1], "1");
    for (int e = 0; e < 9; e++)
        mpq_set_si(a[e], rows[e], 1);
    XT_CHECK_INT(xt_thr_linsolve(z, a, 3, 2), -1);
    xt_rat_array_free(a, 9);
    mpq_clear(z[0]);
    mpq_clear(z[1]);
}

/* Points 0, 1, 2 on a line, active set {2}: P = {b <= -1, w + b <= -1,
 * 2w + b >= 1}.  Of the three pairs of tight rows, rows 1 and 2 meet at
 * (0, -1) and rows 1 and 3 at (1, -1), both outside P, so the only vertex
 * is (w, b) = (2, -3) from rows 2 and 3. */
static void test_vertices(void)
{
    mpq_t *x = xt_rat_array_new(3), *v = NULL;
    for (int i = 0; i < 3; i++)
        mpq_set_ui(x[i], (unsigned)i, 1);
    uint64_t set = 4;
    long count = xt_thr_vertices(&v, x, 3, 1, &set, 100, 100);
    XT_CHECK_INT(count, 1);
    if (count == 1) {
        XT_CHECK_RAT(v[0], "2");
        XT_CHECK_RAT(v[1], "-3");
        xt_rat_array_free(v, 2);
    }
    XT_CHECK_INT(xt_thr_vertices(&v, x, 3, 1, &set, 2, 100), -2);
    xt_rat_array_free(x, 3);
}

int main(void)
{
    xt_test_seed();
    test_threshold_counts();
    test_against_grid();
    test_canonical();
    test_linear_maps();
    test_linsolve();
    test_vertices();
    return xt_test_finish("test_threshold_functions");
}
