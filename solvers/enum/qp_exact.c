/* Exact certification of a node QP from a working set guessed in double
 * precision.
 *
 * With the rows W as equations the node QP (see xt_node_qp) becomes
 *
 *     minimize ||M th - T||^2  s.t.  A_W th = 0,
 *
 * whose solutions are th = N u for an integer basis N of the null space
 * of A_W (block diagonal: one block per neuron, the output bias free).
 * The normal equations (N^T G N) u = N^T h give u, and then
 * ||M th - T||^2 = tt - u . N^T h.  The gradient 2 (G th - h) lies in
 * the row space of A_W, so A_W^T y = 2 (G th - h) has a solution y, one
 * block per neuron.  When y >= 0 the pair (th, y) satisfies the
 * conditions of Wolfe's dual (P. Wolfe, "A duality theorem for nonlinear
 * programming", Quart. Appl. Math. 19, 1961), so for every feasible th'
 *
 *     f(th') >= f(th) + grad f(th) . (th' - th)
 *            = f(th) + y . A_W th' >= f(th),
 *
 * since A_W th = 0 and A th' >= 0: the value is a lower bound even when
 * th violates rows outside W.  When th satisfies every row it is the
 * node's optimum.  All arithmetic is in GMP integers (fraction-free
 * Gauss-Jordan elimination, Bareiss 1968) with one common denominator. */
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"

/* int64 values go through mpz_set_si and the _ui functions. */
_Static_assert(sizeof(long) >= sizeof(int64_t), "long must hold int64_t");

static mpz_t *zvec_new(size_t count)
{
    mpz_t *v = malloc(count * sizeof *v);
    for (size_t i = 0; v && i < count; i++)
        mpz_init(v[i]);
    return v;
}

static void zvec_free(mpz_t *v, size_t count)
{
    for (size_t i = 0; v && i < count; i++)
        mpz_clear(v[i]);
    free(v);
}

int xt_qpexact_init(xt_qpexact *E, int p, int d1)
{
    memset(E, 0, sizeof *E);
    int side = (p > d1 ? p : d1) + 2;
    size_t s = (size_t)side;
    E->p = p;
    E->side = side;
    E->a = zvec_new(s * (s + 1));
    E->gn = zvec_new(s * s);
    E->zmat = zvec_new(s * s);
    E->nval = zvec_new(s * s);
    E->rvec = zvec_new(s);
    E->unum = zvec_new(s);
    E->th = zvec_new(s);
    E->grad = zvec_new(s);
    E->nstart = malloc(s * sizeof *E->nstart);
    E->nwidth = malloc(s * sizeof *E->nwidth);
    E->pivcol = malloc(s * sizeof *E->pivcol);
    E->perm = malloc(s * sizeof *E->perm);
    E->list = malloc(s * sizeof *E->list);
    E->wrow = malloc(s * sizeof *E->wrow);
    E->y = malloc(s * sizeof *E->y);
    E->x = malloc(s * sizeof *E->x);
    mpz_inits(E->den, E->det, E->tmp, E->value_num, NULL);
    mpq_init(E->value);
    for (int i = 0; E->y && E->x && i < side; i++) {
        mpq_init(E->y[i]);
        mpq_init(E->x[i]);
    }
    if (!E->a || !E->gn || !E->zmat || !E->nval || !E->rvec || !E->unum || !E->th ||
        !E->grad || !E->nstart || !E->nwidth || !E->pivcol || !E->perm ||
        !E->list || !E->wrow || !E->y || !E->x) {
        xt_qpexact_clear(E);
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_qpexact_clear(xt_qpexact *E)
{
    size_t s = (size_t)E->side;
    zvec_free(E->a, s * (s + 1));
    zvec_free(E->gn, s * s);
    zvec_free(E->zmat, s * s);
    zvec_free(E->nval, s * s);
    zvec_free(E->rvec, s);
    zvec_free(E->unum, s);
    zvec_free(E->th, s);
    zvec_free(E->grad, s);
    free(E->nstart);
    free(E->nwidth);
    free(E->pivcol);
    free(E->perm);
    free(E->list);
    free(E->wrow);
    for (size_t i = 0; E->y && E->x && i < s; i++) {
        mpq_clear(E->y[i]);
        mpq_clear(E->x[i]);
    }
    free(E->y);
    free(E->x);
    if (E->side) {
        mpz_clears(E->den, E->det, E->tmp, E->value_num, NULL);
        mpq_clear(E->value);
    }
    memset(E, 0, sizeof *E);
}

/* Fraction-free Gauss-Jordan elimination on the rows x (cols + 1)
 * augmented integer matrix a (row stride cols + 1).  Pivots are taken
 * column by column; a column without a nonzero entry in the remaining
 * rows is free.  Afterwards rows 0..rank-1 are the pivot rows, row r has
 * the value *det in column pivcol[r], 0 in the other pivot columns, and
 * perm[r] is the original row it came from.  Every entry stays an
 * integer (each is a minor of the input, Bareiss's identity), so the
 * divisions are exact.  With free variables set to 0 the solution is
 * x[pivcol[r]] = a[r][cols] / det. */
static int gauss_jordan(mpz_t *a, int rows, int cols, int *pivcol,
                        int *perm, mpz_t det, mpz_t tmp)
{
    int stride = cols + 1, rank = 0;
    mpz_set_ui(det, 1);
    for (int r = 0; r < rows; r++)
        if (perm)
            perm[r] = r;
    for (int col = 0; col < cols && rank < rows; col++) {
        int piv = -1;
        for (int r = rank; r < rows && piv < 0; r++)
            if (mpz_sgn(a[r * stride + col]))
                piv = r;
        if (piv < 0)
            continue;
        if (piv != rank) {
            for (int c = 0; c < stride; c++)
                mpz_swap(a[piv * stride + c], a[rank * stride + c]);
            if (perm) {
                int t = perm[piv];
                perm[piv] = perm[rank];
                perm[rank] = t;
            }
        }
        mpz_t *prow = a + rank * stride;
        for (int r = 0; r < rows; r++) {
            if (r == rank)
                continue;
            mpz_t *row = a + r * stride;
            for (int c = 0; c < stride; c++) {
                if (c == col)
                    continue;
                /* row[c] = (p * row[c] - row[col] * prow[c]) / det */
                mpz_mul(tmp, prow[col], row[c]);
                mpz_submul(tmp, row[col], prow[c]);
                mpz_divexact(row[c], tmp, det);
            }
            mpz_set_ui(row[col], 0);
        }
        /* Earlier pivot rows went through the same formula, which turned
         * their diagonal entry from the old det into the new one. */
        mpz_set(det, prow[col]);
        pivcol[rank++] = col;
    }
    return rank;
}

/* The working rows of neuron j, as indices into w, into E->list. */
static int rows_of_neuron(xt_qpexact *E, const xt_node_qp *P, const int *w,
                          int nw, int j)
{
    int count = 0;
    for (int c = 0; c < nw; c++)
        if (w[c] % P->k == j)
            E->list[count++] = c;
    return count;
}

/* Loads row w[c] (sigma V_i) into a[0..d1-1]. */
static void load_row(mpz_t *a, const xt_node_qp *P, int r)
{
    long pos = r / P->k;
    const int64_t *v = P->v + P->pts[pos] * P->d1;
    int sigma = P->sigma[r];
    for (int t = 0; t < P->d1; t++)
        mpz_set_si(a[t], (long)(sigma * v[t]));
}

/* Appends an integer basis of the null space of neuron j's working rows
 * to the columns of N.  Returns the new column count. */
static int null_space_block(xt_qpexact *E, const xt_node_qp *P,
                            const int *w, int nw, int j, int q)
{
    int d1 = P->d1, stride = d1 + 1;
    int nr = rows_of_neuron(E, P, w, nw, j);
    for (int r = 0; r < nr; r++) {
        load_row(E->a + r * stride, P, w[E->list[r]]);
        mpz_set_ui(E->a[r * stride + d1], 0);
    }
    int rank = gauss_jordan(E->a, nr, d1, E->pivcol, NULL, E->det, E->tmp);
    for (int f = 0; f < d1; f++) {
        int is_pivot = 0;
        for (int r = 0; r < rank && !is_pivot; r++)
            is_pivot = E->pivcol[r] == f;
        if (is_pivot)
            continue;
        /* n[f] = det, n[pivcol[r]] = -a[r][f]: row r . n = 0. */
        mpz_t *n = E->nval + (size_t)q * E->side;
        for (int t = 0; t < d1; t++)
            mpz_set_ui(n[t], 0);
        mpz_set(n[f], E->det);
        for (int r = 0; r < rank; r++)
            mpz_neg(n[E->pivcol[r]], E->a[r * stride + f]);
        E->nstart[q] = j * d1;
        E->nwidth[q] = d1;
        q++;
    }
    return q;
}

/* After gauss_jordan on the normal equations with rank < q: stores a
 * basis of their null space in the columns of E->zmat (q x f) and
 * returns f.  For a free column c, z[c] = det and z[pivcol[r]] =
 * -a[r][c], as in null_space_block. */
static int null_of_reduced(xt_qpexact *E, int q, int rank)
{
    int side = E->side, stride = q + 1, f = 0;
    for (int c = 0; c < q; c++) {
        int is_pivot = 0;
        for (int r = 0; r < rank && !is_pivot; r++)
            is_pivot = E->pivcol[r] == c;
        if (is_pivot)
            continue;
        for (int i = 0; i < q; i++)
            mpz_set_ui(E->zmat[i * side + f], 0);
        mpz_set(E->zmat[c * side + f], E->den);
        for (int r = 0; r < rank; r++)
            mpz_neg(E->zmat[E->pivcol[r] * side + f], E->a[r * stride + c]);
        f++;
    }
    return f;
}

/* Entry i of N v for a vector v over the null columns (block sparse). */
static void apply_n(mpz_t out, const xt_qpexact *E, int q, int i,
                    const mpz_t *v, int vstride)
{
    mpz_set_ui(out, 0);
    for (int c = 0; c < q; c++) {
        int t = i - E->nstart[c];
        if (t >= 0 && t < E->nwidth[c])
            mpz_addmul(out, E->nval[(size_t)c * E->side + t],
                       v[(size_t)c * vstride]);
    }
}

/* When the normal equations are singular, the optimum is reached on an
 * affine set of points.  Replaces the solution u0 (free variables 0) by
 * the one with the smallest |N u|: the limit of the regularized problem
 * that the numeric solver approximates, so the point is the one whose
 * feasibility the numeric working set predicted.  With Z the null space,
 * u = u0 + Z v where (NZ)^T (NZ) v = -(NZ)^T N u0.  Returns 0 when that
 * system is singular (never: NZ has full column rank). */
static int min_norm(xt_qpexact *E, const xt_node_qp *P, int q, int f)
{
    int p = P->p, side = E->side, stride = f + 1;
    /* NZ into gn (p x f), N u0 numerators into th. */
    for (int i = 0; i < p; i++) {
        for (int j = 0; j < f; j++)
            apply_n(E->gn[i * side + j], E, q, i, E->zmat + j, side);
        apply_n(E->th[i], E, q, i, E->unum, 1);
    }
    for (int a = 0; a < f; a++) {
        for (int b = 0; b < f; b++) {
            mpz_ptr cell = E->a[a * stride + b];
            mpz_set_ui(cell, 0);
            for (int i = 0; i < p; i++)
                mpz_addmul(cell, E->gn[i * side + a], E->gn[i * side + b]);
        }
        mpz_ptr rhs = E->a[a * stride + f];
        mpz_set_ui(rhs, 0);
        for (int i = 0; i < p; i++)
            mpz_submul(rhs, E->gn[i * side + a], E->th[i]);
    }
    if (gauss_jordan(E->a, f, f, E->perm, NULL, E->det, E->tmp) != f)
        return 0;
    if (mpz_sgn(E->det) < 0) {
        mpz_neg(E->det, E->det);
        for (int r = 0; r < f; r++)
            mpz_neg(E->a[r * stride + f], E->a[r * stride + f]);
    }
    /* u = (u0 det + Z v') / (den det) with v' = a[r][f] at perm[r]. */
    for (int c = 0; c < q; c++) {
        mpz_mul(E->unum[c], E->unum[c], E->det);
        for (int r = 0; r < f; r++)
            mpz_addmul(E->unum[c], E->zmat[c * side + E->perm[r]],
                       E->a[r * stride + f]);
    }
    mpz_mul(E->den, E->den, E->det);
    return 1;
}

/* Solves the normal equations (N^T G N) u = N^T h into E->unum / E->den
 * (den > 0).  Returns 0 when they are inconsistent (never in exact
 * arithmetic; kept as a self-check). */
static int normal_equations(xt_qpexact *E, const xt_node_qp *P, int q)
{
    int p = P->p, side = E->side, stride = q + 1;
    for (int c = 0; c < q; c++) {
        const mpz_t *n = E->nval + (size_t)c * side;
        for (int i = 0; i < p; i++) {
            mpz_set_ui(E->gn[i * side + c], 0);
            for (int t = 0; t < E->nwidth[c]; t++) {
                mpz_set_si(E->tmp, (long)P->g[i * p + E->nstart[c] + t]);
                mpz_addmul(E->gn[i * side + c], E->tmp, n[t]);
            }
        }
        mpz_set_ui(E->rvec[c], 0);
        for (int t = 0; t < E->nwidth[c]; t++) {
            mpz_set_si(E->tmp, (long)P->h[E->nstart[c] + t]);
            mpz_addmul(E->rvec[c], E->tmp, n[t]);
        }
    }
    for (int c1 = 0; c1 < q; c1++) {
        const mpz_t *n = E->nval + (size_t)c1 * side;
        for (int c2 = 0; c2 < q; c2++) {
            mpz_t *cell = &E->a[c1 * stride + c2];
            mpz_set_ui(*cell, 0);
            for (int t = 0; t < E->nwidth[c1]; t++)
                mpz_addmul(*cell, n[t],
                           E->gn[(E->nstart[c1] + t) * side + c2]);
        }
        mpz_set(E->a[c1 * stride + q], E->rvec[c1]);
    }
    int rank = gauss_jordan(E->a, q, q, E->pivcol, NULL, E->den, E->tmp);
    for (int r = rank; r < q; r++)
        if (mpz_sgn(E->a[r * stride + q]))
            return 0;
    for (int c = 0; c < q; c++)
        mpz_set_ui(E->unum[c], 0);
    for (int r = 0; r < rank; r++)
        mpz_set(E->unum[E->pivcol[r]], E->a[r * stride + q]);
    int free_count = rank < q ? null_of_reduced(E, q, rank) : 0;
    if (mpz_sgn(E->den) < 0) {
        mpz_neg(E->den, E->den);
        for (int c = 0; c < q; c++)
            mpz_neg(E->unum[c], E->unum[c]);
    }
    return free_count ? min_norm(E, P, q, free_count) : 1;
}

/* th = N u (numerators over den), the value and the gradient
 * numerators grad = 2 (G th - h den). */
static void point_value_gradient(xt_qpexact *E, const xt_node_qp *P, int q)
{
    int p = P->p, side = E->side;
    for (int i = 0; i < p; i++)
        mpz_set_ui(E->th[i], 0);
    for (int c = 0; c < q; c++) {
        const mpz_t *n = E->nval + (size_t)c * side;
        for (int t = 0; t < E->nwidth[c]; t++)
            mpz_addmul(E->th[E->nstart[c] + t], n[t], E->unum[c]);
    }
    mpz_set_si(E->value_num, (long)P->tt);
    mpz_mul(E->value_num, E->value_num, E->den);
    for (int c = 0; c < q; c++)
        mpz_submul(E->value_num, E->rvec[c], E->unum[c]);
    for (int i = 0; i < p; i++) {
        mpz_set_si(E->tmp, (long)P->h[i]);
        mpz_mul(E->grad[i], E->tmp, E->den);
        mpz_neg(E->grad[i], E->grad[i]);
        for (int j = 0; j < p; j++) {
            long g = (long)P->g[i * p + j];
            if (g > 0)
                mpz_addmul_ui(E->grad[i], E->th[j], (unsigned long)g);
            else if (g < 0)
                mpz_submul_ui(E->grad[i], E->th[j], (unsigned long)-g);
        }
        mpz_mul_2exp(E->grad[i], E->grad[i], 1);
    }
}

/* Solves A_j^T y = grad_j for neuron j's working rows, with y = 0 on
 * rows that depend on the others, and stores y / den in E->y.  Returns 1
 * when y >= 0, 0 when some multiplier is negative or the system has no
 * solution. */
static int multipliers_block(xt_qpexact *E, const xt_node_qp *P,
                             const int *w, int nw, int j)
{
    int d1 = P->d1, stride = d1 + 1;
    int nr = rows_of_neuron(E, P, w, nw, j);
    if (nr == 0) {
        for (int t = 0; t < d1; t++)
            if (mpz_sgn(E->grad[j * d1 + t]))
                return 0;
        return 1;
    }
    for (int r = 0; r < nr; r++) {
        load_row(E->a + r * stride, P, w[E->list[r]]);
        mpz_set_ui(E->a[r * stride + d1], 0);
    }
    int rank = gauss_jordan(E->a, nr, d1, E->pivcol, E->perm, E->det,
                            E->tmp);
    int *indep = E->perm;        /* rows perm[0..rank-1] are independent */
    int *cols = E->pivcol;

    /* The square system sum_s row_s[cols[e]] y_s = grad[cols[e]]. */
    int sq = rank, sstride = sq + 1;
    mpz_t *b = E->gn;            /* free scratch at this point */
    for (int e = 0; e < sq; e++) {
        for (int s = 0; s < sq; s++) {
            load_row(E->a, P, w[E->list[indep[s]]]);
            mpz_set(b[e * sstride + s], E->a[cols[e]]);
        }
        mpz_set(b[e * sstride + sq], E->grad[j * d1 + cols[e]]);
    }
    int piv[16], got = sq <= 16 ? gauss_jordan(b, sq, sq, piv, NULL,
                                                E->det, E->tmp)
                                : -1;
    if (got != sq)
        return 0;
    /* y_s = b[s][sq] / (det den); mark every row first as 0. */
    for (int r = 0; r < nr; r++)
        mpq_set_ui(E->y[E->list[r]], 0, 1);
    for (int s = 0; s < sq; s++) {
        mpq_ptr y = E->y[E->list[indep[piv[s]]]];
        mpz_set(mpq_numref(y), b[s * sstride + sq]);
        mpz_mul(mpq_denref(y), E->det, E->den);
        if (mpz_sgn(mpq_denref(y)) < 0) {
            mpz_neg(mpq_denref(y), mpq_denref(y));
            mpz_neg(mpq_numref(y), mpq_numref(y));
        }
        mpq_canonicalize(y);
        if (mpq_sgn(y) < 0)
            return 0;
    }
    /* Self-check of every equation: sum_r y_r row_r = grad_j / den. */
    mpq_t acc, term;
    mpq_inits(acc, term, NULL);
    int ok = 1;
    for (int t = 0; t < d1 && ok; t++) {
        mpq_set_ui(acc, 0, 1);
        for (int r = 0; r < nr; r++) {
            load_row(E->a, P, w[E->list[r]]);
            mpq_set_z(term, E->a[t]);
            mpq_mul(term, term, E->y[E->list[r]]);
            mpq_add(acc, acc, term);
        }
        mpz_set(mpq_numref(term), E->grad[j * d1 + t]);
        mpz_set(mpq_denref(term), E->den);
        mpq_canonicalize(term);
        ok = mpq_equal(acc, term);
    }
    mpq_clears(acc, term, NULL);
    return ok;
}

/* Returns 1 when th satisfies every row of the node. */
static int point_feasible(xt_qpexact *E, const xt_node_qp *P)
{
    for (int j = 0; j < P->k; j++)
        for (long pos = 0; pos < P->m; pos++) {
            const int64_t *v = P->v + P->pts[pos] * P->d1;
            mpz_set_ui(E->tmp, 0);
            for (int t = 0; t < P->d1; t++) {
                long c = (long)v[t];
                if (c > 0)
                    mpz_addmul_ui(E->tmp, E->th[j * P->d1 + t],
                                  (unsigned long)c);
                else if (c < 0)
                    mpz_submul_ui(E->tmp, E->th[j * P->d1 + t],
                                  (unsigned long)-c);
            }
            if (mpz_sgn(E->tmp) * P->sigma[pos * P->k + j] < 0)
                return 0;
        }
    return 1;
}

int xt_qpexact_certify(xt_qpexact *E, const xt_node_qp *P, const int *w,
                       int nw, int check_feasible)
{
    if (nw > E->side - 2)
        return 0;
    int q = 0;
    for (int j = 0; j < P->k; j++)
        q = null_space_block(E, P, w, nw, j, q);
    if (P->p > P->k * P->d1) {
        /* The output bias is in no row: a unit column. */
        mpz_set_ui(E->nval[(size_t)q * E->side], 1);
        E->nstart[q] = P->p - 1;
        E->nwidth[q] = 1;
        q++;
    }
    if (!normal_equations(E, P, q))
        return 0;
    point_value_gradient(E, P, q);

    E->ny = nw;
    for (int c = 0; c < nw; c++)
        E->wrow[c] = w[c];
    for (int j = 0; j < P->k; j++)
        if (!multipliers_block(E, P, w, nw, j))
            return 0;

    mpz_set(mpq_numref(E->value), E->value_num);
    mpz_set(mpq_denref(E->value), E->den);
    mpq_canonicalize(E->value);
    for (int i = 0; i < P->p; i++) {
        mpz_set(mpq_numref(E->x[i]), E->th[i]);
        mpz_set(mpq_denref(E->x[i]), E->den);
        mpq_canonicalize(E->x[i]);
    }
    E->feasible = check_feasible ? point_feasible(E, P) : 0;
    return 1;
}
