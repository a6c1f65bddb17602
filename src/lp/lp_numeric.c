/* A double-precision guess of the optimal working set of a QP, used only
 * to warm-start the exact method (correctness never depends on it).
 *
 * It runs a primal active-set method on the elastic problem
 *
 *     minimize 1/2 x^T (H + delta I) x + lin . x + 1/2 t^2 + rho t
 *     s.t.     a_i x + t >= b_i  (GE rows; EQ rows as two opposite GE rows),
 *              t >= 0,
 *
 * which is feasible at (0, max violation) and strictly convex, so every
 * KKT system of an independent working set is nonsingular.  The term
 * 1/2 t^2 has slope 0 at t = 0, so with rho above the l1 norm of the
 * multipliers the elastic optimum still has t = 0 (an exact penalty); a
 * guess with t > 0 is discarded. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lp_internal.h"

#define GUESS_TOL 1e-9
#define GUESS_DELTA 1e-9
#define GUESS_RHO 1e3         /* first penalty, times (|H| + |lin|) */
#define GUESS_RHO_TRIES 3     /* penalty x1000 after each t > 0 */
#define GUESS_SCALE_BITS 20     /* the guess is rounded to 2^-20 */

typedef struct {
    int n, nv, rows;            /* x size, x and t, elastic rows */
    double *a, *b;              /* rows x nv, normalized rows */
    int *src;                   /* row of P of each elastic row, -1 for t */
    double *h, *lin;            /* nv x nv (regularized), nv */
    double *z, *p, *g, *lam;    /* point, step, gradient, multipliers */
    double *kkt;                /* (2 nv) x (2 nv + 1) */
    int *w, k;
    unsigned char *in_w;
} guess;

static void guess_free(guess *G)
{
    free(G->a);
    free(G->b);
    free(G->src);
    free(G->h);
    free(G->lin);
    free(G->z);
    free(G->p);
    free(G->g);
    free(G->lam);
    free(G->kkt);
    free(G->w);
    free(G->in_w);
}

static int guess_alloc(guess *G, const xt_lp_prob *P)
{
    int rows = P->m + 1, nv = P->n + 1;
    size_t k2 = 2 * (size_t)nv;

    for (int i = 0; i < P->m; i++)
        rows += P->eq[i];
    memset(G, 0, sizeof *G);
    G->n = P->n;
    G->nv = nv;
    G->rows = rows;
    G->a = calloc((size_t)rows * nv, sizeof *G->a);
    G->b = calloc((size_t)rows, sizeof *G->b);
    G->src = calloc((size_t)rows, sizeof *G->src);
    G->h = calloc((size_t)nv * nv, sizeof *G->h);
    G->lin = calloc((size_t)nv, sizeof *G->lin);
    G->z = calloc((size_t)nv, sizeof *G->z);
    G->p = calloc((size_t)nv, sizeof *G->p);
    G->g = calloc((size_t)nv, sizeof *G->g);
    G->lam = calloc((size_t)nv, sizeof *G->lam);
    G->kkt = calloc(k2 * (k2 + 1), sizeof *G->kkt);
    G->w = calloc((size_t)nv, sizeof *G->w);
    G->in_w = calloc((size_t)rows, 1);
    return G->a && G->b && G->src && G->h && G->lin && G->z && G->p &&
           G->g && G->lam && G->kkt && G->w && G->in_w;
}

/* Fills the elastic problem.  Returns 0 when a value is not finite. */
static int guess_load(guess *G, const xt_lp_prob *P)
{
    int n = P->n, nv = G->nv, r = 0;
    double hmax = 1.0, linmax = 1.0;

    for (int i = 0; i < P->m; i++) {
        for (int sign = 1; sign >= -1; sign -= 2) {
            if (sign < 0 && !P->eq[i])
                break;
            double *row = G->a + (size_t)r * nv, norm = 0.0;
            for (int j = 0; j < n; j++) {
                row[j] = sign * mpz_get_d(P->a[(size_t)i * n + j]);
                norm = fmax(norm, fabs(row[j]));
            }
            G->b[r] = sign * mpz_get_d(P->b[i]);
            if (!isfinite(norm) || norm == 0.0 || !isfinite(G->b[r]))
                return 0;
            for (int j = 0; j < n; j++)
                row[j] /= norm;
            G->b[r] /= norm;
            row[n] = 1.0;
            G->src[r++] = i;
        }
    }
    G->a[(size_t)r * nv + n] = 1.0;
    G->src[r] = -1;

    for (int i = 0; i < n * n; i++) {
        G->h[(i / n) * nv + i % n] = mpq_get_d(P->hess[i]);
        hmax = fmax(hmax, fabs(G->h[(i / n) * nv + i % n]));
    }
    for (int j = 0; j < n; j++) {
        G->lin[j] = mpq_get_d(P->lin[j]);
        linmax = fmax(linmax, fabs(G->lin[j]));
    }
    if (!isfinite(hmax) || !isfinite(linmax))
        return 0;
    for (int j = 0; j < n; j++)
        G->h[j * nv + j] += GUESS_DELTA * hmax;
    G->h[n * nv + n] = 1.0;
    G->lin[n] = GUESS_RHO * (hmax + linmax);
    return 1;
}

/* Restarts from x = 0 with t the largest violation and an empty working
 * set. */
static void guess_restart(guess *G)
{
    memset(G->z, 0, sizeof *G->z * (size_t)G->nv);
    memset(G->in_w, 0, (size_t)G->rows);
    G->k = 0;
    for (int i = 0; i < G->rows; i++)
        G->z[G->n] = fmax(G->z[G->n], G->b[i]);
}

static double row_dot(const guess *G, int i, const double *v)
{
    double s = 0.0;
    for (int j = 0; j < G->nv; j++)
        s += G->a[(size_t)i * G->nv + j] * v[j];
    return s;
}

/* Solves [H -A_W^T; A_W 0] [p; lam] = [-g; 0] by Gaussian elimination
 * with partial pivoting.  Returns 0 when it is numerically singular. */
static int kkt_solve(guess *G)
{
    int nv = G->nv, K = nv + G->k, s = K + 1;
    double *M = G->kkt;

    for (int i = 0; i < nv; i++) {
        G->g[i] = G->lin[i];
        for (int j = 0; j < nv; j++)
            G->g[i] += G->h[i * nv + j] * G->z[j];
    }
    memset(M, 0, sizeof *M * (size_t)K * s);
    for (int i = 0; i < nv; i++) {
        for (int j = 0; j < nv; j++)
            M[i * s + j] = G->h[i * nv + j];
        for (int c = 0; c < G->k; c++)
            M[i * s + nv + c] = -G->a[(size_t)G->w[c] * nv + i];
        M[i * s + K] = -G->g[i];
    }
    for (int c = 0; c < G->k; c++)
        for (int j = 0; j < nv; j++)
            M[(nv + c) * s + j] = G->a[(size_t)G->w[c] * nv + j];

    for (int col = 0; col < K; col++) {
        int best = col;
        for (int r = col + 1; r < K; r++)
            if (fabs(M[r * s + col]) > fabs(M[best * s + col]))
                best = r;
        if (fabs(M[best * s + col]) < 1e-12)
            return 0;
        for (int j = 0; j < s && best != col; j++) {
            double t = M[col * s + j];
            M[col * s + j] = M[best * s + j];
            M[best * s + j] = t;
        }
        for (int r = col + 1; r < K; r++) {
            double f = M[r * s + col] / M[col * s + col];
            for (int j = col; j < s; j++)
                M[r * s + j] -= f * M[col * s + j];
        }
    }
    for (int r = K - 1; r >= 0; r--) {
        double v = M[r * s + K];
        for (int j = r + 1; j < K; j++)
            v -= M[r * s + j] * M[j * s + K];
        M[r * s + K] = v / M[r * s + r];
    }
    for (int j = 0; j < nv; j++)
        G->p[j] = M[j * s + K];
    for (int c = 0; c < G->k; c++)
        G->lam[c] = M[(nv + c) * s + K];
    return 1;
}

/* The first row outside W that the step p hits before alpha = 1. */
static int guess_ratio(const guess *G, double *alpha)
{
    int best = -1;
    *alpha = 1.0;
    for (int i = 0; i < G->rows; i++) {
        if (G->in_w[i])
            continue;
        double ap = row_dot(G, i, G->p);
        if (ap >= -GUESS_TOL)
            continue;
        double slack = fmax(0.0, row_dot(G, i, G->z) - G->b[i]);
        if (slack / -ap < *alpha) {
            *alpha = slack / -ap;
            best = i;
        }
    }
    return best;
}

/* Runs the active-set method.  Returns 1 when it reached an optimum. */
static int guess_run(guess *G)
{
    int limit = 20 * (G->rows + G->nv) + 100;

    for (int it = 0; it < limit; it++) {
        double pmax = 0.0, zmax = 1.0, gmax = 0.0, lmax = 1.0, alpha;
        if (!kkt_solve(G))
            return 0;
        for (int j = 0; j < G->nv; j++) {
            pmax = fmax(pmax, fabs(G->p[j]));
            zmax = fmax(zmax, fabs(G->z[j]));
            gmax = fmax(gmax, fabs(G->g[j]));
        }
        /* The step carries roundoff of the order eps * |g|. */
        if (pmax > GUESS_TOL * zmax + 1e-12 * gmax) {
            int row = guess_ratio(G, &alpha);
            for (int j = 0; j < G->nv; j++)
                G->z[j] += alpha * G->p[j];
            if (row >= 0 && G->k < G->nv) {
                G->w[G->k++] = row;
                G->in_w[row] = 1;
            } else if (row >= 0) {
                return 0;
            }
            continue;
        }
        int drop = -1;
        for (int c = 0; c < G->k; c++)
            lmax = fmax(lmax, fabs(G->lam[c]));
        for (int c = 0; c < G->k; c++)
            if (G->lam[c] < -GUESS_TOL * lmax &&
                (drop < 0 || G->lam[c] < G->lam[drop]))
                drop = c;
        if (drop < 0)
            return 1;
        G->in_w[G->w[drop]] = 0;
        G->w[drop] = G->w[--G->k];
    }
    return 0;
}

int xt_lp_numeric_guess(const xt_lp_prob *P, mpq_t *x, int *w, int *k)
{
    guess G;
    int ok = 0;

    *k = 0;
    if (!P->hess || P->n == 0)
        return 0;
    if (guess_alloc(&G, P) && guess_load(&G, P)) {
        for (int try = 0; try < GUESS_RHO_TRIES && !ok; try++) {
            guess_restart(&G);
            if (!guess_run(&G))
                break;
            ok = G.z[G.n] <= GUESS_TOL;
            G.lin[G.n] *= 1e3;
        }
    }
    for (int c = 0; ok && c < G.k; c++)
        if (G.src[G.w[c]] >= 0)
            w[(*k)++] = G.src[G.w[c]];
    for (int j = 0; ok && j < G.n; j++) {
        double v = ldexp(G.z[j], GUESS_SCALE_BITS);
        if (!isfinite(v) || fabs(v) > 0x1p62) {
            ok = 0;
            break;
        }
        mpq_set_si(x[j], (long)nearbyint(v), 1);
        mpq_div_2exp(x[j], x[j], GUESS_SCALE_BITS);
    }
    guess_free(&G);
    return ok;
}
