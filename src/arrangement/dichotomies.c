/* Enumeration of the affine dichotomies of a finite point set, exactly.
 *
 * Reductions.  Scaling a coordinate column by a positive constant maps
 * affine functions to affine functions, so each column is multiplied by
 * the lcm of its denominators and all later tests are integer
 * arithmetic.  Repeated points are always on the same side of an affine
 * function, so they are merged.  Projecting onto the pivot columns of the
 * difference vectors p_i - p_0 is injective on the affine hull of the
 * points, hence an affine bijection from the hull onto Q^r.  Every affine
 * function on the hull extends to Q^d, so the dichotomies do not
 * change.  The projected points span Q^r affinely.
 *
 * Recursion.  Let X span Q^r affinely (r >= 1) and let f be > 0 on A and
 * < 0 on X \ A, with A neither empty nor full.  The closed cone
 * K = {(w, b) : s_i (w.x_i + b) >= 0 for all i}, s_i = +1 on A and -1 off
 * A, has nonempty interior (it contains f) and contains no line (only
 * (0, 0) vanishes on all of X), so it has an extreme ray g.  An extreme
 * ray of a full-dimensional pointed cone in Q^(r+1) makes r linearly
 * independent constraints tight, so the zero set H of g is a hyperplane
 * spanned by r affinely independent points of X.  In words, the separator
 * can be moved, keeping its strict sides, until it touches r affinely
 * spanning points.  Off H, g has the sign s_i, so A \ H is the positive
 * side of H under g, and f restricted to H separates A and H \ A: A ∩ H
 * is a dichotomy of X ∩ H inside H.  Conversely, g + eps * h, with h an
 * extension of a separator inside H and eps > 0 small, realizes (positive
 * side) ∪ B for every dichotomy B of X ∩ H.  So the dichotomies are the
 * empty and the full set plus, for every hyperplane H spanned by points of
 * X, both orientations of H and every dichotomy of X ∩ H (one dimension
 * lower), deduplicated in a hash set.  These sets are the candidate
 * activation sets of one hidden neuron in the exact training algorithm of
 * Arora, Basu, Mianjy and Mukherjee (ICLR 2018).
 *
 * Shortcuts.  Dimension 1 is a sort (prefixes and suffixes).  When X ∩ H
 * is exactly r affinely independent points, all 2^r subsets are
 * dichotomies of it, which skips the recursion in general position.
 * Merging repeated points only saves time: the enumeration skips affinely
 * dependent r-subsets and groups equal values in dimension 1, so it is
 * also correct on repeated points. */
#include <stdlib.h>
#include <string.h>
#include "arrangement_impl.h"

/* Distinct points with integer coordinates spanning Q^dim affinely. */
typedef struct {
    mpz_t *coord;     /* count rows of dim entries */
    long count;
    int dim;
    size_t words;     /* bitset words over the distinct points */
    size_t max_count; /* 0 means no limit */
} point_set;

static mpz_srcptr coord_of(const point_set *points, long p, int c)
{
    return points->coord[(size_t)p * (size_t)points->dim + (size_t)c];
}

/* Inserts set into out and enforces the count limit.  A dichotomy B of a
 * lower level yields the distinct top-level set (positive side) ∪ B, so a
 * lower level that exceeds the limit proves the final list does too. */
static int insert_set(const point_set *points, xt_bitset_table *out,
                      const uint64_t *set)
{
    int inserted = xt_bitset_table_insert(out, set);

    if (inserted < 0)
        return XT_ERR_NOMEM;
    if (points->max_count && out->count > points->max_count)
        return XT_ERR_LIMIT;
    return XT_OK;
}

/* Inserts the empty set and the set of all points of idx. */
static int insert_empty_and_full(const point_set *points, const long *idx,
                                 long k, xt_bitset_table *out,
                                 uint64_t *work)
{
    int rc;

    memset(work, 0, points->words * sizeof(uint64_t));
    rc = insert_set(points, out, work);
    for (long t = 0; t < k; t++)
        xt_bitset_add(work, idx[t]);
    if (rc == XT_OK)
        rc = insert_set(points, out, work);
    return rc;
}

static int enumerate_level(const point_set *points, const long *idx, long k,
                           const int *cols, int r, xt_bitset_table *out);

/* ---- Dimension 1: prefixes and suffixes of the sorted points. ---- */

typedef struct {
    mpz_srcptr value;
    long id;
} keyed_point;

static int compare_keyed(const void *pa, const void *pb)
{
    const keyed_point *a = pa, *b = pb;
    int c = mpz_cmp(a->value, b->value);

    if (c)
        return c;
    return (a->id > b->id) - (a->id < b->id);
}

static int enumerate_line(const point_set *points, const long *idx, long k,
                          int col, xt_bitset_table *out)
{
    size_t words = points->words;
    keyed_point *keys = malloc((size_t)k * sizeof(*keys));
    uint64_t *prefix = calloc(2 * words, sizeof(uint64_t));
    uint64_t *suffix = prefix ? prefix + words : NULL;
    int rc = XT_ERR_NOMEM;

    if (!keys || !prefix)
        goto done;
    for (long t = 0; t < k; t++) {
        keys[t].value = coord_of(points, idx[t], col);
        keys[t].id = idx[t];
        xt_bitset_add(suffix, idx[t]);
    }
    qsort(keys, (size_t)k, sizeof(*keys), compare_keyed);

    /* Cut only between distinct values, so equal values stay on one side.
     * Merging makes equal values impossible here, but the check is cheap. */
    rc = insert_set(points, out, prefix);
    if (rc == XT_OK)
        rc = insert_set(points, out, suffix);
    for (long t = 0; t < k && rc == XT_OK; t++) {
        xt_bitset_add(prefix, keys[t].id);
        suffix[(size_t)keys[t].id / 64] &=
            ~((uint64_t)1 << ((unsigned)keys[t].id % 64));
        if (t + 1 < k && mpz_cmp(keys[t].value, keys[t + 1].value) == 0)
            continue;
        rc = insert_set(points, out, prefix);
        if (rc == XT_OK)
            rc = insert_set(points, out, suffix);
    }
done:
    free(keys);
    free(prefix);
    return rc;
}

/* ---- Dimension r >= 2: hyperplanes through r points. ---- */

/* Scratch space of one level of the recursion. */
typedef struct {
    int r;
    long *comb;       /* r positions into idx, increasing */
    mpz_t *diff;      /* r-1 rows of r entries: p_l - p_0 */
    mpz_t *minor;     /* (r-1) x (r-1) working copy for determinants */
    mpz_t *normal;    /* r entries */
    mpz_t offset;
    mpz_t value;
    mpz_t prev;
    long *zero_idx;   /* the points on the current hyperplane */
    int *sub_cols;    /* the r-1 columns kept inside the hyperplane */
    uint64_t *pos;    /* points on the positive side */
    uint64_t *neg;
    uint64_t *zero;
    uint64_t *work;
} level_scratch;

static void scratch_clear(level_scratch *s)
{
    size_t r = (size_t)s->r;

    free(s->comb);
    xt_mpz_array_free(s->diff, (r - 1) * r);
    xt_mpz_array_free(s->minor, (r - 1) * (r - 1));
    xt_mpz_array_free(s->normal, r);
    mpz_clear(s->offset);
    mpz_clear(s->value);
    mpz_clear(s->prev);
    free(s->zero_idx);
    free(s->sub_cols);
    free(s->pos);
}

/* Returns 0, or -1 when out of memory (s must still be cleared). */
static int scratch_init(level_scratch *s, int r, long k, size_t words)
{
    size_t ru = (size_t)r;

    s->r = r;
    s->comb = malloc(ru * sizeof(long));
    s->diff = xt_mpz_array_new((ru - 1) * ru);
    s->minor = xt_mpz_array_new((ru - 1) * (ru - 1));
    s->normal = xt_mpz_array_new(ru);
    mpz_init(s->offset);
    mpz_init(s->value);
    mpz_init(s->prev);
    s->zero_idx = malloc((size_t)k * sizeof(long));
    s->sub_cols = malloc(ru * sizeof(int));
    s->pos = calloc(4 * words, sizeof(uint64_t));
    s->neg = s->pos ? s->pos + words : NULL;
    s->zero = s->pos ? s->pos + 2 * words : NULL;
    s->work = s->pos ? s->pos + 3 * words : NULL;
    if (!s->comb || !s->diff || !s->minor || !s->normal || !s->zero_idx
        || !s->sub_cols || !s->pos)
        return -1;
    return 0;
}

/* Sets out to the determinant of the size x size matrix m (row-major,
 * destroyed) by Bareiss's fraction-free elimination. */
static void determinant(mpz_t out, mpz_t *m, int size, mpz_t prev)
{
    int sign = 1;

    mpz_set_ui(prev, 1);
    for (int p = 0; p + 1 < size; p++) {
        int pivot = p;
        while (pivot < size && mpz_sgn(m[pivot * size + p]) == 0)
            pivot++;
        if (pivot == size) {
            mpz_set_ui(out, 0);
            return;
        }
        if (pivot != p) {
            for (int c = p; c < size; c++)
                mpz_swap(m[pivot * size + c], m[p * size + c]);
            sign = -sign;
        }
        for (int i = p + 1; i < size; i++) {
            for (int j = p + 1; j < size; j++) {
                mpz_mul(m[i * size + j], m[i * size + j], m[p * size + p]);
                mpz_submul(m[i * size + j], m[i * size + p],
                           m[p * size + j]);
                mpz_divexact(m[i * size + j], m[i * size + j], prev);
            }
        }
        mpz_set(prev, m[p * size + p]);
    }
    mpz_set(out, m[(size - 1) * size + (size - 1)]);
    if (sign < 0)
        mpz_neg(out, out);
}

/* Computes the hyperplane normal . x + offset = 0 through the points
 * idx[comb[0..r-1]].  normal_c is (-1)^c times the minor of the difference
 * matrix without column c (the generalized cross product).  Returns 0 when
 * the points are affinely dependent, which makes the normal 0. */
static int hyperplane_through(const point_set *points, level_scratch *s,
                              const long *idx, const int *cols)
{
    int r = s->r, nonzero = 0;
    long base = idx[s->comb[0]];

    for (int l = 1; l < r; l++)
        for (int c = 0; c < r; c++)
            mpz_sub(s->diff[(l - 1) * r + c],
                    coord_of(points, idx[s->comb[l]], cols[c]),
                    coord_of(points, base, cols[c]));

    mpz_set_ui(s->offset, 0);
    for (int c = 0; c < r; c++) {
        for (int l = 0; l < r - 1; l++)
            for (int j = 0, jj = 0; j < r; j++)
                if (j != c)
                    mpz_set(s->minor[l * (r - 1) + jj++],
                            s->diff[l * r + j]);
        determinant(s->normal[c], s->minor, r - 1, s->prev);
        if (c % 2)
            mpz_neg(s->normal[c], s->normal[c]);
        nonzero |= mpz_sgn(s->normal[c]) != 0;
        mpz_submul(s->offset, s->normal[c], coord_of(points, base, cols[c]));
    }
    return nonzero;
}

/* Splits the points of idx into pos, neg and zero (bitsets and the list
 * zero_idx) by the sign of normal . x + offset.  Returns the zero count. */
static long classify(const point_set *points, level_scratch *s,
                     const long *idx, long k, const int *cols)
{
    size_t bytes = points->words * sizeof(uint64_t);
    long zero_count = 0;

    memset(s->pos, 0, bytes);
    memset(s->neg, 0, bytes);
    memset(s->zero, 0, bytes);
    for (long t = 0; t < k; t++) {
        int sign;
        mpz_set(s->value, s->offset);
        for (int c = 0; c < s->r; c++)
            mpz_addmul(s->value, s->normal[c],
                       coord_of(points, idx[t], cols[c]));
        sign = mpz_sgn(s->value);
        if (sign > 0) {
            xt_bitset_add(s->pos, idx[t]);
        } else if (sign < 0) {
            xt_bitset_add(s->neg, idx[t]);
        } else {
            xt_bitset_add(s->zero, idx[t]);
            s->zero_idx[zero_count++] = idx[t];
        }
    }
    return zero_count;
}

/* Inserts pos ∪ inner and neg ∪ inner. */
static int insert_both_sides(const point_set *points, level_scratch *s,
                             const uint64_t *inner, xt_bitset_table *out)
{
    int rc;

    for (size_t w = 0; w < points->words; w++)
        s->work[w] = s->pos[w] | inner[w];
    rc = insert_set(points, out, s->work);
    if (rc != XT_OK)
        return rc;
    for (size_t w = 0; w < points->words; w++)
        s->work[w] = s->neg[w] | inner[w];
    return insert_set(points, out, s->work);
}

/* The r points on the hyperplane are affinely independent, so every
 * subset of them is a dichotomy inside it. */
static int combine_simplex(const point_set *points, level_scratch *s,
                           xt_bitset_table *out)
{
    size_t words = points->words;
    uint64_t *inner = s->zero; /* reused: zero is not needed any more */
    int rc = XT_OK;

    for (uint64_t mask = 0; mask >> s->r == 0 && rc == XT_OK; mask++) {
        memset(inner, 0, words * sizeof(uint64_t));
        for (int l = 0; l < s->r; l++)
            if ((mask >> l) & 1u)
                xt_bitset_add(inner, s->zero_idx[l]);
        rc = insert_both_sides(points, s, inner, out);
    }
    return rc;
}

/* Recurses into the hyperplane, dropping a coordinate whose normal entry
 * is nonzero: on the hyperplane that coordinate is an affine function of
 * the others, so the projection is injective there. */
static int combine_recursive(const point_set *points, level_scratch *s,
                             long zero_count, const int *cols,
                             xt_bitset_table *out)
{
    xt_bitset_table inner;
    int drop = 0, rc;

    while (mpz_sgn(s->normal[drop]) == 0)
        drop++;
    for (int c = 0, kept = 0; c < s->r; c++)
        if (c != drop)
            s->sub_cols[kept++] = cols[c];

    xt_bitset_table_init(&inner, points->words);
    rc = enumerate_level(points, s->zero_idx, zero_count, s->sub_cols,
                         s->r - 1, &inner);
    for (size_t b = 0; b < inner.count && rc == XT_OK; b++)
        rc = insert_both_sides(points, s, inner.sets + b * inner.words,
                               out);
    xt_bitset_table_clear(&inner);
    return rc;
}

/* Advances comb to the next increasing r-subset of 0..k-1.  Returns 0
 * after the last one. */
static int next_combination(long *comb, int r, long k)
{
    int i = r - 1;

    while (i >= 0 && comb[i] == k - r + i)
        i--;
    if (i < 0)
        return 0;
    comb[i]++;
    for (int j = i + 1; j < r; j++)
        comb[j] = comb[j - 1] + 1;
    return 1;
}

static int enumerate_hyperplanes(const point_set *points, const long *idx,
                                 long k, const int *cols, int r,
                                 xt_bitset_table *out)
{
    level_scratch s;
    xt_bitset_table seen; /* zero sets of the hyperplanes already done */
    int rc = XT_ERR_NOMEM, more = k >= r;

    xt_bitset_table_init(&seen, points->words);
    if (scratch_init(&s, r, k, points->words) != 0)
        goto done;
    rc = insert_empty_and_full(points, idx, k, out, s.work);
    for (int l = 0; l < r; l++)
        s.comb[l] = l;

    for (; more && rc == XT_OK; more = next_combination(s.comb, r, k)) {
        long zero_count;
        int fresh;
        if (!hyperplane_through(points, &s, idx, cols))
            continue;
        zero_count = classify(points, &s, idx, k, cols);
        fresh = xt_bitset_table_insert(&seen, s.zero);
        if (fresh < 0)
            rc = XT_ERR_NOMEM;
        else if (fresh && zero_count == r)
            rc = combine_simplex(points, &s, out);
        else if (fresh)
            rc = combine_recursive(points, &s, zero_count, cols, out);
    }
done:
    scratch_clear(&s);
    xt_bitset_table_clear(&seen);
    return rc;
}

/* Adds to out the dichotomies of the k distinct points idx, which span
 * Q^r affinely in the coordinates cols. */
static int enumerate_level(const point_set *points, const long *idx, long k,
                           const int *cols, int r, xt_bitset_table *out)
{
    if (r == 0) {
        uint64_t *work = calloc(points->words, sizeof(uint64_t));
        int rc = work ? insert_empty_and_full(points, idx, k, out, work)
                      : XT_ERR_NOMEM;
        free(work);
        return rc;
    }
    if (r == 1)
        return enumerate_line(points, idx, k, cols[0], out);
    return enumerate_hyperplanes(points, idx, k, cols, r, out);
}

/* Maps each set over the distinct points to the set of input points and
 * appends it to out. */
static int expand_sets(xt_dichotomy_list *out, const xt_bitset_table *table,
                       const xt_reduced_points *reduced)
{
    uint64_t *set = malloc(out->words * sizeof(uint64_t));
    int rc = set ? XT_OK : XT_ERR_NOMEM;

    for (size_t s = 0; s < table->count && rc == XT_OK; s++) {
        const uint64_t *distinct = table->sets + s * table->words;
        memset(set, 0, out->words * sizeof(uint64_t));
        for (long i = 0; i < reduced->n; i++)
            if (xt_bitset_contains(distinct, reduced->group[i]))
                xt_bitset_add(set, i);
        rc = xt_dichotomy_list_push(out, set);
    }
    free(set);
    return rc;
}

/* Runs the recursion on all reduced points and fills out. */
static int enumerate_reduced(xt_dichotomy_list *out,
                             const xt_reduced_points *reduced,
                             size_t max_count)
{
    point_set points = {reduced->coord, reduced->count, reduced->dim,
                        xt_bitset_words(reduced->count), max_count};
    long *idx = malloc((size_t)reduced->count * sizeof(long));
    int *cols = malloc(((size_t)reduced->dim + 1) * sizeof(int));
    xt_bitset_table table;
    int rc = XT_ERR_NOMEM;

    xt_bitset_table_init(&table, points.words);
    if (!idx || !cols)
        goto done;
    for (long k = 0; k < reduced->count; k++)
        idx[k] = k;
    for (int c = 0; c < reduced->dim; c++)
        cols[c] = c;
    rc = enumerate_level(&points, idx, reduced->count, cols, reduced->dim,
                         &table);
    if (rc == XT_OK)
        rc = expand_sets(out, &table, reduced);
    if (rc == XT_OK)
        rc = xt_dichotomy_list_sort(out);
done:
    xt_bitset_table_clear(&table);
    free(idx);
    free(cols);
    return rc;
}

int xt_dichotomies(xt_dichotomy_list *out, const mpq_t *x, long n, int d,
                   size_t max_count, xt_error_t *err)
{
    xt_reduced_points reduced;
    int rc;

    xt_dichotomy_list_clear(out);
    xt_dichotomy_list_init(out, n);
    if (n < 0 || d < 0 || (!x && n > 0 && d > 0)) {
        xt_error_set(err, "invalid point set for dichotomies: n = %ld, "
                     "d = %d, points %s", n, d, x ? "given" : "missing");
        return XT_ERR_INPUT;
    }
    if (n == 0) {
        uint64_t empty = 0;
        rc = xt_dichotomy_list_push(out, &empty);
    } else {
        rc = xt_reduce_points(&reduced, x, n, d);
        /* At least 2^(dim+1) sets: too many to store, and the 64-bit
         * subset masks of combine_simplex need dim < 64. */
        if (rc == XT_OK && reduced.dim > 60)
            rc = XT_ERR_LIMIT;
        if (rc == XT_OK)
            rc = enumerate_reduced(out, &reduced, max_count);
        xt_reduced_points_clear(&reduced);
    }

    if (rc == XT_ERR_NOMEM)
        xt_error_set(err, "out of memory while enumerating the dichotomies "
                     "of %ld points in dimension %d", n, d);
    else if (rc == XT_ERR_LIMIT)
        xt_error_set(err, "the %ld points have more than %zu dichotomies; "
                     "raise the limit or use fewer points", n,
                     max_count ? max_count : SIZE_MAX);
    if (rc != XT_OK)
        xt_dichotomy_list_clear(out);
    return rc;
}
