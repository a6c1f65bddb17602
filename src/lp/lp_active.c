/* Exact primal active-set method for
 *
 *     minimize 1/2 x^T H x + lin . x   subject to   a_i x >= b_i (GE),
 *                                                    a_i x  = b_i (EQ),
 *
 * with free variables, in rational arithmetic (the primal active-set
 * method of Nocedal and Wright, "Numerical Optimization", 2nd ed., 2006,
 * Algorithm 16.3, with the changes below).
 *
 * LP (H = 0).  The method first moves to a vertex (a working set that
 * spans the row space) without raising the objective.  From then on each
 * iteration drops the working row of smallest index whose multiplier is
 * negative and adds the blocking row of smallest index.  This is the
 * primal simplex method with the free variables kept basic, under Bland's
 * rule (R. G. Bland, "New finite pivoting rules for the simplex method",
 * Math. Oper. Res. 2, 1977), so it cannot cycle.
 *
 * QP.  The reduced Hessian Z^T H Z may be singular.  The step is then a
 * minimizer of the reduced quadratic when one exists, and otherwise a
 * direction in its null space along which the objective falls linearly
 * (unbounded when no row blocks it).  At a degenerate point (a tight GE
 * row outside the working set) with a negative multiplier, dropping a row
 * could cycle, so the method solves the homogeneous LP
 *
 *     minimize g . p   subject to   a_i p >= 0 (tight GE),  a_i p = 0 (EQ)
 *
 * exactly instead.  Its multipliers, if it is bounded, are KKT multipliers
 * of x; otherwise its ray is a descent direction with a positive step.  So
 * the objective falls strictly between two subspace minimizers, no
 * working set repeats, and the method terminates. */
#include <stdlib.h>
#include <string.h>
#include "lp_internal.h"

enum { MOVE_CONTINUE = -1 };

typedef struct {
    const xt_lp_prob *P;
    int n, m, lp_mode;
    mpq_t *x;               /* current point */
    int *w, k;              /* working set rows, independent */
    unsigned char *in_w;
    mpz_t *xnum, den;       /* x = xnum / den */
    mpz_t *slack;           /* slack[i] = (a_i x - b_i) * den */
    /* Rows of [R | E] with E A_W = R in reduced row echelon form. */
    mpq_t *rr;
    int stride;
    int *piv, *freec, *colmark, nf;
    mpq_t *zm;              /* n x n; columns f < nf span null(A_W) */
    mpq_t *g, *red, *lam;   /* gradient, Z^T g, working-set multipliers */
    mpq_t *hz, *hr;         /* H Z and [Z^T H Z | -Z^T g] */
    int *hpiv;
    mpq_t *u, *p;           /* step in null-space and in x coordinates */
    mpz_t *dir, *adir;      /* primitive integer step, a_i . dir */
    int *cand;              /* m rows of scratch */
    mpq_t kappa, bmax, beta;
    mpq_t tq[2];
    mpz_t tz[2];
    xt_lp_stats *st;
    long iter, limit;
} engine;

static void eng_free(engine *E)
{
    int n = E->n, m = E->m;
    xt_lp_qvec_free(E->x, n);
    free(E->w);
    free(E->in_w);
    xt_lp_zvec_free(E->xnum, n);
    xt_lp_zvec_free(E->slack, m);
    xt_lp_qvec_free(E->rr, n * 2 * n);
    free(E->piv);
    free(E->freec);
    free(E->colmark);
    xt_lp_qvec_free(E->zm, n * n);
    xt_lp_qvec_free(E->g, n);
    xt_lp_qvec_free(E->red, n);
    xt_lp_qvec_free(E->lam, n);
    xt_lp_qvec_free(E->hz, n * n);
    xt_lp_qvec_free(E->hr, n * (n + 1));
    free(E->hpiv);
    free(E->cand);
    xt_lp_qvec_free(E->u, n);
    xt_lp_qvec_free(E->p, n);
    xt_lp_zvec_free(E->dir, n);
    xt_lp_zvec_free(E->adir, m);
    mpq_clears(E->kappa, E->bmax, E->beta, E->tq[0], E->tq[1], NULL);
    mpz_clears(E->den, E->tz[0], E->tz[1], NULL);
}

/* Requires P->n > 0. */
static int eng_alloc(engine *E, const xt_lp_prob *P, xt_lp_stats *st)
{
    int n = P->n, m = P->m;
    size_t nn = (size_t)n;

    memset(E, 0, sizeof *E);
    E->P = P;
    E->n = n;
    E->m = m;
    E->lp_mode = P->hess == NULL;
    E->st = st;
    E->stride = 2 * n;
    E->limit = 10000 + 100L * (m + n);
    mpq_inits(E->kappa, E->bmax, E->beta, E->tq[0], E->tq[1], NULL);
    mpz_inits(E->den, E->tz[0], E->tz[1], NULL);

    E->x = xt_lp_qvec_new(n);
    E->w = malloc(nn * sizeof *E->w);
    E->in_w = calloc((size_t)m + 1, 1);
    E->xnum = xt_lp_zvec_new(n);
    E->slack = m > 0 ? xt_lp_zvec_new(m) : NULL;
    E->rr = xt_lp_qvec_new(n * 2 * n);
    E->piv = malloc(nn * sizeof *E->piv);
    E->freec = malloc(nn * sizeof *E->freec);
    E->colmark = malloc(nn * sizeof *E->colmark);
    E->zm = xt_lp_qvec_new(n * n);
    E->g = xt_lp_qvec_new(n);
    E->red = xt_lp_qvec_new(n);
    E->lam = xt_lp_qvec_new(n);
    E->hz = xt_lp_qvec_new(n * n);
    E->hr = xt_lp_qvec_new(n * (n + 1));
    E->hpiv = malloc(nn * sizeof *E->hpiv);
    E->u = xt_lp_qvec_new(n);
    E->p = xt_lp_qvec_new(n);
    E->dir = xt_lp_zvec_new(n);
    E->adir = m > 0 ? xt_lp_zvec_new(m) : NULL;
    E->cand = malloc(((size_t)m + 1) * sizeof *E->cand);

    if (!E->x || !E->w || !E->in_w || !E->xnum || (m > 0 && !E->slack) ||
        !E->rr || !E->piv || !E->freec || !E->colmark || !E->zm ||
        !E->g || !E->red || !E->lam || !E->hz || !E->hr || !E->hpiv ||
        !E->u || !E->p || !E->dir || (m > 0 && !E->adir) || !E->cand) {
        eng_free(E);
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

static mpz_t *row_of(const engine *E, int i)
{
    return E->P->a + (size_t)i * E->n;
}

/* Recomputes x = xnum / den and the slacks after x changed. */
static void eng_refresh(engine *E)
{
    xt_lp_common_den(E->xnum, E->den, E->x, E->n);
    xt_lp_row_slacks(E->slack, E->P, E->xnum, E->den);
}

static void eng_add(engine *E, int row)
{
    E->w[E->k++] = row;
    E->in_w[row] = 1;
    E->st->pivots++;
}

static void eng_drop(engine *E, int idx)
{
    E->in_w[E->w[idx]] = 0;
    for (int j = idx + 1; j < E->k; j++)
        E->w[j - 1] = E->w[j];
    E->k--;
    E->st->pivots++;
}

/* Adds row to the working set when it is independent of it.  Uses the
 * rows of rr as an echelon basis of the working set (see eng_greedy). */
static void eng_try_add(engine *E, int row)
{
    int n = E->n, k = E->k;
    mpq_t *v = E->rr + (size_t)k * E->stride;
    mpz_t *a = row_of(E, row);

    for (int j = 0; j < n; j++)
        mpq_set_z(v[j], a[j]);
    for (int r = 0; r < k; r++) {
        mpq_t *b = E->rr + (size_t)r * E->stride;
        int c = E->piv[r];
        if (mpq_sgn(v[c]) == 0)
            continue;
        mpq_set(E->tq[0], v[c]);
        for (int j = 0; j < n; j++) {
            if (mpq_sgn(b[j]) == 0)
                continue;
            mpq_mul(E->tq[1], E->tq[0], b[j]);
            mpq_sub(v[j], v[j], E->tq[1]);
        }
    }

    int c = 0;
    while (c < n && mpq_sgn(v[c]) == 0)
        c++;
    if (c == n)
        return;
    mpq_inv(E->tq[0], v[c]);
    for (int j = 0; j < n; j++)
        mpq_mul(v[j], v[j], E->tq[0]);
    E->piv[k] = c;
    eng_add(E, row);
}

/* Sets the working set to a maximal independent set of the EQ rows,
 * extended by the tight GE rows of cand. */
static void eng_greedy(engine *E, const int *cand, int ncand)
{
    E->k = 0;
    memset(E->in_w, 0, (size_t)E->m + 1);
    for (int i = 0; i < E->m && E->k < E->n; i++)
        if (E->P->eq[i])
            eng_try_add(E, i);
    for (int t = 0; t < ncand && E->k < E->n; t++) {
        int i = cand[t];
        if (!E->P->eq[i] && !E->in_w[i] && mpz_sgn(E->slack[i]) == 0)
            eng_try_add(E, i);
    }
}

/* Factors the working set: E A_W = R in reduced row echelon form, and a
 * basis Z of null(A_W) with one column per free column of R.
 * TODO: this rational elimination dominates the exact path (about 45 ms
 * per 13 x 200 LP); a fraction-free integer version would be faster. */
static int eng_factor(engine *E)
{
    int n = E->n, k = E->k, s = E->stride;

    for (int r = 0; r < k; r++) {
        mpq_t *row = E->rr + (size_t)r * s;
        mpz_t *a = row_of(E, E->w[r]);
        for (int j = 0; j < n; j++)
            mpq_set_z(row[j], a[j]);
        for (int j = 0; j < k; j++)
            mpq_set_ui(row[n + j], j == r, 1);
    }
    if (xt_lp_rref(E->rr, k, n + k, s, n, E->piv, E->tq) != k)
        return XT_ERR_INTERNAL;

    for (int j = 0; j < n; j++)
        E->colmark[j] = 0;
    for (int r = 0; r < k; r++)
        E->colmark[E->piv[r]] = 1;
    E->nf = 0;
    for (int j = 0; j < n; j++)
        if (!E->colmark[j])
            E->freec[E->nf++] = j;

    for (int f = 0; f < E->nf; f++) {
        for (int i = 0; i < n; i++)
            mpq_set_ui(E->zm[i * n + f], i == E->freec[f], 1);
        for (int r = 0; r < k; r++)
            mpq_neg(E->zm[E->piv[r] * n + f],
                    E->rr[(size_t)r * s + E->freec[f]]);
    }
    return XT_OK;
}

/* Sets out = H v (n entries). */
static void hess_times(engine *E, mpq_t *out, const mpq_t *v, int vstride)
{
    int n = E->n;
    for (int i = 0; i < n; i++) {
        mpq_set_ui(out[i * vstride], 0, 1);
        for (int j = 0; j < n; j++) {
            if (mpq_sgn(E->P->hess[i * n + j]) == 0 ||
                mpq_sgn(v[j * vstride]) == 0)
                continue;
            mpq_mul(E->tq[0], E->P->hess[i * n + j], v[j * vstride]);
            mpq_add(out[i * vstride], out[i * vstride], E->tq[0]);
        }
    }
}

static void eng_gradient(engine *E)
{
    if (E->lp_mode) {
        for (int i = 0; i < E->n; i++)
            mpq_set(E->g[i], E->P->lin[i]);
        return;
    }
    hess_times(E, E->g, E->x, 1);
    for (int i = 0; i < E->n; i++)
        mpq_add(E->g[i], E->g[i], E->P->lin[i]);
}

/* Sets out[f] = column f of Z dotted with v; returns 1 if any is nonzero. */
static int null_project(engine *E, mpq_t *out, const mpq_t *v)
{
    int n = E->n, nonzero = 0;
    for (int f = 0; f < E->nf; f++) {
        mpq_set_ui(out[f], 0, 1);
        for (int i = 0; i < n; i++) {
            if (mpq_sgn(E->zm[i * n + f]) == 0 || mpq_sgn(v[i]) == 0)
                continue;
            mpq_mul(E->tq[0], E->zm[i * n + f], v[i]);
            mpq_add(out[f], out[f], E->tq[0]);
        }
        nonzero |= mpq_sgn(out[f]) != 0;
    }
    return nonzero;
}

/* Sets p = Z u. */
static void null_lift(engine *E)
{
    int n = E->n;
    for (int i = 0; i < n; i++) {
        mpq_set_ui(E->p[i], 0, 1);
        for (int f = 0; f < E->nf; f++) {
            if (mpq_sgn(E->zm[i * n + f]) == 0 || mpq_sgn(E->u[f]) == 0)
                continue;
            mpq_mul(E->tq[0], E->zm[i * n + f], E->u[f]);
            mpq_add(E->p[i], E->p[i], E->tq[0]);
        }
    }
}

/* Multipliers of the working set at a subspace minimizer (Z^T g = 0):
 * A_W^T lam = g, solved as lam = E^T g_pivots. */
static void eng_multipliers(engine *E)
{
    int n = E->n, s = E->stride;
    for (int j = 0; j < E->k; j++) {
        mpq_set_ui(E->lam[j], 0, 1);
        for (int r = 0; r < E->k; r++) {
            mpq_srcptr e = E->rr[(size_t)r * s + n + j];
            if (mpq_sgn(e) == 0)
                continue;
            mpq_mul(E->tq[0], e, E->g[E->piv[r]]);
            mpq_add(E->lam[j], E->lam[j], E->tq[0]);
        }
    }
}

/* Reduced QP step: solves (Z^T H Z) u = -Z^T g.  Returns 1 (a Newton
 * step, bmax = 1 along p) when it is consistent; otherwise sets u to
 * -N N^T (Z^T g) with N a null-space basis of Z^T H Z, a direction of
 * linear decrease, and returns 0. */
static int reduced_newton(engine *E)
{
    int n = E->n, nf = E->nf, s = n + 1;

    for (int f = 0; f < nf; f++)
        hess_times(E, E->hz + f, E->zm + f, n);
    for (int f1 = 0; f1 < nf; f1++) {
        for (int f2 = 0; f2 < nf; f2++) {
            mpq_ptr h = E->hr[f1 * s + f2];
            mpq_set_ui(h, 0, 1);
            for (int i = 0; i < n; i++) {
                if (mpq_sgn(E->zm[i * n + f1]) == 0)
                    continue;
                mpq_mul(E->tq[0], E->zm[i * n + f1], E->hz[i * n + f2]);
                mpq_add(h, h, E->tq[0]);
            }
        }
        mpq_neg(E->hr[f1 * s + nf], E->red[f1]);
    }

    int rank = xt_lp_rref(E->hr, nf, nf + 1, s, nf, E->hpiv, E->tq);
    int consistent = 1;
    for (int r = rank; r < nf; r++)
        if (mpq_sgn(E->hr[r * s + nf]) != 0)
            consistent = 0;

    for (int f = 0; f < nf; f++)
        mpq_set_ui(E->u[f], 0, 1);
    if (consistent) {
        for (int r = 0; r < rank; r++)
            mpq_set(E->u[E->hpiv[r]], E->hr[r * s + nf]);
        return 1;
    }

    /* Null vectors v_c = e_c - sum_r R[r][c] e_hpiv[r] for free c. */
    for (int j = 0; j < nf; j++)
        E->colmark[j] = 0;
    for (int r = 0; r < rank; r++)
        E->colmark[E->hpiv[r]] = 1;
    for (int c = 0; c < nf; c++) {
        if (E->colmark[c])
            continue;
        mpq_set(E->tq[1], E->red[c]);
        for (int r = 0; r < rank; r++) {
            mpq_mul(E->tq[0], E->hr[r * s + c], E->red[E->hpiv[r]]);
            mpq_sub(E->tq[1], E->tq[1], E->tq[0]);
        }
        /* u -= (v_c . red) v_c */
        mpq_sub(E->u[c], E->u[c], E->tq[1]);
        for (int r = 0; r < rank; r++) {
            mpq_mul(E->tq[0], E->tq[1], E->hr[r * s + c]);
            mpq_add(E->u[E->hpiv[r]], E->u[E->hpiv[r]], E->tq[0]);
        }
    }
    return 0;
}

/* Ratio test along dir: returns the row outside the working set that
 * blocks first (smallest index on ties), or -1.  Stores a_i . dir. */
static int eng_ratio(engine *E, int *bad)
{
    int n = E->n, best = -1;

    *bad = 0;
    for (int i = 0; i < E->m; i++) {
        if (E->in_w[i])
            continue;
        mpz_t *a = row_of(E, i);
        mpz_set_ui(E->adir[i], 0);
        for (int j = 0; j < n; j++)
            if (mpz_sgn(a[j]) != 0 && mpz_sgn(E->dir[j]) != 0)
                mpz_addmul(E->adir[i], a[j], E->dir[j]);
        if (mpz_sgn(E->adir[i]) >= 0)
            continue;
        if (E->P->eq[i]) {
            /* An EQ row outside W lies in the span of W. */
            *bad = 1;
            return -1;
        }
        if (best < 0) {
            best = i;
            continue;
        }
        /* slack_i / -adir_i < slack_best / -adir_best ? */
        mpz_mul(E->tz[0], E->slack[i], E->adir[best]);
        mpz_mul(E->tz[1], E->slack[best], E->adir[i]);
        if (mpz_cmp(E->tz[0], E->tz[1]) > 0)
            best = i;
    }
    return best;
}

/* Moves x along dir to the first blocking row, which joins the working
 * set when add is set, or by bmax when bmax_set and nothing blocks
 * before.  Sets *unbounded (and does not move) when nothing blocks and
 * bmax is not set.  Returns XT_OK or XT_ERR_INTERNAL. */
static int eng_step(engine *E, int bmax_set, int add, int *unbounded)
{
    int bad, row = eng_ratio(E, &bad);

    *unbounded = 0;
    if (bad)
        return XT_ERR_INTERNAL;
    if (row >= 0) {
        mpz_mul(E->tz[0], E->den, E->adir[row]);
        mpz_neg(E->tz[0], E->tz[0]);
        mpq_set_num(E->beta, E->slack[row]);
        mpq_set_den(E->beta, E->tz[0]);
        mpq_canonicalize(E->beta);
        if (bmax_set && mpq_cmp(E->beta, E->bmax) > 0)
            row = -1;
    }
    if (row < 0) {
        if (!bmax_set) {
            *unbounded = 1;
            return XT_OK;
        }
        mpq_set(E->beta, E->bmax);
    }

    if (mpq_sgn(E->beta) != 0) {
        for (int j = 0; j < E->n; j++) {
            mpq_set_z(E->tq[0], E->dir[j]);
            mpq_mul(E->tq[0], E->tq[0], E->beta);
            mpq_add(E->x[j], E->x[j], E->tq[0]);
        }
        eng_refresh(E);
    }
    if (row >= 0 && add)
        eng_add(E, row);
    return XT_OK;
}

static void fill_ray(engine *E, xt_lp_cert *C)
{
    C->status = XT_LP_UNBOUNDED;
    for (int j = 0; j < E->n; j++)
        mpq_set_z(C->x[j], E->dir[j]);
    for (int i = 0; i < E->m; i++)
        mpq_set_ui(C->y[i], 0, 1);
}

static void fill_optimal(engine *E, xt_lp_cert *C)
{
    C->status = XT_LP_OPTIMAL;
    for (int j = 0; j < E->n; j++)
        mpq_set(C->x[j], E->x[j]);
    for (int i = 0; i < E->m; i++)
        mpq_set_ui(C->y[i], 0, 1);
    for (int j = 0; j < E->k; j++)
        mpq_set(C->y[E->w[j]], E->lam[j]);
}

/* Steps along p, by at most 1 along p when newton is set.  Returns
 * MOVE_CONTINUE, XT_OK with an unbounded ray in C, or an error. */
static int move_along_p(engine *E, xt_lp_cert *C, int newton)
{
    int unbounded, rc;

    if (!xt_lp_primitive(E->dir, E->kappa, E->p, E->n))
        return XT_ERR_INTERNAL;
    if (newton)
        mpq_inv(E->bmax, E->kappa);
    rc = eng_step(E, newton, 1, &unbounded);
    if (rc != XT_OK)
        return rc;
    if (unbounded) {
        fill_ray(E, C);
        return XT_OK;
    }
    return MOVE_CONTINUE;
}

/* One step from a point that is not a subspace minimizer (Z^T g != 0). */
static int eng_move(engine *E, xt_lp_cert *C)
{
    int newton = 0;

    if (E->lp_mode) {
        for (int f = 0; f < E->nf; f++)
            mpq_neg(E->u[f], E->red[f]);
    } else {
        newton = reduced_newton(E);
    }
    null_lift(E);
    return move_along_p(E, C, newton);
}

/* Sets out = lin . p. */
static void lin_dot_p(engine *E, mpq_t out)
{
    mpq_set_ui(out, 0, 1);
    for (int j = 0; j < E->n; j++) {
        mpq_mul(E->tq[0], E->P->lin[j], E->p[j]);
        mpq_add(out, out, E->tq[0]);
    }
}

/* LP mode: moves to a vertex without raising the objective.  While some
 * GE row j has v = Z^T a_j != 0, steps along p = +-Z v (a_j . Z v > 0),
 * the sign chosen so that lin . p <= 0; when lin . p = 0 row j blocks. */
static int eng_vertex(engine *E, xt_lp_cert *C)
{
    mpq_t *arow = E->hz;

    for (;;) {
        int rc, found = 0;
        if (++E->iter > E->limit)
            return XT_ERR_LIMIT;
        rc = eng_factor(E);
        if (rc != XT_OK)
            return rc;
        for (int i = 0; i < E->m && !found && E->nf > 0; i++) {
            if (E->in_w[i] || E->P->eq[i])
                continue;
            mpz_t *a = row_of(E, i);
            for (int j = 0; j < E->n; j++)
                mpq_set_z(arow[j], a[j]);
            found = null_project(E, E->u, arow);
        }
        if (!found)
            return MOVE_CONTINUE;

        null_lift(E);
        lin_dot_p(E, E->beta);
        if (mpq_sgn(E->beta) >= 0)
            for (int j = 0; j < E->n; j++)
                mpq_neg(E->p[j], E->p[j]);
        rc = move_along_p(E, C, 0);
        if (rc != MOVE_CONTINUE)
            return rc;
    }
}

static int choose_drop(engine *E)
{
    int best = -1;
    for (int j = 0; j < E->k; j++) {
        int row = E->w[j];
        if (E->P->eq[row] || mpq_sgn(E->lam[j]) >= 0)
            continue;
        if (best < 0) {
            best = j;
        } else if (E->lp_mode) {
            if (row < E->w[best])
                best = j;
        } else if (mpq_cmp(E->lam[j], E->lam[best]) < 0) {
            best = j;
        }
    }
    return best;
}

static int eng_degenerate(engine *E)
{
    for (int i = 0; i < E->m; i++)
        if (!E->in_w[i] && !E->P->eq[i] && mpz_sgn(E->slack[i]) == 0)
            return 1;
    return 0;
}

/* Moves from a degenerate point along the descent direction r found by
 * the local LP: to the minimizer along r when the curvature r^T H r is
 * positive, else until a row blocks.  Then rebuilds the working set from
 * the tight rows.  Returns MOVE_CONTINUE, or XT_OK with an unbounded ray
 * in C. */
static int local_descent(engine *E, xt_lp_cert *C, const mpq_t *r)
{
    int n = E->n, unbounded, rc, nc = 0;

    if (!xt_lp_primitive(E->dir, E->kappa, r, n))
        return XT_ERR_INTERNAL;
    for (int j = 0; j < n; j++)
        mpq_set_z(E->p[j], E->dir[j]);
    hess_times(E, E->hz, E->p, 1);

    /* bmax = -(g . dir) / (dir^T H dir) */
    mpq_set_ui(E->beta, 0, 1);
    mpq_set_ui(E->bmax, 0, 1);
    for (int j = 0; j < n; j++) {
        mpq_mul(E->tq[1], E->g[j], E->p[j]);
        mpq_sub(E->bmax, E->bmax, E->tq[1]);
        mpq_mul(E->tq[1], E->hz[j], E->p[j]);
        mpq_add(E->beta, E->beta, E->tq[1]);
    }
    int curved = mpq_sgn(E->beta) > 0;
    if (curved)
        mpq_div(E->bmax, E->bmax, E->beta);

    rc = eng_step(E, curved, 0, &unbounded);
    if (rc != XT_OK)
        return rc;
    if (unbounded) {
        fill_ray(E, C);
        return XT_OK;
    }
    for (int i = 0; i < E->m; i++)
        if (!E->P->eq[i] && mpz_sgn(E->slack[i]) == 0)
            E->cand[nc++] = i;
    eng_greedy(E, E->cand, nc);
    return MOVE_CONTINUE;
}

/* Builds the local LP at x: minimize g . p subject to a_i p >= 0 on the
 * tight GE rows and a_i p = 0 on the EQ rows of the working set (the other
 * EQ rows are in their span).  map receives the row of P of each row. */
static int local_build(engine *E, xt_lp_prob *Q, int *map)
{
    int n = E->n, mq = 0, rc;

    for (int i = 0; i < E->m; i++) {
        int eq = E->P->eq[i];
        if ((eq && E->in_w[i]) || (!eq && mpz_sgn(E->slack[i]) == 0))
            map[mq++] = i;
    }
    rc = xt_lp_prob_alloc(Q, n, mq, 0);
    if (rc != XT_OK)
        return rc;
    for (int r = 0; r < mq; r++) {
        mpz_t *a = row_of(E, map[r]);
        for (int j = 0; j < n; j++)
            mpz_set(Q->a[(size_t)r * n + j], a[j]);
        Q->eq[r] = E->P->eq[map[r]];
    }
    for (int j = 0; j < n; j++)
        mpq_set(Q->lin[j], E->g[j]);
    return XT_OK;
}

/* QP mode at a degenerate subspace minimizer with a negative multiplier:
 * settles optimality with the exact local LP (see the file comment). */
static int eng_local(engine *E, xt_lp_cert *C)
{
    xt_lp_prob Q;
    xt_lp_cert CQ;
    int n = E->n, rc;
    mpq_t *zero;

    rc = local_build(E, &Q, E->cand);
    if (rc != XT_OK)
        return rc;
    zero = xt_lp_qvec_new(n);
    rc = xt_lp_cert_alloc(&CQ, n, Q.m);
    if (rc != XT_OK || !zero) {
        xt_lp_prob_free(&Q);
        xt_lp_qvec_free(zero, n);
        return XT_ERR_NOMEM;
    }

    rc = xt_lp_active_solve(&CQ, &Q, zero, NULL, 0, E->st);
    if (rc == XT_OK && CQ.status == XT_LP_OPTIMAL) {
        C->status = XT_LP_OPTIMAL;
        for (int j = 0; j < n; j++)
            mpq_set(C->x[j], E->x[j]);
        for (int i = 0; i < E->m; i++)
            mpq_set_ui(C->y[i], 0, 1);
        for (int r = 0; r < Q.m; r++)
            mpq_set(C->y[E->cand[r]], CQ.y[r]);
    } else if (rc == XT_OK && CQ.status == XT_LP_UNBOUNDED) {
        rc = local_descent(E, C, CQ.x);
    } else if (rc == XT_OK) {
        rc = XT_ERR_INTERNAL;
    }
    xt_lp_cert_free(&CQ);
    xt_lp_prob_free(&Q);
    xt_lp_qvec_free(zero, n);
    return rc;
}

static int eng_run(engine *E, xt_lp_cert *C)
{
    int rc;

    if (E->lp_mode) {
        rc = eng_vertex(E, C);
        if (rc != MOVE_CONTINUE)
            return rc;
    }
    for (;;) {
        if (++E->iter > E->limit)
            return XT_ERR_LIMIT;
        rc = eng_factor(E);
        if (rc != XT_OK)
            return rc;
        eng_gradient(E);
        if (null_project(E, E->red, E->g)) {
            rc = eng_move(E, C);
            if (rc != MOVE_CONTINUE)
                return rc;
            continue;
        }
        eng_multipliers(E);
        int j = choose_drop(E);
        if (j < 0) {
            fill_optimal(E, C);
            return XT_OK;
        }
        if (!E->lp_mode && eng_degenerate(E)) {
            rc = eng_local(E, C);
            if (rc != MOVE_CONTINUE)
                return rc;
            continue;
        }
        eng_drop(E, j);
    }
}

int xt_lp_active_solve(xt_lp_cert *C, const xt_lp_prob *P, const mpq_t *x0,
                       const int *hint, int nhint, xt_lp_stats *st)
{
    engine E;
    int rc;

    if (P->n == 0) {
        xt_lp_cert_reset(C);
        C->status = XT_LP_OPTIMAL;
        return XT_OK;
    }
    rc = eng_alloc(&E, P, st);
    if (rc != XT_OK)
        return rc;
    /* x0 may be C->x: copy it before C is reset. */
    for (int j = 0; j < P->n; j++)
        mpq_set(E.x[j], x0[j]);
    xt_lp_cert_reset(C);
    eng_refresh(&E);
    eng_greedy(&E, hint, nhint);
    rc = eng_run(&E, C);
    eng_free(&E);
    return rc;
}

/* Moves x onto {A_W x = b_W}: x += d with R d = E (b_W - A_W x), the free
 * columns of d being 0. */
static void move_onto_w(engine *E)
{
    int n = E->n, k = E->k, s = E->stride;
    mpq_t *res = E->u;

    for (int r = 0; r < k; r++) {
        mpz_t *a = row_of(E, E->w[r]);
        mpq_set_z(res[r], E->P->b[E->w[r]]);
        for (int j = 0; j < n; j++) {
            if (mpz_sgn(a[j]) == 0)
                continue;
            mpq_set_z(E->tq[0], a[j]);
            mpq_mul(E->tq[0], E->tq[0], E->x[j]);
            mpq_sub(res[r], res[r], E->tq[0]);
        }
    }
    for (int r = 0; r < k; r++) {
        mpq_set_ui(E->tq[1], 0, 1);
        for (int j = 0; j < k; j++) {
            mpq_mul(E->tq[0], E->rr[(size_t)r * s + n + j], res[j]);
            mpq_add(E->tq[1], E->tq[1], E->tq[0]);
        }
        mpq_add(E->x[E->piv[r]], E->x[E->piv[r]], E->tq[1]);
    }
}

static int eng_feasible(const engine *E)
{
    for (int i = 0; i < E->m; i++) {
        int s = mpz_sgn(E->slack[i]);
        if (s < 0 || (E->P->eq[i] && s != 0))
            return 0;
    }
    return 1;
}

/* Sets up the subspace minimizer of the guessed working set: returns 1
 * when it exists and is feasible. */
static int crossover_start(engine *E, const int *rows, int nrows)
{
    E->k = 0;
    for (int i = 0; i < E->m && E->k < E->n; i++)
        if (E->P->eq[i])
            eng_try_add(E, i);
    for (int t = 0; t < nrows && E->k < E->n; t++)
        if (!E->in_w[rows[t]])
            eng_try_add(E, rows[t]);
    if (eng_factor(E) != XT_OK)
        return 0;
    move_onto_w(E);

    eng_gradient(E);
    if (null_project(E, E->red, E->g)) {
        if (!reduced_newton(E))
            return 0;
        null_lift(E);
        for (int j = 0; j < E->n; j++)
            mpq_add(E->x[j], E->x[j], E->p[j]);
    }
    eng_refresh(E);
    return eng_feasible(E);
}

int xt_lp_active_crossover(xt_lp_cert *C, int *started, const xt_lp_prob *P,
                           const mpq_t *base, const int *rows, int nrows,
                           xt_lp_stats *st)
{
    engine E;
    int rc;

    *started = 0;
    if (P->n == 0 || !P->hess)
        return XT_OK;
    rc = eng_alloc(&E, P, st);
    if (rc != XT_OK)
        return rc;
    for (int j = 0; j < P->n; j++)
        mpq_set(E.x[j], base[j]);
    if (crossover_start(&E, rows, nrows)) {
        *started = 1;
        xt_lp_cert_reset(C);
        rc = eng_run(&E, C);
    }
    eng_free(&E);
    return rc;
}
