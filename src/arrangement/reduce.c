/* Exact reductions applied before enumerating dichotomies: integer
 * coordinates, merging of repeated points, and projection onto the affine
 * hull.  Why each keeps the dichotomies is explained in dichotomies.c. */
#include <stdlib.h>
#include <string.h>
#include "arrangement_impl.h"

mpz_t *xt_mpz_array_new(size_t count)
{
    mpz_t *array;

    if (count == 0 || count > SIZE_MAX / sizeof(mpz_t))
        return NULL;
    array = malloc(count * sizeof(mpz_t));
    if (array)
        for (size_t i = 0; i < count; i++)
            mpz_init(array[i]);
    return array;
}

void xt_mpz_array_free(mpz_t *array, size_t count)
{
    if (!array)
        return;
    for (size_t i = 0; i < count; i++)
        mpz_clear(array[i]);
    free(array);
}

static mpq_t *mpq_array_new(size_t count)
{
    mpq_t *array;

    if (count == 0 || count > SIZE_MAX / sizeof(mpq_t))
        return NULL;
    array = malloc(count * sizeof(mpq_t));
    if (array)
        for (size_t i = 0; i < count; i++)
            mpq_init(array[i]);
    return array;
}

static void mpq_array_free(mpq_t *array, size_t count)
{
    if (!array)
        return;
    for (size_t i = 0; i < count; i++)
        mpq_clear(array[i]);
    free(array);
}

/* Sets scaled (n rows of d) to x with column c multiplied by the lcm of
 * the denominators in column c. */
static void scale_columns(mpz_t *scaled, const mpq_t *x, long n, int d)
{
    mpz_t lcm, factor;

    mpz_init(lcm);
    mpz_init(factor);
    for (int c = 0; c < d; c++) {
        mpz_set_ui(lcm, 1);
        for (long i = 0; i < n; i++)
            mpz_lcm(lcm, lcm, mpq_denref(x[(size_t)i * d + c]));
        for (long i = 0; i < n; i++) {
            const mpq_t *q = &x[(size_t)i * d + c];
            mpz_divexact(factor, lcm, mpq_denref(*q));
            mpz_mul(scaled[(size_t)i * d + c], mpq_numref(*q), factor);
        }
    }
    mpz_clear(lcm);
    mpz_clear(factor);
}

typedef struct {
    const mpz_t *row;
    int d;
    long id;
} row_key;

/* Lexicographic on the coordinates, then by input index. */
static int compare_rows(const void *pa, const void *pb)
{
    const row_key *a = pa, *b = pb;

    for (int c = 0; c < a->d; c++) {
        int cmp = mpz_cmp(a->row[c], b->row[c]);
        if (cmp)
            return cmp;
    }
    return (a->id > b->id) - (a->id < b->id);
}

static int rows_equal(const mpz_t *a, const mpz_t *b, int d)
{
    for (int c = 0; c < d; c++)
        if (mpz_cmp(a[c], b[c]) != 0)
            return 0;
    return 1;
}

/* Fills group[] with distinct-point numbers in order of first occurrence
 * and reps[] with the first input index of each.  Returns the count of
 * distinct points, or -1 when out of memory. */
static long merge_repeated(long *group, long *reps, const mpz_t *scaled,
                           long n, int d)
{
    row_key *keys;
    long *first;
    long count = 0;

    if (n == 0)
        return 0;
    keys = malloc((size_t)n * sizeof(*keys));
    first = malloc((size_t)n * sizeof(long));
    if (!keys || !first) {
        free(keys);
        free(first);
        return -1;
    }
    for (long i = 0; i < n; i++) {
        keys[i].row = d > 0 ? scaled + (size_t)i * d : scaled;
        keys[i].d = d;
        keys[i].id = i;
    }
    qsort(keys, (size_t)n, sizeof(*keys), compare_rows);

    /* Within a run of equal rows the first key has the smallest index. */
    for (long s = 0; s < n; s++) {
        int same = s > 0 && rows_equal(keys[s].row, keys[s - 1].row, d);
        first[keys[s].id] = same ? first[keys[s - 1].id] : keys[s].id;
    }
    for (long i = 0; i < n; i++) {
        if (first[i] == i) {
            reps[count] = i;
            group[i] = count++;
        } else {
            group[i] = group[first[i]];
        }
    }
    free(keys);
    free(first);
    return count;
}

/* Subtracts from v the multiples of the normalized basis rows (in order
 * of insertion) that clear v at every pivot column. */
static void reduce_vector(mpq_t *v, mpq_t *basis, const int *pivot,
                          int rank, int d, mpq_t factor, mpq_t term)
{
    for (int b = 0; b < rank; b++) {
        int p = pivot[b];
        if (mpq_sgn(v[p]) == 0)
            continue;
        mpq_set(factor, v[p]);
        for (int c = p; c < d; c++) {
            mpq_mul(term, factor, basis[(size_t)b * d + c]);
            mpq_sub(v[c], v[c], term);
        }
    }
}

static int compare_ints(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    return (a > b) - (a < b);
}

/* Writes into cols, increasing, the pivot columns of the span of the
 * differences rep_i - rep_0, by incremental Gaussian elimination in
 * rationals.  The columns of that span restricted to cols are independent,
 * so the projection onto cols is injective on the affine hull.  Returns
 * the rank, or -1 when out of memory. */
static int hull_columns(int *cols, const mpz_t *scaled, int d,
                        const long *reps, long count)
{
    int max_rank = count - 1 < d ? (int)(count - 1) : d, rank = 0;
    mpq_t *basis, *v, factor, term;

    if (max_rank <= 0)
        return 0;
    basis = mpq_array_new((size_t)max_rank * d);
    v = mpq_array_new((size_t)d);
    if (!basis || !v) {
        mpq_array_free(basis, basis ? (size_t)max_rank * d : 0);
        mpq_array_free(v, v ? (size_t)d : 0);
        return -1;
    }
    mpq_init(factor);
    mpq_init(term);

    for (long i = 1; i < count && rank < max_rank; i++) {
        int p = 0;
        for (int c = 0; c < d; c++) {
            mpz_sub(mpq_numref(v[c]), scaled[(size_t)reps[i] * d + c],
                    scaled[(size_t)reps[0] * d + c]);
            mpz_set_ui(mpq_denref(v[c]), 1);
        }
        reduce_vector(v, basis, cols, rank, d, factor, term);
        while (p < d && mpq_sgn(v[p]) == 0)
            p++;
        if (p == d)
            continue;
        for (int c = 0; c < d; c++)
            mpq_div(basis[(size_t)rank * d + c], v[c], v[p]);
        cols[rank++] = p;
    }

    mpq_clear(factor);
    mpq_clear(term);
    mpq_array_free(basis, (size_t)max_rank * d);
    mpq_array_free(v, (size_t)d);
    qsort(cols, (size_t)rank, sizeof(int), compare_ints);
    return rank;
}

void xt_reduced_points_clear(xt_reduced_points *points)
{
    free(points->group);
    xt_mpz_array_free(points->coord,
                      (size_t)points->count * (size_t)points->dim);
    points->group = NULL;
    points->coord = NULL;
    points->count = 0;
    points->dim = 0;
}

/* Copies the projected coordinates of the representatives. */
static int copy_projection(xt_reduced_points *out, const mpz_t *scaled,
                           int d, const long *reps, const int *cols)
{
    size_t size = (size_t)out->count * (size_t)out->dim;

    if (size == 0)
        return XT_OK;
    out->coord = xt_mpz_array_new(size);
    if (!out->coord)
        return XT_ERR_NOMEM;
    for (long k = 0; k < out->count; k++)
        for (int t = 0; t < out->dim; t++)
            mpz_set(out->coord[(size_t)k * out->dim + t],
                    scaled[(size_t)reps[k] * d + cols[t]]);
    return XT_OK;
}

int xt_reduce_points(xt_reduced_points *out, const mpq_t *x, long n, int d)
{
    size_t size = (size_t)n * (size_t)d;
    mpz_t *scaled = NULL;
    long *reps = malloc((n > 0 ? (size_t)n : 1) * sizeof(long));
    int *cols = malloc((d > 0 ? (size_t)d : 1) * sizeof(int));
    int rc = XT_ERR_NOMEM, rank;

    out->n = n;
    out->count = 0;
    out->dim = 0;
    out->coord = NULL;
    out->group = malloc((n > 0 ? (size_t)n : 1) * sizeof(long));
    if (d > 0 && (size_t)n > SIZE_MAX / (size_t)d)
        goto done;
    if (size > 0 && !(scaled = xt_mpz_array_new(size)))
        goto done;
    if (!reps || !cols || !out->group)
        goto done;
    if (size > 0)
        scale_columns(scaled, x, n, d);

    out->count = merge_repeated(out->group, reps, scaled, n, d);
    if (out->count < 0) {
        out->count = 0;
        goto done;
    }
    rank = hull_columns(cols, scaled, d, reps, out->count);
    if (rank < 0)
        goto done;
    out->dim = rank;
    rc = copy_projection(out, scaled, d, reps, cols);
done:
    xt_mpz_array_free(scaled, size);
    free(reps);
    free(cols);
    return rc;
}
