/* Tests of the affine dichotomy enumeration: hand-derived cases, the
 * general position count of Cover (1965), a brute-force comparison with
 * the independent simplex test on small degenerate point sets, and
 * invariance under permutation and embedding. */
#include <time.h>
#include "xt_test.h"
#include "xtrain/arrangement.h"

/* Points from integer coordinates (row-major, n rows of d). */
static mpq_t *points_from_ints(const long *coords, long n, int d)
{
    size_t size = (size_t)n * (size_t)d;
    mpq_t *x = xt_rat_array_new(size ? size : 1);

    for (size_t i = 0; i < size; i++)
        mpq_set_si(x[i], coords[i], 1);
    return x;
}

static void free_points(mpq_t *x, long n, int d)
{
    size_t size = (size_t)n * (size_t)d;
    xt_rat_array_free(x, size ? size : 1);
}

/* The sets of a list over at most 64 points, as masks. */
static uint64_t list_mask(const xt_dichotomy_list *list, size_t s)
{
    return list->sets[s * list->words];
}

static int compare_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* Enumerates and checks that the list is exactly want[0..count) in this
 * order. */
static void check_exact_list(const char *name, const long *coords, long n,
                             int d, const uint64_t *want, size_t count)
{
    xt_dichotomy_list list;
    xt_error_t err;
    mpq_t *x = points_from_ints(coords, n, d);

    xt_dichotomy_list_init(&list, n);
    XT_CHECK_INT(xt_dichotomies(&list, x, n, d, 0, &err), XT_OK);
    if (list.count != count)
        XT_FAIL("%s: %zu dichotomies, expected %zu", name, list.count,
                count);
    for (size_t s = 0; s < list.count && s < count; s++)
        if (list_mask(&list, s) != want[s])
            XT_FAIL("%s: set %zu is %#llx, expected %#llx", name, s,
                    (unsigned long long)list_mask(&list, s),
                    (unsigned long long)want[s]);
    xt_dichotomy_list_clear(&list);
    free_points(x, n, d);
}

static void test_hand_cases(void)
{
    /* Three collinear points: a line through the middle point cannot
     * separate the outer two from it, so {0,2} and {1} are missing. */
    static const long collinear[] = {0, 0, 1, 1, 2, 2};
    static const uint64_t collinear_sets[] = {0x0, 0x1, 0x4, 0x3, 0x6,
                                              0x7};
    /* The same points with the middle one first. */
    static const long middle_first[] = {1, 1, 0, 0, 2, 2};
    static const uint64_t middle_first_sets[] = {0x0, 0x2, 0x4, 0x3, 0x5,
                                                 0x7};
    static const long copies[] = {1, -2, 3, 1, -2, 3, 1, -2, 3, 1, -2, 3};
    static const uint64_t copies_sets[] = {0x0, 0xF};
    static const long single[] = {5, 7};
    static const uint64_t single_sets[] = {0x0, 0x1};
    static const uint64_t none_sets[] = {0x0};
    /* 1-D with repeats: values 3,1,3,2,1 give prefixes of 1 < 2 < 3. */
    static const long line[] = {3, 1, 3, 2, 1};
    static const uint64_t line_sets[] = {0x00, 0x05, 0x12, 0x0D, 0x1A,
                                         0x1F};
    /* The unit square: every subset except the two diagonals. */
    static const long square[] = {0, 0, 1, 0, 1, 1, 0, 1};
    uint64_t square_sets[14];
    size_t square_count = 0;
    static const int square_order[] = {0, 1, 2, 4, 8, 3, 9, 6, 12,
                                       7, 11, 13, 14, 15};

    check_exact_list("collinear", collinear, 3, 2, collinear_sets, 6);
    check_exact_list("middle first", middle_first, 3, 2, middle_first_sets,
                     6);
    check_exact_list("four copies", copies, 4, 3, copies_sets, 2);
    check_exact_list("one point", single, 1, 2, single_sets, 2);
    check_exact_list("no points", NULL, 0, 2, none_sets, 1);
    check_exact_list("no points, d = 0", NULL, 0, 0, none_sets, 1);
    check_exact_list("line with ties", line, 5, 1, line_sets, 6);
    check_exact_list("three points, d = 0", NULL, 3, 0,
                     (const uint64_t[]){0x0, 0x7}, 2);
    for (int i = 0; i < 14; i++)
        square_sets[square_count++] = (uint64_t)square_order[i];
    check_exact_list("square", square, 4, 2, square_sets, square_count);
}

/* Rational coordinates on a line: (1/2, 1/3), (1, 2/3), (3/2, 1). */
static void test_rational_collinear(void)
{
    xt_dichotomy_list list;
    xt_error_t err;
    mpq_t *x = xt_rat_array_new(6);
    static const char *text[] = {"1/2", "1/3", "1", "2/3", "3/2", "1"};

    for (int i = 0; i < 6; i++)
        XT_CHECK_INT(xt_rat_parse(x[i], text[i]), 0);
    xt_dichotomy_list_init(&list, 3);
    XT_CHECK_INT(xt_dichotomies(&list, x, 3, 2, 0, &err), XT_OK);
    XT_CHECK_INT(list.count, 6);
    xt_dichotomy_list_clear(&list);
    xt_rat_array_free(x, 6);
}

static void test_limits_and_input(void)
{
    static const long square[] = {0, 0, 1, 0, 1, 1, 0, 1};
    mpq_t *x = points_from_ints(square, 4, 2);
    xt_dichotomy_list list;
    xt_error_t err;

    xt_dichotomy_list_init(&list, 4);
    XT_CHECK_INT(xt_dichotomies(&list, x, 4, 2, 13, &err), XT_ERR_LIMIT);
    XT_CHECK_INT(list.count, 0);
    XT_CHECK(strlen(err.message) > 0);
    XT_CHECK_INT(xt_dichotomies(&list, x, 4, 2, 14, &err), XT_OK);
    XT_CHECK_INT(list.count, 14);
    XT_CHECK_INT(xt_dichotomies(&list, x, -1, 2, 0, &err), XT_ERR_INPUT);
    XT_CHECK_INT(xt_dichotomies(&list, x, 4, -1, 0, &err), XT_ERR_INPUT);
    XT_CHECK_INT(xt_dichotomies(&list, NULL, 4, 2, 0, &err), XT_ERR_INPUT);
    XT_CHECK_INT(xt_dichotomies(&list, x, 4, 2, 0, NULL), XT_OK);
    xt_dichotomy_list_clear(&list);
    free_points(x, 4, 2);
}

static void test_count_general(void)
{
    mpz_t count;

    mpz_init(count);
    xt_dichotomy_count_general(count, 0, 3);
    XT_CHECK(mpz_cmp_ui(count, 1) == 0);
    xt_dichotomy_count_general(count, 1, 3);
    XT_CHECK(mpz_cmp_ui(count, 2) == 0);
    xt_dichotomy_count_general(count, 4, 2); /* the square: 2*(1+3+3) */
    XT_CHECK(mpz_cmp_ui(count, 14) == 0);
    xt_dichotomy_count_general(count, 5, 10); /* all 2^5 subsets */
    XT_CHECK(mpz_cmp_ui(count, 32) == 0);
    xt_dichotomy_count_general(count, 60, 2); /* 2*(1+59+1711) */
    XT_CHECK(mpz_cmp_ui(count, 3542) == 0);
    xt_dichotomy_count_general(count, 30, 3); /* 2*(1+29+406+3654) */
    XT_CHECK(mpz_cmp_ui(count, 8180) == 0);
    mpz_clear(count);
}

static void test_realizable_hand(void)
{
    static const long square[] = {0, 0, 1, 0, 1, 1, 0, 1};
    static const long twice[] = {4, 4};
    mpq_t *x = points_from_ints(square, 4, 2);
    mpq_t *y = points_from_ints(twice, 2, 1);
    uint64_t set;

    set = 0x5;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, x, 4, 2), 0);
    set = 0xA;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, x, 4, 2), 0);
    set = 0x3;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, x, 4, 2), 1);
    set = 0x7;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, x, 4, 2), 1);
    set = 0x0;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, x, 4, 2), 1);
    set = 0x1;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, y, 2, 1), 0);
    set = 0x3;
    XT_CHECK_INT(xt_dichotomy_is_realizable(&set, y, 2, 1), 1);
    free_points(x, 4, 2);
    free_points(y, 2, 1);
}

/* Distinct rationals t = k / 3 from a shuffled range. */
static void moment_curve(mpq_t *x, long n, int d, uint64_t *state)
{
    long *ks = malloc((size_t)(n > 0 ? n : 1) * sizeof(long));

    for (long i = 0; i < n; i++)
        ks[i] = i - n / 2;
    for (long i = n - 1; i > 0; i--) {
        long j = (long)(xt_test_rand(state) % (uint64_t)(i + 1));
        long swap = ks[i];
        ks[i] = ks[j];
        ks[j] = swap;
    }
    for (long i = 0; i < n; i++) {
        mpq_t t;
        mpq_init(t);
        mpq_set_si(t, ks[i], 3);
        mpq_canonicalize(t);
        mpq_set(x[(size_t)i * d], t);
        for (int c = 1; c < d; c++)
            mpq_mul(x[(size_t)i * d + c], x[(size_t)i * d + c - 1], t);
        mpq_clear(t);
    }
    free(ks);
}

/* Checks that a list over at most 64 points has no repeated set. */
static int list_has_duplicates(const xt_dichotomy_list *list)
{
    uint64_t *masks = malloc((list->count + 1) * sizeof(uint64_t));
    int dup = 0;

    for (size_t s = 0; s < list->count; s++)
        masks[s] = list_mask(list, s);
    qsort(masks, list->count, sizeof(uint64_t), compare_u64);
    for (size_t s = 1; s < list->count; s++)
        dup |= masks[s] == masks[s - 1];
    free(masks);
    return dup;
}

/* Points on the moment curve (t, t^2, ..., t^d) are in general position:
 * a hyperplane meets the curve in at most d points. */
static void test_general_position(uint64_t *state)
{
    static const long sizes[] = {1, 2, 3, 4, 5, 6, 7, 9, 12, 17, 25};
    mpz_t want;

    mpz_init(want);
    for (int d = 1; d <= 3; d++) {
        for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            long n = sizes[k];
            mpq_t *x = xt_rat_array_new((size_t)n * d);
            xt_dichotomy_list list;
            xt_error_t err;
            moment_curve(x, n, d, state);
            xt_dichotomy_list_init(&list, n);
            XT_CHECK_INT(xt_dichotomies(&list, x, n, d, 0, &err), XT_OK);
            xt_dichotomy_count_general(want, n, d);
            if (mpz_cmp_ui(want, list.count) != 0)
                XT_FAIL("moment curve n = %ld, d = %d: %zu dichotomies, "
                        "expected %lu", n, d, list.count,
                        mpz_get_ui(want));
            XT_CHECK(!list_has_duplicates(&list));
            xt_dichotomy_list_clear(&list);
            xt_rat_array_free(x, (size_t)n * d);
        }
    }
    mpz_clear(want);
}

/* Compares the enumeration with the simplex test on all 2^n subsets. */
static void compare_with_brute_force(const mpq_t *x, long n, int d,
                                     const char *what)
{
    xt_dichotomy_list list;
    xt_error_t err;
    char *listed = calloc((size_t)1 << n, 1);
    size_t realizable = 0;

    xt_dichotomy_list_init(&list, n);
    XT_CHECK_INT(xt_dichotomies(&list, x, n, d, 0, &err), XT_OK);
    for (size_t s = 0; s < list.count; s++) {
        uint64_t mask = list_mask(&list, s);
        if (listed[mask])
            XT_FAIL("%s n = %ld, d = %d: set %#llx listed twice", what, n,
                    d, (unsigned long long)mask);
        listed[mask] = 1;
    }
    for (uint64_t mask = 0; mask < (uint64_t)1 << n; mask++) {
        int ok = xt_dichotomy_is_realizable(&mask, x, n, d);
        realizable += ok == 1;
        if (ok != listed[mask])
            XT_FAIL("%s n = %ld, d = %d: set %#llx realizable %d, "
                    "listed %d", what, n, d, (unsigned long long)mask, ok,
                    listed[mask]);
    }
    XT_CHECK_INT(list.count, realizable);
    xt_dichotomy_list_clear(&list);
    free(listed);
}

/* Small integer points in {-2..2}^d, often repeated, collinear or
 * coplanar. */
static void test_brute_force_small(uint64_t *state)
{
    long rounds = xt_test_scale(40);

    for (long round = 0; round < rounds; round++) {
        for (int d = 1; d <= 3; d++) {
            long n = (long)(xt_test_rand(state) % 10);
            mpq_t *x = xt_rat_array_new((size_t)(n ? n : 1) * d);
            for (long i = 0; i < n; i++) {
                int copy = i > 0 && xt_test_rand(state) % 5 == 0;
                long from = copy ? (long)(xt_test_rand(state) % i) : i;
                for (int c = 0; c < d; c++) {
                    long v = (long)(xt_test_rand(state) % 5) - 2;
                    if (copy)
                        mpq_set(x[i * d + c], x[from * d + c]);
                    else
                        mpq_set_si(x[i * d + c], v, 1);
                }
            }
            compare_with_brute_force(x, n, d, "small grid");
            xt_rat_array_free(x, (size_t)(n ? n : 1) * d);
        }
    }
}

/* Points a + s u + t v on a plane in Q^5 (or a line when v = 0), so the
 * affine hull has dimension 2 or less. */
static void test_brute_force_embedded(uint64_t *state)
{
    long rounds = xt_test_scale(15);
    const int d = 5;

    for (long round = 0; round < rounds; round++) {
        long n = 2 + (long)(xt_test_rand(state) % 7);
        long a[5], u[5], v[5];
        int flat = xt_test_rand(state) % 4 == 0;
        mpq_t *x = xt_rat_array_new((size_t)n * d);
        for (int c = 0; c < d; c++) {
            a[c] = (long)(xt_test_rand(state) % 7) - 3;
            u[c] = (long)(xt_test_rand(state) % 5) - 2;
            v[c] = flat ? 0 : (long)(xt_test_rand(state) % 5) - 2;
        }
        for (long i = 0; i < n; i++) {
            long s = (long)(xt_test_rand(state) % 5) - 2;
            long t = (long)(xt_test_rand(state) % 5) - 2;
            for (int c = 0; c < d; c++)
                mpq_set_si(x[i * d + c], a[c] + s * u[c] + t * v[c], 2);
            for (int c = 0; c < d; c++)
                mpq_canonicalize(x[i * d + c]);
        }
        compare_with_brute_force(x, n, d, "plane in Q^5");
        xt_rat_array_free(x, (size_t)n * d);
    }
}

/* A 3 x 4 grid in the plane and a 2 x 2 x 3 grid in space: 12 points
 * with many collinear triples and coplanar quadruples. */
static void test_brute_force_grids(void)
{
    mpq_t *x = xt_rat_array_new(12 * 3);

    for (long i = 0; i < 12; i++) {
        mpq_set_si(x[i * 2], i % 3, 1);
        mpq_set_si(x[i * 2 + 1], i / 3, 1);
    }
    compare_with_brute_force(x, 12, 2, "3 x 4 grid");
    for (long i = 0; i < 12; i++) {
        mpq_set_si(x[i * 3], i % 2, 1);
        mpq_set_si(x[i * 3 + 1], (i / 2) % 2, 1);
        mpq_set_si(x[i * 3 + 2], i / 4, 1);
    }
    compare_with_brute_force(x, 12, 3, "2 x 2 x 3 grid");
    xt_rat_array_free(x, 12 * 3);
}

/* Enumerating a permutation of the points gives the permuted sets. */
static void test_permutation(uint64_t *state)
{
    const long n = 10;
    const int d = 2;
    mpq_t *x = xt_rat_array_new((size_t)n * d);
    mpq_t *y = xt_rat_array_new((size_t)n * d);
    long perm[10];
    xt_dichotomy_list a, b;
    xt_error_t err;
    uint64_t *mapped = malloc(1000 * sizeof(uint64_t));
    uint64_t *direct = malloc(1000 * sizeof(uint64_t));

    for (long i = 0; i < n; i++) {
        perm[i] = i;
        for (int c = 0; c < d; c++)
            mpq_set_si(x[i * d + c], (long)(xt_test_rand(state) % 3), 1);
    }
    for (long i = n - 1; i > 0; i--) {
        long j = (long)(xt_test_rand(state) % (uint64_t)(i + 1));
        long swap = perm[i];
        perm[i] = perm[j];
        perm[j] = swap;
    }
    for (long i = 0; i < n; i++)
        for (int c = 0; c < d; c++)
            mpq_set(y[i * d + c], x[perm[i] * d + c]);

    xt_dichotomy_list_init(&a, n);
    xt_dichotomy_list_init(&b, n);
    XT_CHECK_INT(xt_dichotomies(&a, x, n, d, 0, &err), XT_OK);
    XT_CHECK_INT(xt_dichotomies(&b, y, n, d, 0, &err), XT_OK);
    XT_CHECK_INT(a.count, b.count);
    if (a.count == b.count && a.count <= 1000) {
        /* Point i of y is point perm[i] of x. */
        for (size_t s = 0; s < b.count; s++) {
            mapped[s] = 0;
            for (long i = 0; i < n; i++)
                if (xt_dichotomy_has(&b, s, i))
                    mapped[s] |= (uint64_t)1 << perm[i];
            direct[s] = list_mask(&a, s);
        }
        qsort(mapped, a.count, sizeof(uint64_t), compare_u64);
        qsort(direct, a.count, sizeof(uint64_t), compare_u64);
        XT_CHECK(memcmp(mapped, direct, a.count * sizeof(uint64_t)) == 0);
    }
    xt_dichotomy_list_clear(&a);
    xt_dichotomy_list_clear(&b);
    xt_rat_array_free(x, (size_t)n * d);
    xt_rat_array_free(y, (size_t)n * d);
    free(mapped);
    free(direct);
}

/* Many dimensions, few points: three points of Q^40 that are not
 * collinear have all 8 subsets, two points of Q^100 all 4. */
static void test_high_dimension(uint64_t *state)
{
    xt_dichotomy_list list;
    xt_error_t err;
    mpq_t *x = xt_rat_array_new(3 * 100);

    xt_dichotomy_list_init(&list, 3);
    for (int c = 0; c < 40; c++)
        mpq_set_si(x[c], (long)(xt_test_rand(state) % 9) - 4, 1);
    for (int c = 0; c < 40; c++)
        mpq_set(x[40 + c], x[c]);
    mpq_set_si(x[40 + 17], 100, 7);
    for (int c = 0; c < 40; c++)
        mpq_set(x[80 + c], x[c]);
    mpq_set_si(x[80 + 3], -5, 1);
    XT_CHECK_INT(xt_dichotomies(&list, x, 3, 40, 0, &err), XT_OK);
    XT_CHECK_INT(list.count, 8);
    XT_CHECK_INT(xt_dichotomies(&list, x, 2, 100, 0, &err), XT_OK);
    XT_CHECK_INT(list.count, 4);
    XT_CHECK_INT(xt_dichotomies(&list, NULL, 0, 1000, 0, &err), XT_OK);
    XT_CHECK_INT(list.count, 1);
    xt_dichotomy_list_clear(&list);
    xt_rat_array_free(x, 3 * 100);
}

/* Times the moment curve (count known) and random integer points. */
static void time_case(long n, int d, int random_points, uint64_t *state)
{
    mpq_t *x = xt_rat_array_new((size_t)n * d);
    xt_dichotomy_list list;
    xt_error_t err;
    mpz_t want;
    clock_t start;
    double seconds;

    if (random_points)
        for (long i = 0; i < n * d; i++)
            mpq_set_si(x[i], (long)(xt_test_rand(state) % 2001) - 1000, 1);
    else
        moment_curve(x, n, d, state);
    mpz_init(want);
    xt_dichotomy_count_general(want, n, d);
    xt_dichotomy_list_init(&list, n);
    start = clock();
    XT_CHECK_INT(xt_dichotomies(&list, x, n, d, 0, &err), XT_OK);
    seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    if (!random_points && mpz_cmp_ui(want, list.count) != 0)
        XT_FAIL("moment curve n = %ld, d = %d: %zu dichotomies", n, d,
                list.count);
    printf("%s n = %ld, d = %d: %zu dichotomies (general position %lu) "
           "in %.3f s CPU\n", random_points ? "random" : "moment curve",
           n, d, list.count, mpz_get_ui(want), seconds);
    xt_dichotomy_list_clear(&list);
    mpz_clear(want);
    xt_rat_array_free(x, (size_t)n * d);
}

int main(void)
{
    uint64_t state = xt_test_seed();

    test_hand_cases();
    test_rational_collinear();
    test_limits_and_input();
    test_count_general();
    test_realizable_hand();
    test_general_position(&state);
    test_brute_force_small(&state);
    test_brute_force_embedded(&state);
    test_brute_force_grids();
    test_permutation(&state);
    test_high_dimension(&state);
    time_case(60, 2, 0, &state);
    time_case(60, 2, 1, &state);
    time_case(30, 3, 0, &state);
    time_case(30, 3, 1, &state);
    return xt_test_finish("test_arrangement");
}
