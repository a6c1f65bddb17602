/* Vertex enumeration of a neuron's separation polyhedron
 *     P = {(w, b) : s_i (w.x_i + b) >= 1 for every point i},
 * s_i = +1 on the neuron's active set and -1 off it.  A vertex is a
 * feasible point where d + 1 linearly independent rows are tight, so
 * trying every (d + 1)-subset of rows finds them all; this is meant for
 * the small instances on which a reduction's backward map is tested
 * against every vertex solution, not for speed. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/rat.h"

/* C(n, r), or limit + 1 when it exceeds limit. */
static long binomial_capped(long n, long r, long limit)
{
    if (r < 0 || r > n)
        return 0;
    long value = 1;
    for (long i = 1; i <= r; i++) {
        /* value * (n - r + i) / i is exactly C(n - r + i, i). */
        if ((double)value * (double)(n - r + i) > 4e18)
            return limit + 1;
        value = value * (n - r + i) / i;
        if (value > limit)
            return limit + 1;
    }
    return value;
}

/* Advances the r-subset idx of {0..n-1} in lexicographic order. */
static int next_subset(long *idx, long r, long n)
{
    for (long p = r - 1; p >= 0; p--) {
        if (idx[p] < n - r + p) {
            idx[p]++;
            for (long q = p + 1; q < r; q++)
                idx[q] = idx[q - 1] + 1;
            return 1;
        }
    }
    return 0;
}

typedef struct {
    const mpq_t *x;
    long n;
    int d;
    const uint64_t *set;
    mpq_t *system;      /* (d + 1) x (d + 2) */
    mpq_t *z;           /* d + 1 */
    mpq_t t, product;
} vertex_work;

/* Solves the tight rows idx; returns 1 when they meet in one point that
 * satisfies every row of P (left in w->z). */
static int try_rows(vertex_work *w, const long *idx)
{
    int dim = w->d + 1, width = dim + 1;
    for (int r = 0; r < dim; r++) {
        long i = idx[r];
        int sign = xt_thr_bit(w->set, i) ? 1 : -1;
        for (int c = 0; c < w->d; c++) {
            mpq_set(w->system[r * width + c], w->x[i * w->d + c]);
            if (sign < 0)
                mpq_neg(w->system[r * width + c],
                        w->system[r * width + c]);
        }
        mpq_set_si(w->system[r * width + w->d], sign, 1);
        mpq_set_ui(w->system[r * width + dim], 1, 1);
    }
    if (xt_thr_linsolve(w->z, w->system, dim, dim) != dim)
        return 0;
    for (long i = 0; i < w->n; i++) {
        mpq_set(w->t, w->z[w->d]);
        for (int c = 0; c < w->d; c++) {
            mpq_mul(w->product, w->z[c], w->x[i * w->d + c]);
            mpq_add(w->t, w->t, w->product);
        }
        if (!xt_thr_bit(w->set, i))
            mpq_neg(w->t, w->t);
        if (mpq_cmp_ui(w->t, 1, 1) < 0)
            return 0;
    }
    return 1;
}

static int seen_before(mpq_t *const *list, long count, const mpq_t *z,
                       int dim)
{
    for (long v = 0; v < count; v++) {
        int same = 1;
        for (int c = 0; c < dim && same; c++)
            same = mpq_equal((*list)[v * dim + c], z[c]);
        if (same)
            return 1;
    }
    return 0;
}

long xt_thr_vertices(mpq_t **out, const mpq_t *x, long n, int d,
                     const uint64_t *set, long subsets, long max_vertices)
{
    int dim = d + 1;
    *out = NULL;
    if (binomial_capped(n, dim, subsets) > subsets)
        return -2;
    if (n < dim || max_vertices < 1)
        return 0;

    vertex_work w;
    memset(&w, 0, sizeof w);
    w.x = x;
    w.n = n;
    w.d = d;
    w.set = set;
    w.system = xt_rat_array_new((size_t)dim * (size_t)(dim + 1));
    w.z = xt_rat_array_new((size_t)dim);
    mpq_t *list = xt_rat_array_new((size_t)max_vertices * (size_t)dim);
    long *idx = malloc(sizeof(long) * (size_t)dim);
    long count = 0;
    if (!w.system || !w.z || !list || !idx) {
        count = -1;
        goto done;
    }
    mpq_init(w.t);
    mpq_init(w.product);
    for (int r = 0; r < dim; r++)
        idx[r] = r;
    do {
        if (!try_rows(&w, idx) || seen_before(&list, count, w.z, dim))
            continue;
        for (int c = 0; c < dim; c++)
            mpq_set(list[count * dim + c], w.z[c]);
        count++;
    } while (count < max_vertices && next_subset(idx, dim, n));
    mpq_clear(w.t);
    mpq_clear(w.product);
done:
    xt_rat_array_free(w.system, (size_t)dim * (size_t)(dim + 1));
    xt_rat_array_free(w.z, (size_t)dim);
    free(idx);
    if (count > 0) {
        /* Hand back an array of exactly count rows. */
        *out = xt_rat_array_new((size_t)count * (size_t)dim);
        if (!*out)
            count = -1;
        for (long e = 0; e < count * dim; e++)
            mpq_swap((*out)[e], list[e]);
    }
    xt_rat_array_free(list, (size_t)max_vertices * (size_t)dim);
    return count;
}
