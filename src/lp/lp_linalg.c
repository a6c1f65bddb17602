/* Exact dense linear algebra for the LP layer: rational row reduction,
 * fraction-free integer solves (Bareiss, "Sylvester's identity and
 * multistep integer-preserving Gaussian elimination", Math. Comp. 22,
 * 1968), and the small vector and problem containers. */
#include <stdlib.h>
#include "lp_internal.h"

mpz_t *xt_lp_zvec_new(int count)
{
    if (count <= 0)
        return NULL;
    mpz_t *v = malloc((size_t)count * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < count; i++)
        mpz_init(v[i]);
    return v;
}

void xt_lp_zvec_free(mpz_t *v, int count)
{
    if (!v)
        return;
    for (int i = 0; i < count; i++)
        mpz_clear(v[i]);
    free(v);
}

mpq_t *xt_lp_qvec_new(int count)
{
    if (count <= 0)
        return NULL;
    mpq_t *v = malloc((size_t)count * sizeof *v);
    if (!v)
        return NULL;
    for (int i = 0; i < count; i++)
        mpq_init(v[i]);
    return v;
}

void xt_lp_qvec_free(mpq_t *v, int count)
{
    if (!v)
        return;
    for (int i = 0; i < count; i++)
        mpq_clear(v[i]);
    free(v);
}

int xt_lp_prob_alloc(xt_lp_prob *P, int n, int m, int with_hess)
{
    P->n = n;
    P->m = m;
    P->a = xt_lp_zvec_new(m * n);
    P->b = xt_lp_zvec_new(m);
    P->eq = m > 0 ? calloc((size_t)m, 1) : NULL;
    P->hess = with_hess ? xt_lp_qvec_new(n * n) : NULL;
    P->lin = xt_lp_qvec_new(n);
    int ok = (m * n == 0 || P->a) && (m == 0 || (P->b && P->eq)) &&
             (!with_hess || n == 0 || P->hess) && (n == 0 || P->lin);
    if (!ok) {
        xt_lp_prob_free(P);
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_lp_prob_free(xt_lp_prob *P)
{
    xt_lp_zvec_free(P->a, P->m * P->n);
    xt_lp_zvec_free(P->b, P->m);
    free(P->eq);
    xt_lp_qvec_free(P->hess, P->n * P->n);
    xt_lp_qvec_free(P->lin, P->n);
    P->a = P->b = NULL;
    P->eq = NULL;
    P->hess = P->lin = NULL;
    P->n = P->m = 0;
}

int xt_lp_cert_alloc(xt_lp_cert *C, int n, int m)
{
    C->status = XT_LP_ERROR;
    C->n = n;
    C->m = m;
    C->x = xt_lp_qvec_new(n);
    C->y = xt_lp_qvec_new(m);
    if ((n > 0 && !C->x) || (m > 0 && !C->y)) {
        xt_lp_cert_free(C);
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_lp_cert_free(xt_lp_cert *C)
{
    xt_lp_qvec_free(C->x, C->n);
    xt_lp_qvec_free(C->y, C->m);
    C->x = C->y = NULL;
    C->n = C->m = 0;
}

void xt_lp_cert_reset(xt_lp_cert *C)
{
    C->status = XT_LP_ERROR;
    for (int j = 0; j < C->n; j++)
        mpq_set_ui(C->x[j], 0, 1);
    for (int i = 0; i < C->m; i++)
        mpq_set_ui(C->y[i], 0, 1);
}

static void swap_rows_q(mpq_t *a, int r1, int r2, int cols, int stride)
{
    for (int j = 0; j < cols; j++)
        mpq_swap(a[r1 * stride + j], a[r2 * stride + j]);
}

/* Subtracts factor times row src from row dst, from column col on. */
static void eliminate_q(mpq_t *dst, const mpq_t *src, const mpq_t factor,
                        int col, int cols, mpq_t prod)
{
    for (int j = col; j < cols; j++) {
        if (mpq_sgn(src[j]) == 0)
            continue;
        mpq_mul(prod, factor, src[j]);
        mpq_sub(dst[j], dst[j], prod);
    }
}

int xt_lp_rref(mpq_t *a, int rows, int cols, int stride, int pivcols,
               int *piv, mpq_t *tmp)
{
    int rank = 0;

    for (int col = 0; col < pivcols && rank < rows; col++) {
        int r = rank;
        while (r < rows && mpq_sgn(a[r * stride + col]) == 0)
            r++;
        if (r == rows)
            continue;
        if (r != rank)
            swap_rows_q(a, r, rank, cols, stride);

        /* Scale the pivot row so that the pivot is 1. */
        mpq_t *prow = a + rank * stride;
        mpq_inv(tmp[0], prow[col]);
        for (int j = col + 1; j < cols; j++)
            if (mpq_sgn(prow[j]) != 0)
                mpq_mul(prow[j], prow[j], tmp[0]);
        mpq_set_ui(prow[col], 1, 1);

        /* Clear the pivot column in every other row. */
        for (int i = 0; i < rows; i++) {
            mpq_t *row = a + i * stride;
            if (i == rank || mpq_sgn(row[col]) == 0)
                continue;
            mpq_set(tmp[0], row[col]);
            eliminate_q(row, prow, tmp[0], col + 1, cols, tmp[1]);
            mpq_set_ui(row[col], 0, 1);
        }
        piv[rank++] = col;
    }
    return rank;
}

static void swap_rows_z(mpz_t *a, int r1, int r2, int stride)
{
    for (int j = 0; j < stride; j++)
        mpz_swap(a[r1 * stride + j], a[r2 * stride + j]);
}

/* Back substitution on the Bareiss echelon form: with d the last pivot
 * (the determinant up to sign), d * x_i are integers by Cramer's rule,
 * so every division below is exact. */
static void bareiss_back(mpz_t *a, int k, mpz_t *num, mpz_t t)
{
    int stride = k + 1;
    mpz_srcptr det = a[(k - 1) * stride + k - 1];

    for (int i = k - 1; i >= 0; i--) {
        mpz_mul(t, det, a[i * stride + k]);
        for (int j = i + 1; j < k; j++)
            mpz_submul(t, a[i * stride + j], num[j]);
        mpz_divexact(num[i], t, a[i * stride + i]);
    }
}

int xt_lp_bareiss_solve(mpz_t *a, int k, mpz_t *num, mpz_t den,
                        mpz_t *tmp)
{
    int stride = k + 1;
    mpz_ptr prev = tmp[0];

    mpz_set_ui(prev, 1);
    for (int p = 0; p < k; p++) {
        int r = p;
        while (r < k && mpz_sgn(a[r * stride + p]) == 0)
            r++;
        if (r == k)
            return 0;
        if (r != p)
            swap_rows_z(a, r, p, stride);

        mpz_srcptr pp = a[p * stride + p];
        for (int i = p + 1; i < k; i++) {
            mpz_t *row = a + i * stride;
            mpz_t *prow = a + p * stride;
            for (int j = p + 1; j <= k; j++) {
                mpz_mul(tmp[1], pp, row[j]);
                mpz_submul(tmp[1], row[p], prow[j]);
                mpz_divexact(row[j], tmp[1], prev);
            }
            mpz_set_ui(row[p], 0);
        }
        mpz_set(prev, pp);
    }

    if (k == 0) {
        mpz_set_ui(den, 1);
        return 1;
    }
    bareiss_back(a, k, num, tmp[1]);
    mpz_set(den, a[(k - 1) * stride + k - 1]);
    if (mpz_sgn(den) < 0) {
        mpz_neg(den, den);
        for (int i = 0; i < k; i++)
            mpz_neg(num[i], num[i]);
    }
    return 1;
}

void xt_lp_common_den(mpz_t *num, mpz_t den, const mpq_t *v, int len)
{
    mpz_set_ui(den, 1);
    for (int j = 0; j < len; j++)
        if (mpz_cmp_ui(mpq_denref(v[j]), 1) != 0)
            mpz_lcm(den, den, mpq_denref(v[j]));
    for (int j = 0; j < len; j++) {
        if (mpz_cmp_ui(mpq_denref(v[j]), 1) == 0) {
            mpz_mul(num[j], mpq_numref(v[j]), den);
        } else {
            mpz_divexact(num[j], den, mpq_denref(v[j]));
            mpz_mul(num[j], num[j], mpq_numref(v[j]));
        }
    }
}

void xt_lp_row_slacks(mpz_t *slack, const xt_lp_prob *P, const mpz_t *num,
                      const mpz_t den)
{
    int n = P->n;
    for (int i = 0; i < P->m; i++) {
        mpz_t *ai = P->a + (size_t)i * n;
        mpz_mul(slack[i], P->b[i], den);
        mpz_neg(slack[i], slack[i]);
        for (int j = 0; j < n; j++)
            if (mpz_sgn(ai[j]) != 0)
                mpz_addmul(slack[i], ai[j], num[j]);
    }
}

int xt_lp_primitive(mpz_t *out, mpq_t kappa, const mpq_t *v, int len)
{
    mpz_t den, g;
    int nonzero = 0;

    mpz_init(den);
    mpz_init(g);
    xt_lp_common_den(out, den, v, len);
    for (int j = 0; j < len; j++)
        mpz_gcd(g, g, out[j]);
    if (mpz_sgn(g) != 0) {
        nonzero = 1;
        for (int j = 0; j < len; j++)
            mpz_divexact(out[j], out[j], g);
        /* out = (den / g) * v */
        mpq_set_num(kappa, den);
        mpq_set_den(kappa, g);
        mpq_canonicalize(kappa);
    }
    mpz_clear(den);
    mpz_clear(g);
    return nonzero;
}
