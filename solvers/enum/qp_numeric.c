/* The node QP in double precision: a dual active-set method (Goldfarb
 * and Idnani, "A numerically stable dual method for solving strictly
 * convex quadratic programs", Math. Programming 27, 1983).
 *
 * The QP is  minimize 1/2 th.H th + c.th  s.t. a_r.th >= 0  with
 * H = 2 (G + delta I) and c = -2 h.  The method starts at the
 * unconstrained minimizer and adds the most violated row at a time,
 * keeping the multipliers of the working set W nonnegative: with z the
 * primal and rho the dual direction,
 *
 *     H z - A_W^T rho = a_r,   A_W z = 0,
 *
 * it steps by the smaller of the full step (row r becomes tight) and the
 * partial step (a multiplier in W reaches 0, and that row leaves W).
 * Each direction comes from a dense solve of this small system.  delta
 * makes H positive definite where G is singular (neurons active on too
 * few points).  It only perturbs the guess, because the exact step
 * (qp_exact.c) re-derives everything from the working set alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"

#define QPNUM_DELTA 1e-10      /* regularization, relative to max G_ii */
#define QPNUM_TOL 1e-9         /* violation tolerance, relative */
#define QPNUM_PIVOT 1e-13      /* smallest pivot, relative */

int xt_qpnum_init(xt_qpnum *S, int p)
{
    memset(S, 0, sizeof *S);
    S->p = p;
    S->cap = p + 1;
    int K = p + S->cap;
    S->kkt = malloc((size_t)K * K * sizeof *S->kkt);
    S->rhs = malloc((size_t)K * sizeof *S->rhs);
    S->th = malloc((size_t)p * sizeof *S->th);
    S->z = malloc((size_t)p * sizeof *S->z);
    S->rho = malloc((size_t)S->cap * sizeof *S->rho);
    S->lam = malloc((size_t)S->cap * sizeof *S->lam);
    S->w = malloc((size_t)S->cap * sizeof *S->w);
    return S->kkt && S->rhs && S->th && S->z && S->rho && S->lam && S->w
               ? XT_OK
               : XT_ERR_NOMEM;
}

void xt_qpnum_clear(xt_qpnum *S)
{
    free(S->kkt);
    free(S->rhs);
    free(S->th);
    free(S->z);
    free(S->rho);
    free(S->lam);
    free(S->w);
    memset(S, 0, sizeof *S);
}

/* Solves the K-by-K system in S->kkt (row-major, destroyed) for S->rhs
 * in place, by Gaussian elimination with partial pivoting.  Returns 0
 * when a pivot is below QPNUM_PIVOT times the largest entry. */
static int dense_solve(double *a, double *b, int K)
{
    double big = 0;
    for (int i = 0; i < K * K; i++) {
        double v = fabs(a[i]);
        big = v > big ? v : big;
    }
    double tiny = QPNUM_PIVOT * (big > 0 ? big : 1);
    for (int col = 0; col < K; col++) {
        int best = col;
        for (int r = col + 1; r < K; r++)
            if (fabs(a[r * K + col]) > fabs(a[best * K + col]))
                best = r;
        if (fabs(a[best * K + col]) < tiny)
            return 0;
        if (best != col) {
            for (int j = col; j < K; j++) {
                double t = a[col * K + j];
                a[col * K + j] = a[best * K + j];
                a[best * K + j] = t;
            }
            double t = b[col];
            b[col] = b[best];
            b[best] = t;
        }
        for (int r = col + 1; r < K; r++) {
            double f = a[r * K + col] / a[col * K + col];
            if (f == 0)
                continue;
            for (int j = col; j < K; j++)
                a[r * K + j] -= f * a[col * K + j];
            b[r] -= f * b[col];
        }
    }
    for (int r = K - 1; r >= 0; r--) {
        double s = b[r];
        for (int j = r + 1; j < K; j++)
            s -= a[r * K + j] * b[j];
        b[r] = s / a[r * K + r];
    }
    return 1;
}

/* Row r's coefficients: sigma * V_i in neuron j's block. */
static const double *row_data(const xt_node_qp *P, int r, double *sigma,
                              int *block)
{
    int j = r % P->k;
    long pos = r / P->k;
    *sigma = P->sigma[r];
    *block = j * P->d1;
    return P->vd + P->pts[pos] * P->d1;
}

/* Fills the KKT matrix [H -A_W^T; A_W 0] for the working set. */
static void fill_kkt(xt_qpnum *S, const xt_node_qp *P, double delta)
{
    int p = P->p, K = p + S->nw;
    double *a = S->kkt;
    memset(a, 0, (size_t)K * K * sizeof *a);
    for (int i = 0; i < p; i++)
        for (int j = 0; j < p; j++)
            a[i * K + j] = 2.0 * (double)P->g[i * p + j];
    for (int i = 0; i < p; i++)
        a[i * K + i] += 2.0 * delta;
    for (int c = 0; c < S->nw; c++) {
        double sigma;
        int block;
        const double *v = row_data(P, S->w[c], &sigma, &block);
        for (int t = 0; t < P->d1; t++) {
            a[(block + t) * K + p + c] = -sigma * v[t];
            a[(p + c) * K + block + t] = sigma * v[t];
        }
    }
}

/* Solves for the minimizer on the working set as equations:
 * H th - A_W^T lam = 2 h, A_W th = 0. */
static int solve_on_working_set(xt_qpnum *S, const xt_node_qp *P,
                                double delta)
{
    int p = P->p, K = p + S->nw;
    fill_kkt(S, P, delta);
    for (int i = 0; i < p; i++)
        S->rhs[i] = 2.0 * (double)P->h[i];
    for (int c = 0; c < S->nw; c++)
        S->rhs[p + c] = 0;
    if (!dense_solve(S->kkt, S->rhs, K))
        return 0;
    memcpy(S->th, S->rhs, (size_t)p * sizeof *S->th);
    for (int c = 0; c < S->nw; c++)
        S->lam[c] = S->rhs[p + c];
    return 1;
}

/* Starts from the hint: the minimizer on the hinted rows, dropping the
 * row of the most negative multiplier until all are >= 0. */
static int hot_start(xt_qpnum *S, const xt_node_qp *P, const int *hint,
                     int nhint, double delta)
{
    long rows = (long)P->k * P->m;
    S->nw = 0;
    for (int c = 0; c < nhint && S->nw < S->cap; c++)
        if (hint[c] >= 0 && hint[c] < rows)
            S->w[S->nw++] = hint[c];
    for (;;) {
        if (!solve_on_working_set(S, P, delta)) {
            S->nw = 0;
            return solve_on_working_set(S, P, delta);
        }
        int drop = -1;
        for (int c = 0; c < S->nw; c++)
            if (S->lam[c] < 0 && (drop < 0 || S->lam[c] < S->lam[drop]))
                drop = c;
        if (drop < 0)
            return 1;
        S->w[drop] = S->w[S->nw - 1];
        S->nw--;
    }
}

/* The most violated row outside W, or -1 when none is violated by more
 * than the tolerance. */
static int most_violated(xt_qpnum *S, const xt_node_qp *P)
{
    double scale = 1;
    for (int i = 0; i < P->p; i++)
        scale = fmax(scale, fabs(S->th[i]));
    double worst = -QPNUM_TOL * scale;
    int best = -1;
    for (int j = 0; j < P->k; j++) {
        const double *th = S->th + j * P->d1;
        for (long pos = 0; pos < P->m; pos++) {
            const double *v = P->vd + P->pts[pos] * P->d1;
            double dot = 0;
            for (int t = 0; t < P->d1; t++)
                dot += v[t] * th[t];
            int r = (int)(pos * P->k + j), in = 0;
            dot *= P->sigma[r] * P->vinv[P->pts[pos]];
            if (dot < worst) {
                for (int c = 0; c < S->nw && !in; c++)
                    in = S->w[c] == r;
                if (!in) {
                    worst = dot;
                    best = r;
                }
            }
        }
    }
    return best;
}

static double row_dot(const xt_node_qp *P, int r, const double *x)
{
    double sigma;
    int block;
    const double *v = row_data(P, r, &sigma, &block);
    double s = 0;
    for (int t = 0; t < P->d1; t++)
        s += v[t] * x[block + t];
    return sigma * s;
}

/* Adds row r to the working set, dropping rows whose multipliers reach
 * 0 on the way.  Returns 0 on numeric failure. */
static int add_row(xt_qpnum *S, const xt_node_qp *P, int r, double delta)
{
    int p = P->p;
    double lam_r = 0;
    for (int guard = 0; guard <= S->cap + 1; guard++) {
        int K = p + S->nw;
        fill_kkt(S, P, delta);
        memset(S->rhs, 0, (size_t)K * sizeof *S->rhs);
        double sigma;
        int block;
        const double *v = row_data(P, r, &sigma, &block);
        for (int t = 0; t < P->d1; t++)
            S->rhs[block + t] = sigma * v[t];
        if (!dense_solve(S->kkt, S->rhs, K))
            return 0;
        memcpy(S->z, S->rhs, (size_t)p * sizeof *S->z);
        for (int c = 0; c < S->nw; c++)
            S->rho[c] = S->rhs[p + c];

        double az = row_dot(P, r, S->z), ath = row_dot(P, r, S->th);
        double full = az > 1e-14 ? -ath / az : INFINITY;
        double part = INFINITY;
        int block_row = -1;
        for (int c = 0; c < S->nw; c++)
            if (S->rho[c] < 0 && S->lam[c] / -S->rho[c] < part) {
                part = S->lam[c] / -S->rho[c];
                block_row = c;
            }
        if (isinf(full) && isinf(part))
            return 0;
        double step = fmin(full, part);
        for (int i = 0; i < p; i++)
            S->th[i] += step * S->z[i];
        for (int c = 0; c < S->nw; c++)
            S->lam[c] += step * S->rho[c];
        lam_r += step;
        if (full <= part) {
            if (S->nw >= S->cap)
                return 0;
            S->w[S->nw] = r;
            S->lam[S->nw++] = lam_r;
            return 1;
        }
        S->w[block_row] = S->w[S->nw - 1];
        S->lam[block_row] = S->lam[S->nw - 1];
        S->nw--;
    }
    return 0;
}

int xt_qpnum_solve(xt_qpnum *S, const xt_node_qp *P, const int *hint,
                   int nhint, double *value)
{
    int p = P->p;
    double gmax = 1;
    for (int i = 0; i < p; i++)
        gmax = fmax(gmax, (double)P->g[i * p + i]);
    double delta = QPNUM_DELTA * gmax;
    if (!hot_start(S, P, hint, nhint, delta))
        return 0;

    long limit = 4 * ((long)P->k * P->m + p) + 20;
    for (long it = 0; it < limit; it++) {
        int r = most_violated(S, P);
        if (r < 0) {
            /* f(th) = th.G th - 2 h.th + tt, unregularized. */
            double f = (double)P->tt;
            for (int i = 0; i < p; i++) {
                double gi = 0;
                for (int j = 0; j < p; j++)
                    gi += (double)P->g[i * p + j] * S->th[j];
                f += S->th[i] * (gi - 2.0 * (double)P->h[i]);
            }
            *value = f > 0 ? f : 0;
            return 1;
        }
        if (!add_row(S, P, r, delta))
            return 0;
    }
    return 0;
}
