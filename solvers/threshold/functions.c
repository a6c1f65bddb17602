/* Output functions of a threshold network: which maps from hidden codes
 * to outputs the output neuron can realize.
 *
 * With a threshold output these are the Boolean threshold functions of k
 * bits, i.e. the affine dichotomies of the cube {0,1}^k: 4, 14, 104 and
 * 1882 of them for k = 1..4 (OEIS A000609).  They are enumerated with xt_dichotomies on the
 * cube's vertices and each gets exact weights from one separation LP.
 * With a linear output and zero-one loss a code's output only matters
 * when it equals a label, so an output function is a map from codes to
 * labels or "any" that some affine function matches. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/rat.h"

void xt_thr_functions_init(xt_thr_functions *f)
{
    memset(f, 0, sizeof *f);
}

void xt_thr_functions_clear(xt_thr_functions *f)
{
    xt_rat_array_free(f->values, (size_t)f->nvalues);
    xt_rat_array_free(f->weights, f->count * (size_t)(f->k + 1));
    free(f->map);
    memset(f, 0, sizeof *f);
}

/* Appends a row; weights are copied from wb (k + 1 numbers). */
static int push_row(xt_thr_functions *f, size_t *capacity,
                    const unsigned char *row, const mpq_t *wb)
{
    size_t width = (size_t)f->k + 1;
    if (f->count == *capacity) {
        size_t cap = *capacity ? 2 * *capacity : 64;
        unsigned char *map = realloc(f->map, cap * (size_t)f->codes);
        mpq_t *weights = xt_rat_array_new(cap * width);
        if (!map || !weights) {
            if (map)
                f->map = map;
            xt_rat_array_free(weights, cap * width);
            return XT_ERR_NOMEM;
        }
        for (size_t e = 0; e < f->count * width; e++)
            mpq_swap(weights[e], f->weights[e]);
        xt_rat_array_free(f->weights, *capacity * width);
        f->map = map;
        f->weights = weights;
        *capacity = cap;
    }
    memcpy(f->map + f->count * (size_t)f->codes, row, (size_t)f->codes);
    for (size_t e = 0; e < width; e++)
        mpq_set(f->weights[f->count * width + e], wb[e]);
    f->count++;
    return XT_OK;
}

/* Gives the weights array exactly count rows, so that clearing it with
 * xt_rat_array_free(count * (k + 1)) frees everything. */
static int shrink_rows(xt_thr_functions *f, size_t capacity)
{
    size_t width = (size_t)f->k + 1;
    mpq_t *weights = NULL;
    if (f->count > 0) {
        weights = xt_rat_array_new(f->count * width);
        if (!weights)
            return XT_ERR_NOMEM;
        for (size_t e = 0; e < f->count * width; e++)
            mpq_swap(weights[e], f->weights[e]);
    }
    xt_rat_array_free(f->weights, capacity * width);
    f->weights = weights;
    return XT_OK;
}

/* The code reached from h by the group element (perm, flip): bit j of
 * the result is bit perm[j] of h, negated when bit j of flip is set. */
static int transform_code(int h, const int *perm, int flip, int k)
{
    int out = 0;
    for (int j = 0; j < k; j++)
        out |= (((h >> perm[j]) & 1) ^ ((flip >> j) & 1)) << j;
    return out;
}

static int next_permutation(int *p, int k)
{
    int i = k - 2;
    while (i >= 0 && p[i] >= p[i + 1])
        i--;
    if (i < 0)
        return 0;
    int j = k - 1;
    while (p[j] <= p[i])
        j--;
    int t = p[i];
    p[i] = p[j];
    p[j] = t;
    for (int a = i + 1, b = k - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return 1;
}

/* Whether row is the lexicographically smallest row of its orbit under
 * permutations of the k bits and, when flips is set, negations. */
static int is_canonical(const unsigned char *row, int k, int flips)
{
    int codes = 1 << k, perm[XT_THR_MAX_K];
    for (int j = 0; j < k; j++)
        perm[j] = j;
    do {
        for (int flip = 0; flip < (flips ? codes : 1); flip++) {
            for (int h = 0; h < codes; h++) {
                int other = row[transform_code(h, perm, flip, k)];
                if (other < row[h])
                    return 0;
                if (other > row[h])
                    break;
            }
        }
    } while (next_permutation(perm, k));
    return 1;
}

/* The 2^k cube vertices as rows of k coordinates: row h is code h. */
static mpq_t *cube_points(int k)
{
    int codes = 1 << k;
    mpq_t *x = xt_rat_array_new((size_t)codes * (size_t)k);
    if (!x)
        return NULL;
    for (int h = 0; h < codes; h++)
        for (int j = 0; j < k; j++)
            mpq_set_ui(x[h * k + j], (unsigned)((h >> j) & 1), 1);
    return x;
}

static int set_values(xt_thr_functions *f, const mpq_t *values, int count)
{
    f->values = xt_rat_array_new((size_t)count);
    if (!f->values)
        return XT_ERR_NOMEM;
    for (int v = 0; v < count; v++)
        mpq_set(f->values[v], values[v]);
    f->nvalues = count;
    return XT_OK;
}

static int check_k(int k, xt_error_t *err)
{
    if (k < 1 || k > XT_THR_MAX_K) {
        xt_error_set(err, "the threshold solver handles 1 to %d hidden "
                     "neurons, not %d", XT_THR_MAX_K, k);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Adds the dichotomy s of the cube as a function row, when it is
 * realizable with the output's bias setting. */
static int add_threshold_row(xt_thr_functions *f, size_t *capacity,
                             const xt_dichotomy_list *sets, size_t s,
                             const mpq_t *cube, int canonical, mpq_t *wb,
                             xt_error_t *err)
{
    unsigned char row[1 << XT_THR_MAX_K];
    uint64_t pos = sets->sets[s * sets->words], neg = ~pos;
    for (int h = 0; h < f->codes; h++)
        row[h] = (unsigned char)((pos >> h) & 1);
    if (canonical && !is_canonical(row, f->k, f->bias))
        return XT_OK;
    /* Without bias the code 0 always gives 0, and the rest must be
     * [a.h > 0]: margin 0 on the zeros. */
    int found = xt_thr_separate(wb, cube, f->codes, f->k, &pos, &neg,
                                f->bias, f->bias ? 1 : 0, NULL, err);
    if (found < 0)
        return -found;
    if (found == 0 && f->bias) {
        xt_error_set(err, "self-check failed: a dichotomy of the cube is "
                     "not separable");
        return XT_ERR_INTERNAL;
    }
    if (found == 0)
        return XT_OK;
    return push_row(f, capacity, row, wb) == XT_OK ? XT_OK : XT_ERR_NOMEM;
}

int xt_thr_functions_threshold(xt_thr_functions *f, int k, int bias,
                               int canonical, xt_error_t *err)
{
    int rc = check_k(k, err);
    if (rc != XT_OK)
        return rc;
    xt_thr_functions_clear(f);
    f->k = k;
    f->codes = 1 << k;
    f->threshold = 1;
    f->bias = bias;
    mpq_t two[2];
    mpq_init(two[0]);
    mpq_init(two[1]);
    mpq_set_ui(two[1], 1, 1);
    rc = set_values(f, (const mpq_t *)two, 2);
    mpq_clear(two[0]);
    mpq_clear(two[1]);
    if (rc != XT_OK)
        return rc;

    mpq_t *cube = cube_points(k);
    mpq_t *wb = xt_rat_array_new((size_t)k + 1);
    xt_dichotomy_list sets;
    xt_dichotomy_list_init(&sets, f->codes);
    size_t capacity = 0;
    if (!cube || !wb)
        rc = XT_ERR_NOMEM;
    else
        rc = xt_dichotomies(&sets, cube, f->codes, k, 0, err);
    for (size_t s = 0; rc == XT_OK && s < sets.count; s++)
        rc = add_threshold_row(f, &capacity, &sets, s, cube, canonical, wb,
                               err);
    if (rc == XT_OK)
        rc = shrink_rows(f, capacity);
    else
        f->count = 0, shrink_rows(f, capacity);
    if (rc == XT_ERR_NOMEM)
        xt_error_set(err, "out of memory");
    xt_dichotomy_list_clear(&sets);
    xt_rat_array_free(cube, (size_t)f->codes * (size_t)k);
    xt_rat_array_free(wb, (size_t)k + 1);
    return rc;
}

/* Linear output: the affine map z = (a, c) with c + a.h = value on the
 * given codes.  Solves for z; returns the rank or -1 when inconsistent. */
static int fit_affine(mpq_t *z, mpq_t *system, const xt_thr_functions *f,
                      const unsigned char *row)
{
    int k = f->k, cols = k + (f->bias ? 1 : 0), rows = 0;
    for (int h = 0; h < f->codes; h++) {
        if (row[h] == XT_THR_ANY)
            continue;
        mpq_t *r = system + rows * (cols + 1);
        for (int j = 0; j < k; j++)
            mpq_set_ui(r[j], (unsigned)((h >> j) & 1), 1);
        if (f->bias)
            mpq_set_ui(r[k], 1, 1);
        mpq_set(r[cols], f->values[row[h]]);
        rows++;
    }
    if (rows == 0) {
        for (int c = 0; c < cols; c++)
            mpq_set_ui(z[c], 0, 1);
        return 0;
    }
    return xt_thr_linsolve(z, system, rows, cols);
}

/* Whether some "any" code of a consistent row could take a label value,
 * i.e. the row is not maximal. */
static int extendable(mpq_t *z, mpq_t *system, const xt_thr_functions *f,
                      unsigned char *row)
{
    for (int h = 0; h < f->codes; h++) {
        if (row[h] != XT_THR_ANY)
            continue;
        for (int v = 0; v < f->nvalues; v++) {
            row[h] = (unsigned char)v;
            int ok = fit_affine(z, system, f, row) >= 0;
            row[h] = XT_THR_ANY;
            if (ok)
                return 1;
        }
    }
    return 0;
}

/* Steps row through all maps codes -> {0..nvalues-1, ANY} like an
 * odometer.  Returns 0 after the last one. */
static int next_map(unsigned char *row, int codes, int nvalues)
{
    for (int h = 0; h < codes; h++) {
        if (row[h] == XT_THR_ANY) {
            row[h] = 0;
            continue;
        }
        row[h] = row[h] + 1 < nvalues ? (unsigned char)(row[h] + 1)
                                      : XT_THR_ANY;
        return 1;
    }
    return 0;
}

static int linear_limits(int k, int nvalues, xt_error_t *err)
{
    double maps = 1;
    for (int h = 0; h < (1 << k); h++)
        maps *= nvalues + 1;
    if (nvalues >= XT_THR_ANY || maps > (double)XT_THR_MAX_LINEAR_MAPS) {
        xt_error_set(err, "a linear output with zero-one loss over %d "
                     "hidden neurons and %d distinct labels needs %.0f "
                     "candidate output maps, more than the limit %ld",
                     k, nvalues, maps, (long)XT_THR_MAX_LINEAR_MAPS);
        return XT_ERR_LIMIT;
    }
    return XT_OK;
}

int xt_thr_functions_linear(xt_thr_functions *f, int k, int bias,
                            const mpq_t *values, int nvalues, int canonical,
                            xt_error_t *err)
{
    int rc = check_k(k, err);
    if (rc == XT_OK)
        rc = linear_limits(k, nvalues, err);
    if (rc != XT_OK)
        return rc;
    xt_thr_functions_clear(f);
    f->k = k;
    f->codes = 1 << k;
    f->threshold = 0;
    f->bias = bias;
    if (nvalues > 0 && set_values(f, values, nvalues) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }

    int cols = k + 1;
    mpq_t *system = xt_rat_array_new((size_t)f->codes * (size_t)(cols + 1));
    mpq_t *z = xt_rat_array_new((size_t)cols);
    unsigned char row[1 << XT_THR_MAX_K];
    size_t capacity = 0;
    rc = system && z ? XT_OK : XT_ERR_NOMEM;
    for (int h = 0; h < f->codes; h++)
        row[h] = 0;
    if (nvalues == 0)
        memset(row, XT_THR_ANY, sizeof row);
    int more = 1;
    while (rc == XT_OK && more) {
        if ((!canonical || is_canonical(row, k, bias)) &&
            fit_affine(z, system, f, row) >= 0 &&
            !extendable(z, system, f, row)) {
            fit_affine(z, system, f, row);
            if (!bias)
                mpq_set_ui(z[k], 0, 1);
            rc = push_row(f, &capacity, row, z);
        }
        more = nvalues > 0 && next_map(row, f->codes, nvalues);
    }
    if (rc == XT_OK)
        rc = shrink_rows(f, capacity);
    else
        f->count = 0, shrink_rows(f, capacity);
    if (rc != XT_OK)
        xt_error_set(err, "out of memory");
    xt_rat_array_free(system, (size_t)f->codes * (size_t)(cols + 1));
    xt_rat_array_free(z, (size_t)cols);
    return rc;
}
