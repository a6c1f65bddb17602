/* Building LP and QP problems and their results (see xtrain/lp.h). */
#include <stdlib.h>
#include <string.h>
#include "lp_internal.h"

#define XT_LP_FIRST_CAPACITY 8

void xt_lp_init(xt_lp_t lp, int ncols)
{
    memset(lp, 0, sizeof *lp);
    lp->ncols = ncols > 0 ? ncols : 0;
    lp->c = xt_lp_qvec_new(lp->ncols);
}

void xt_lp_clear(xt_lp_t lp)
{
    int n = lp->ncols;
    xt_lp_qvec_free(lp->a, lp->row_capacity * n);
    xt_lp_qvec_free(lp->b, lp->row_capacity);
    free(lp->type);
    xt_lp_qvec_free(lp->c, n);
    xt_lp_qvec_free(lp->m, lp->sq_capacity * n);
    xt_lp_qvec_free(lp->t, lp->sq_capacity);
    memset(lp, 0, sizeof *lp);
}

/* Clears entries from..to-1 of v and frees v (NULL allowed). */
static void drop_q(mpq_t *v, int from, int to)
{
    if (!v)
        return;
    for (int i = from; i < to; i++)
        mpq_clear(v[i]);
    free(v);
}

/* Moves old (count initialized entries) into a new array of cap entries,
 * initializing the rest.  Returns NULL on failure (old untouched). */
static mpq_t *grow_q(mpq_t *old, int count, int cap)
{
    mpq_t *v;
    if (cap == 0)
        return NULL;
    v = malloc((size_t)cap * sizeof *v);
    if (!v)
        return NULL;
    if (count > 0)
        memcpy(v, old, (size_t)count * sizeof *v);
    for (int i = count; i < cap; i++)
        mpq_init(v[i]);
    return v;
}

static int grow_rows(xt_lp_t lp)
{
    int n = lp->ncols, old = lp->row_capacity;
    int cap = old ? 2 * old : XT_LP_FIRST_CAPACITY;
    mpq_t *b = grow_q(lp->b, old, cap);
    mpq_t *a = n > 0 ? grow_q(lp->a, old * n, cap * n) : NULL;
    xt_row_type *type = malloc((size_t)cap * sizeof *type);

    if (!b || (n > 0 && !a) || !type) {
        /* Only the entries past the old ones are new: clear those. */
        drop_q(b, old, cap);
        drop_q(a, old * n, cap * n);
        free(type);
        return -1;
    }
    if (old > 0)
        memcpy(type, lp->type, (size_t)old * sizeof *type);
    free(lp->a);
    free(lp->b);
    free(lp->type);
    lp->a = a;
    lp->b = b;
    lp->type = type;
    lp->row_capacity = cap;
    return 0;
}

int xt_lp_add_row(xt_lp_t lp, const mpq_t *coef, xt_row_type type,
                  const mpq_t rhs)
{
    int n = lp->ncols, i;

    if (lp->nrows == lp->row_capacity && grow_rows(lp) != 0)
        return -1;
    i = lp->nrows++;
    for (int j = 0; j < n; j++)
        mpq_set(lp->a[(size_t)i * n + j], coef[j]);
    lp->type[i] = type;
    mpq_set(lp->b[i], rhs);
    return i;
}

static int grow_squares(xt_lp_t lp)
{
    int n = lp->ncols, old = lp->sq_capacity;
    int cap = old ? 2 * old : XT_LP_FIRST_CAPACITY;
    mpq_t *t = grow_q(lp->t, old, cap);
    mpq_t *m = n > 0 ? grow_q(lp->m, old * n, cap * n) : NULL;

    if (!t || (n > 0 && !m)) {
        drop_q(t, old, cap);
        drop_q(m, old * n, cap * n);
        return -1;
    }
    free(lp->t);
    free(lp->m);
    lp->t = t;
    lp->m = m;
    lp->sq_capacity = cap;
    return 0;
}

int xt_lp_add_square(xt_lp_t lp, const mpq_t *coef, const mpq_t target)
{
    int n = lp->ncols, k;

    if (lp->nsq == lp->sq_capacity && grow_squares(lp) != 0)
        return -1;
    k = lp->nsq++;
    for (int j = 0; j < n; j++)
        mpq_set(lp->m[(size_t)k * n + j], coef[j]);
    mpq_set(lp->t[k], target);
    return k;
}

void xt_lp_truncate(xt_lp_t lp, int nrows, int nsq)
{
    if (nrows >= 0 && nrows < lp->nrows)
        lp->nrows = nrows;
    if (nsq >= 0 && nsq < lp->nsq)
        lp->nsq = nsq;
}

void xt_lp_result_init(xt_lp_result_t res)
{
    memset(res, 0, sizeof *res);
    res->status = XT_LP_ERROR;
    mpq_init(res->value);
}

void xt_lp_result_clear(xt_lp_result_t res)
{
    mpq_clear(res->value);
    xt_lp_qvec_free(res->x, res->ncols);
    xt_lp_qvec_free(res->y, res->nrows);
    memset(res, 0, sizeof *res);
}
