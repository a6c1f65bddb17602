/* The tree search over activation patterns with bounds.
 *
 * A node at depth m fixes, for every neuron, whether it is active on the
 * first m points of the current order.  Its patterns are the tuples of
 * dichotomies that agree with it there, and every such pattern's network
 * has loss at least
 *
 *     (optimum of the node's subproblem on the first m points)
 *   + (a proven lower bound for every network on the other points),
 *
 * because the loss is a sum (l1, l2) or a maximum (linf) of per-point
 * terms and a pattern's subproblem restricted to a subset of the points
 * is a relaxation: it drops the terms and rows of the other points.  The
 * second term comes from the suffix problems solved before (enum.c).
 * For linf the sum of the two is not a bound, so the maximum of the two
 * terms is used instead (combine_exact, evaluate).
 *
 * Pruning rule: a node is closed when an exactly verified lower bound of
 * its subproblem plus the suffix bound is at least the incumbent's loss
 * (or above the target of a decision problem).  Every closed node and
 * every leaf goes to the certificate with its exact dual certificate.
 * Within a sign class, neurons are interchangeable, so only tuples with
 * nondecreasing ranges are expanded; two neurons with the same range get
 * nondecreasing activity at the next point.
 *
 * For l2 with data that fit (data.c) a node is first solved in double
 * (qp_numeric.c); its working set is certified exactly (qp_exact.c) only
 * when the numeric bound suggests pruning, or at a leaf.  Otherwise, and
 * whenever that certification fails, src/lp solves the node exactly. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

typedef struct {
    xt_enum_search *S;
    xt_qpnum num;
    xt_qpexact ex;
    xt_lp_result_t lpres;
    int kids;                /* child slots per depth: 2^k */
    xt_enum_node *slots;     /* (s + 1) * kids */
    void *block;             /* memory behind the slots */
    int *perm;               /* (s + 1) * kids */
    signed char *sigma;      /* s * k: activity along the current path */
    int *sign;
    long task;
    int reporter;            /* this worker writes the progress line */
    long *spts, *rank;       /* the node's points sorted, and ranks */
    unsigned char *active;   /* k * s */
    mpq_t *xo, *yo;          /* certificate scratch */
    mpq_t bound;
    xt_network_t net;
    long nodes, leaves, pruned, exact, fallbacks;
} worker;

/* ---- Nodes ---- */

static size_t node_bytes(const xt_enum_search *S)
{
    size_t k = (size_t)S->k, p = (size_t)S->p;
    size_t bytes = 2 * k * sizeof(size_t) + (p * p + p) * sizeof(int64_t) +
                   (p + 2) * sizeof(int);
    /* Nodes are stored back to back, so round up to keep the next node's
     * int64_t and size_t arrays aligned. */
    return (bytes + 15) & ~(size_t)15;
}

/* Points the arrays of node at a block of node_bytes(S) bytes. */
static void node_attach(xt_enum_node *node, const xt_enum_search *S,
                        char *mem)
{
    size_t k = (size_t)S->k, p = (size_t)S->p;
    node->g = (int64_t *)mem;
    node->h = node->g + p * p;
    node->lo = (size_t *)(node->h + p);
    node->hi = node->lo + k;
    node->w = (int *)(node->hi + k);
    node->nw = 0;
}

static void node_copy(xt_enum_node *dst, const xt_enum_node *src,
                      const xt_enum_search *S)
{
    size_t k = (size_t)S->k, p = (size_t)S->p;
    memcpy(dst->g, src->g, (p * p + p) * sizeof(int64_t));
    memcpy(dst->lo, src->lo, k * sizeof(size_t));
    memcpy(dst->hi, src->hi, k * sizeof(size_t));
    memcpy(dst->w, src->w, (size_t)src->nw * sizeof(int));
    dst->nw = src->nw;
    dst->tt = src->tt;
    dst->value = src->value;
    dst->bits = src->bits;
}

/* Adds point i with activity bits to the sums: G += m m^T, h += m T_i,
 * tt += T_i^2, with m the point's row of M. */
static void add_point(xt_enum_node *node, const xt_enum_search *S,
                      const int *sign, long i, unsigned bits)
{
    const xt_enum_data *D = &S->data;
    int p = S->p, d1 = S->d1, cols[XT_ENUM_FAST_COLS], nnz = 0;
    int64_t vals[XT_ENUM_FAST_COLS];
    for (int j = 0; j < S->k; j++)
        if (bits >> j & 1)
            for (int t = 0; t < d1; t++) {
                cols[nnz] = j * d1 + t;
                vals[nnz++] = sign[j] * D->v[i * d1 + t];
            }
    if (D->bias_col >= 0) {
        cols[nnz] = D->bias_col;
        vals[nnz++] = 1;
    }
    for (int a = 0; a < nnz; a++) {
        for (int b = 0; b < nnz; b++)
            node->g[cols[a] * p + cols[b]] += vals[a] * vals[b];
        node->h[cols[a]] += vals[a] * D->t[i];
    }
    node->tt += D->t[i] * D->t[i];
}

static void set_sigma(worker *W, long pos, unsigned bits)
{
    for (int j = 0; j < W->S->k; j++)
        W->sigma[pos * W->S->k + j] = (bits >> j & 1) ? 1 : -1;
}

/* Fills kids with the children of parent at position pos.  Returns their
 * number. */
static int make_children(worker *W, const xt_enum_node *parent, long pos,
                         xt_enum_node *kids)
{
    xt_enum_search *S = W->S;
    int k = S->k, count = 0;
    size_t mid[64];
    for (int j = 0; j < k; j++)
        mid[j] = xt_enum_tree_split(&S->tree, parent->lo[j], parent->hi[j],
                                    pos);
    for (unsigned bits = 0; bits < (1u << k); bits++) {
        int ok = 1;
        for (int j = 0; j < k && ok; j++) {
            int one = bits >> j & 1;
            ok = one ? mid[j] < parent->hi[j] : mid[j] > parent->lo[j];
            if (ok && j + 1 < k && W->sign[j] == W->sign[j + 1] &&
                parent->lo[j] == parent->lo[j + 1])
                ok = one <= (int)(bits >> (j + 1) & 1);
        }
        if (!ok)
            continue;
        xt_enum_node *c = &kids[count++];
        node_copy(c, parent, S);
        c->bits = bits;
        for (int j = 0; j < k; j++) {
            if (bits >> j & 1)
                c->lo[j] = mid[j];
            else
                c->hi[j] = mid[j];
        }
        if (S->fast)
            add_point(c, S, W->sign, S->pts[pos], bits);
    }
    return count;
}

/* ---- Bounds and the incumbent ---- */

/* Whether an exact bound closes a node of the current task: it is at
 * least the incumbent, or above the target.  A tie closes the node only
 * against an incumbent from this task or an earlier one, so the result
 * does not depend on the timing of the threads.  Takes the lock. */
static int closes(worker *W, const mpq_t bound)
{
    xt_enum_search *S = W->S;
    const xt_instance_struct *inst = S->inst;
    if (S->is_main && inst->has_target && mpq_cmp(bound, inst->target) > 0)
        return 1;
    pthread_mutex_lock(&S->lock);
    int c = 0;
    if (S->has_best) {
        int cmp = mpq_cmp(bound, S->best);
        c = cmp > 0 || (cmp == 0 && S->best_task <= W->task);
    }
    pthread_mutex_unlock(&S->lock);
    return c;
}

/* Whether the numeric bound value is close enough to closing the node to
 * try an exact bound. */
static int may_close(const worker *W, double value)
{
    double limit = atomic_load(&W->S->limit_d);
    if (isinf(limit))
        return 0;
    return value >= limit - 1e-9 * fmax(1.0, fabs(limit));
}

/* The node's points sorted by instance index, the rank of each tree
 * position there, and the activity in that order. */
static void sort_node_points(worker *W, long m)
{
    xt_enum_search *S = W->S;
    for (long a = 0; a < m; a++)
        W->spts[a] = S->pts[a];
    /* Insertion sort: m is small and the prefix is mostly sorted. */
    for (long a = 1; a < m; a++) {
        long v = W->spts[a], b = a - 1;
        while (b >= 0 && W->spts[b] > v) {
            W->spts[b + 1] = W->spts[b];
            b--;
        }
        W->spts[b + 1] = v;
    }
    for (long pos = 0; pos < m; pos++) {
        long lo = 0, hi = m - 1, want = S->pts[pos];
        while (lo < hi) {
            long mid = (lo + hi) / 2;
            if (W->spts[mid] < want)
                lo = mid + 1;
            else
                hi = mid;
        }
        W->rank[pos] = lo;
        for (int j = 0; j < S->k; j++)
            W->active[j * m + lo] = W->sigma[pos * S->k + j] > 0;
    }
}

static void entry_for(worker *W, xt_enum_entry *e, long m)
{
    e->k = W->S->k;
    e->sign = W->sign;
    e->pts = W->spts;
    e->npts = m;
    e->active = W->active;
    e->depth = m;
}

/* Adds the bound for the points after the first m (takes the maximum
 * for linf) to bound. */
static void combine_exact(const xt_enum_search *S, mpq_t bound, long m)
{
    const mpq_t *rest = (const mpq_t *)&S->lower[S->s - m];
    if (!S->combine_max)
        mpq_add(bound, bound, *rest);
    else if (mpq_cmp(*rest, bound) > 0)
        mpq_set(bound, *rest);
}

/* Solves the node's subproblem on its m points exactly with src/lp.
 * Sets W->bound to its optimum plus the suffix bound, with the
 * certificate in W->lpres.  Returns XT_OK or an error code. */
static int solve_generic(worker *W, long m, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    xt_pattern_layout lay;
    xt_pattern_layout_set(&lay, S->inst, S->k, m);
    sort_node_points(W, m);
    xt_lp_t lp;
    xt_lp_init(lp, lay.ncols);
    int rc = xt_pattern_build_subset(lp, &lay, S->inst, W->spts, m,
                                     W->sign, W->active);
    if (rc == XT_OK)
        rc = xt_lp_solve(W->lpres, lp, err);
    xt_lp_clear(lp);
    if (rc != XT_OK)
        return rc;
    W->exact++;
    if (W->lpres->status == XT_LP_UNBOUNDED) {
        xt_error_set(err, "self-check failed: a pattern's subproblem was "
                     "reported unbounded");
        return XT_ERR_INTERNAL;
    }
    mpq_set(W->bound, W->lpres->value);
    combine_exact(S, W->bound, m);
    return XT_OK;
}

/* Writes the generic result of the node to the certificate. */
static void record_generic(worker *W, long m)
{
    xt_enum_search *S = W->S;
    if (!S->cert)
        return;
    xt_enum_entry e;
    entry_for(W, &e, m);
    xt_enum_certificate_result(S->cert, &e, W->lpres,
                               S->inst->loss == XT_LOSS_L2);
}

/* Converts the certified scaled point and multipliers (W->ex) to the
 * original units: x = (D_x w / D_y, b / D_y, c / D_y), y = y' / D_y,
 * bound = value / D_y^2.  Fills W->xo (p entries). */
static void unscale_point(worker *W)
{
    xt_enum_search *S = W->S;
    const xt_enum_data *D = &S->data;
    for (int col = 0; col < S->p; col++) {
        mpq_set(W->xo[col], W->ex.x[col]);
        int is_w = col < S->k * S->d1 && col % S->d1 != S->d1 - 1;
        if (is_w && mpz_cmp_ui(D->dx, 1) != 0) {
            mpz_mul(mpq_numref(W->xo[col]), mpq_numref(W->xo[col]), D->dx);
            mpq_canonicalize(W->xo[col]);
        }
        if (mpz_cmp_ui(D->dy, 1) != 0) {
            mpz_mul(mpq_denref(W->xo[col]), mpq_denref(W->xo[col]), D->dy);
            mpq_canonicalize(W->xo[col]);
        }
    }
}

/* Writes the certified Wolfe bound of the node (W->ex) to the
 * certificate: rows j * m + rank, in original units. */
static void record_wolfe(worker *W, long m)
{
    xt_enum_search *S = W->S;
    if (!S->cert)
        return;
    sort_node_points(W, m);
    unscale_point(W);
    long rows = (long)S->k * m;
    for (long r = 0; r < rows; r++)
        mpq_set_ui(W->yo[r], 0, 1);
    for (int c = 0; c < W->ex.ny; c++) {
        int row = W->ex.wrow[c], j = row % S->k;
        long pos = row / S->k;
        mpq_ptr y = W->yo[j * m + W->rank[pos]];
        mpq_set(y, W->ex.y[c]);
        mpz_mul(mpq_denref(y), mpq_denref(y), S->data.dy);
        mpq_canonicalize(y);
    }
    mpq_t value;
    mpq_init(value);
    mpq_div(value, W->ex.value, S->dy2);
    xt_enum_entry e;
    entry_for(W, &e, m);
    xt_enum_certificate_wolfe(S->cert, &e, value, W->yo, rows, W->xo, S->p);
    mpq_clear(value);
}

static void node_qp(const worker *W, const xt_enum_node *c, long m,
                    xt_node_qp *P)
{
    const xt_enum_search *S = W->S;
    P->p = S->p;
    P->k = S->k;
    P->d1 = S->d1;
    P->m = m;
    P->g = c->g;
    P->h = c->h;
    P->tt = c->tt;
    P->v = S->data.v;
    P->vd = S->data.vd;
    P->vinv = S->data.vinv;
    P->pts = S->pts;
    P->sigma = W->sigma;
}

/* Tries to close node c at depth m with an exact bound.  Returns 1 when
 * closed (and recorded), 0 when not, or a negative error code. */
static int try_close(worker *W, xt_enum_node *c, long m, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    if (S->fast) {
        xt_node_qp P;
        node_qp(W, c, m, &P);
        int got = xt_qpexact_certify(&W->ex, &P, c->w, c->nw, 0);
        W->exact++;
        if (got == 1) {
            mpq_div(W->bound, W->ex.value, S->dy2);
            combine_exact(S, W->bound, m);
            if (!closes(W, W->bound))
                return 0;
            record_wolfe(W, m);
            return 1;
        }
        W->fallbacks++;
    }
    int rc = solve_generic(W, m, err);
    if (rc != XT_OK)
        return -rc;
    if (W->lpres->status == XT_LP_OPTIMAL && !closes(W, W->bound)) {
        c->value = mpq_get_d(W->bound);
        return 0;
    }
    record_generic(W, m);
    return 1;
}

/* Computes the numeric bound of child c at depth m and closes it when an
 * exact bound allows.  Returns 1 closed, 0 open, < 0 an error. */
static int evaluate(worker *W, xt_enum_node *c, const xt_enum_node *parent,
                    long m, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    W->nodes++;
    if (!S->fast) {
        int rc = solve_generic(W, m, err);
        if (rc != XT_OK)
            return -rc;
        c->value = mpq_get_d(W->bound);
        if (W->lpres->status == XT_LP_OPTIMAL && !closes(W, W->bound))
            return 0;
        record_generic(W, m);
        return 1;
    }
    xt_node_qp P;
    node_qp(W, c, m, &P);
    double value = 0;
    if (xt_qpnum_solve(&W->num, &P, parent->w, parent->nw, &value)) {
        memcpy(c->w, W->num.w, (size_t)W->num.nw * sizeof *c->w);
        c->nw = W->num.nw;
    } else {
        c->nw = 0;
        value = 0;
    }
    c->value = value / S->dy2_d;
    if (S->combine_max)
        c->value = fmax(c->value, S->lower_d[S->s - m]);
    else
        c->value += S->lower_d[S->s - m];
    if (!may_close(W, c->value))
        return 0;
    return try_close(W, c, m, err);
}

/* Offers a leaf's network with exact loss v (original units, x in
 * original units) as the incumbent. */
static int offer(worker *W, const mpq_t v, const mpq_t *x, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    pthread_mutex_lock(&S->lock);
    int better = !S->has_best;
    if (!better) {
        int cmp = mpq_cmp(v, S->best);
        better = cmp < 0 || (cmp == 0 && W->task < S->best_task);
    }
    pthread_mutex_unlock(&S->lock);
    if (!better)
        return XT_OK;

    /* Self-check: the network's exact loss on the problem's points. */
    xt_pattern_network(W->net, &S->lay, W->sign, x);
    mpq_t loss;
    mpq_init(loss);
    int rc = xt_enum_loss_on_points(loss, W->net, S->inst, S->pts, S->s,
                                    err);
    if (rc == XT_OK && !mpq_equal(loss, v)) {
        xt_error_set(err, "self-check failed: a pattern's optimum does not "
                     "equal the exact loss of its network");
        rc = XT_ERR_INTERNAL;
    }
    mpq_clear(loss);
    if (rc != XT_OK)
        return rc;

    pthread_mutex_lock(&S->lock);
    int cmp = S->has_best ? mpq_cmp(v, S->best) : -1;
    if (cmp < 0 || (cmp == 0 && W->task < S->best_task)) {
        mpq_set(S->best, v);
        xt_enum_search_set_limit(S);
        S->best_task = W->task;
        S->has_best = 1;
        xt_network_set(S->best_net, W->net);
    }
    pthread_mutex_unlock(&S->lock);
    return XT_OK;
}

/* Solves a leaf exactly and offers it.  Returns XT_OK or an error. */
static int solve_leaf(worker *W, xt_enum_node *c, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    long m = S->s;
    W->leaves++;
    if (S->fast) {
        xt_node_qp P;
        node_qp(W, c, m, &P);
        int got = xt_qpexact_certify(&W->ex, &P, c->w, c->nw, 1);
        W->exact++;
        if (got == 1 && W->ex.feasible) {
            record_wolfe(W, m);
            unscale_point(W);
            mpq_div(W->bound, W->ex.value, S->dy2);
            return offer(W, W->bound, W->xo, err);
        }
        W->fallbacks++;
    }
    int rc = solve_generic(W, m, err);
    if (rc != XT_OK)
        return rc;
    record_generic(W, m);
    if (W->lpres->status != XT_LP_OPTIMAL)
        return XT_OK;
    return offer(W, W->lpres->value, W->lpres->x, err);
}

/* ---- The depth-first search ---- */

static void show_progress(worker *W)
{
    xt_enum_search *S = W->S;
    double best = atomic_load(&S->limit_d);
    xt_progress("enum: %ld of %ld points, task %ld of %ld, %ld nodes, "
                "best %.6g", S->s, S->n, W->task + 1, S->ntasks,
                W->nodes, best);
}

static int stop_now(worker *W)
{
    xt_enum_search *S = W->S;
    if (atomic_load(&S->stop))
        return 1;
    const xt_instance_struct *inst = S->inst;
    int stop = 0;
    if (S->is_main && inst->has_target) {
        pthread_mutex_lock(&S->lock);
        stop = S->has_best && mpq_cmp(S->best, inst->target) <= 0;
        pthread_mutex_unlock(&S->lock);
    }
    int interrupted = xt_interrupted();
    int late = S->opt->time_limit > 0 &&
               xt_seconds() - S->start >= S->opt->time_limit;
    if (interrupted || late) {
        pthread_mutex_lock(&S->lock);
        S->res->interrupted |= interrupted;
        S->res->time_limit_reached |= late;
        pthread_mutex_unlock(&S->lock);
        stop = 1;
    }
    if (stop)
        atomic_store(&S->stop, 1);
    else if (W->reporter)
        show_progress(W);
    return stop;
}

static void sort_by_value(int *perm, int count, const xt_enum_node *kids)
{
    for (int a = 1; a < count; a++) {
        int v = perm[a], b = a - 1;
        while (b >= 0 && kids[perm[b]].value > kids[v].value) {
            perm[b + 1] = perm[b];
            b--;
        }
        perm[b + 1] = v;
    }
}

/* Searches the subtree below parent, a node at depth `depth`. */
static int explore(worker *W, const xt_enum_node *parent, long depth,
                   xt_error_t *err)
{
    xt_enum_search *S = W->S;
    if ((W->nodes & 255) == 0 && stop_now(W))
        return XT_OK;
    xt_enum_node *kids = W->slots + (size_t)depth * W->kids;
    int *perm = W->perm + (size_t)depth * W->kids;
    int count = make_children(W, parent, depth, kids), open = 0;

    for (int c = 0; c < count; c++) {
        set_sigma(W, depth, kids[c].bits);
        int got = evaluate(W, &kids[c], parent, depth + 1, err);
        if (got < 0)
            return -got;
        if (got == 0)
            perm[open++] = c;
        else
            W->pruned++;
    }
    sort_by_value(perm, open, kids);

    for (int q = 0; q < open && !atomic_load(&S->stop); q++) {
        xt_enum_node *c = &kids[perm[q]];
        set_sigma(W, depth, c->bits);
        int rc = XT_OK;
        if (depth + 1 == S->s) {
            rc = solve_leaf(W, c, err);
        } else if (S->fast && may_close(W, c->value)) {
            /* The incumbent improved since the child was evaluated. */
            int got = try_close(W, c, depth + 1, err);
            if (got < 0)
                return -got;
            if (got == 1) {
                W->pruned++;
                continue;
            }
            rc = explore(W, c, depth + 1, err);
        } else {
            rc = explore(W, c, depth + 1, err);
        }
        if (rc != XT_OK)
            return rc;
    }
    return XT_OK;
}

void xt_enum_search_set_limit(xt_enum_search *S)
{
    double limit = INFINITY;
    if (S->has_best)
        limit = mpq_get_d(S->best);
    if (S->is_main && S->inst->has_target)
        limit = fmin(limit, mpq_get_d(S->inst->target));
    atomic_store(&S->limit_d, limit);
}

/* ---- Workers ---- */

static void worker_clear(worker *W)
{
    xt_qpnum_clear(&W->num);
    xt_qpexact_clear(&W->ex);
    xt_lp_result_clear(W->lpres);
    free(W->block);
    free(W->slots);
    free(W->perm);
    free(W->sigma);
    free(W->sign);
    free(W->spts);
    free(W->rank);
    free(W->active);
    xt_rat_array_free(W->xo, (size_t)W->S->p + 1);
    xt_rat_array_free(W->yo, (size_t)(W->S->k * W->S->s) + 1);
    mpq_clear(W->bound);
    xt_network_clear(W->net);
}

static int worker_init(worker *W, xt_enum_search *S)
{
    memset(W, 0, sizeof *W);
    W->S = S;
    long s = S->s;
    int k = S->k;
    W->kids = 1 << k;
    size_t nslots = (size_t)(s + 1) * W->kids, bytes = node_bytes(S);
    xt_lp_result_init(W->lpres);
    mpq_init(W->bound);
    xt_network_init(W->net);
    int rc = xt_qpnum_init(&W->num, S->p);
    if (rc == XT_OK)
        rc = xt_qpexact_init(&W->ex, S->p, S->d1);
    W->block = malloc(nslots * bytes);
    W->slots = malloc(nslots * sizeof *W->slots);
    W->perm = malloc(nslots * sizeof *W->perm);
    W->sigma = malloc((size_t)(s + 1) * k);
    W->sign = malloc((size_t)k * sizeof *W->sign);
    W->spts = malloc((size_t)(s + 1) * sizeof *W->spts);
    W->rank = malloc((size_t)(s + 1) * sizeof *W->rank);
    W->active = malloc((size_t)(s + 1) * k);
    W->xo = xt_rat_array_new((size_t)S->p + 1);
    W->yo = xt_rat_array_new((size_t)(k * s) + 1);
    if (rc != XT_OK || !W->block || !W->slots || !W->perm || !W->sigma ||
        !W->sign || !W->spts || !W->rank || !W->active || !W->xo ||
        !W->yo)
        return XT_ERR_NOMEM;
    for (size_t i = 0; i < nslots; i++)
        node_attach(&W->slots[i], S, (char *)W->block + i * bytes);
    return XT_OK;
}

/* ---- Tasks ---- */

static void task_free(xt_enum_task *t)
{
    free(t->node.g);
    free(t->sign);
    free(t->sigma);
}

static int task_alloc(xt_enum_task *t, const xt_enum_search *S, long depth)
{
    memset(t, 0, sizeof *t);
    char *mem = calloc(1, node_bytes(S));
    t->sign = malloc((size_t)S->k * sizeof *t->sign);
    t->sigma = malloc((size_t)(depth + 1) * S->k);
    if (!mem || !t->sign || !t->sigma) {
        free(mem);
        free(t->sign);
        free(t->sigma);
        return XT_ERR_NOMEM;
    }
    node_attach(&t->node, S, mem);
    t->depth = depth;
    return XT_OK;
}

/* The root of the sign class with `plus` neurons +1. */
static int root_task(xt_enum_task *t, const xt_enum_search *S, int plus)
{
    if (task_alloc(t, S, 0) != XT_OK)
        return XT_ERR_NOMEM;
    for (int j = 0; j < S->k; j++) {
        t->sign[j] = j < plus ? 1 : -1;
        t->node.lo[j] = 0;
        t->node.hi[j] = S->tree.sets.count;
    }
    return XT_OK;
}

/* Replaces the task list by the children of every task, in order. */
static int expand_tasks(xt_enum_search *S, worker *W)
{
    long cap = S->ntasks << S->k, count = 0;
    xt_enum_task *next = calloc((size_t)cap + 1, sizeof *next);
    if (!next)
        return XT_ERR_NOMEM;
    int rc = XT_OK;
    for (long q = 0; q < S->ntasks && rc == XT_OK; q++) {
        xt_enum_task *t = &S->tasks[q];
        memcpy(W->sign, t->sign, (size_t)S->k * sizeof *W->sign);
        int got = make_children(W, &t->node, t->depth, W->slots);
        for (int c = 0; c < got && rc == XT_OK; c++) {
            xt_enum_task *u = &next[count];
            rc = task_alloc(u, S, t->depth + 1);
            if (rc != XT_OK)
                break;
            count++;
            node_copy(&u->node, &W->slots[c], S);
            memcpy(u->sign, t->sign, (size_t)S->k * sizeof *u->sign);
            memcpy(u->sigma, t->sigma, (size_t)t->depth * S->k);
            for (int j = 0; j < S->k; j++)
                u->sigma[t->depth * S->k + j] =
                    (W->slots[c].bits >> j & 1) ? 1 : -1;
        }
    }
    for (long q = 0; q < S->ntasks; q++)
        task_free(&S->tasks[q]);
    free(S->tasks);
    S->tasks = next;
    S->ntasks = count;
    return rc;
}

/* Enough tasks to keep the workers busy and to balance them.  The count
 * does not depend on the number of threads, so the order in which the
 * tree is searched does not either. */
#define XT_ENUM_TASKS 256

static int make_tasks(xt_enum_search *S, worker *W)
{
    int lowest = S->inst->convex ? S->k : 0;
    S->ntasks = 0;
    S->tasks = calloc((size_t)(S->k + 1), sizeof *S->tasks);
    if (!S->tasks)
        return XT_ERR_NOMEM;
    for (int plus = S->k; plus >= lowest; plus--) {
        if (root_task(&S->tasks[S->ntasks], S, plus) != XT_OK)
            return XT_ERR_NOMEM;
        S->ntasks++;
    }
    long depth = 0;
    while (S->ntasks < XT_ENUM_TASKS && depth < S->s) {
        int rc = expand_tasks(S, W);
        if (rc != XT_OK)
            return rc;
        depth++;
    }
    return XT_OK;
}

/* Searches task q: evaluates its node, then its subtree. */
static int run_task(worker *W, long q, xt_error_t *err)
{
    xt_enum_search *S = W->S;
    xt_enum_task *t = &S->tasks[q];
    W->task = q;
    memcpy(W->sign, t->sign, (size_t)S->k * sizeof *W->sign);
    memcpy(W->sigma, t->sigma, (size_t)t->depth * S->k);
    xt_enum_node *node = W->slots + (size_t)S->s * W->kids;
    node_copy(node, &t->node, S);
    if (t->depth > 0) {
        /* The node was made without a bound; its own working set is the
         * hint. */
        int got = evaluate(W, node, &t->node, t->depth, err);
        if (got < 0)
            return -got;
        if (got == 1) {
            W->pruned++;
            return XT_OK;
        }
    }
    if (t->depth == S->s)
        return solve_leaf(W, node, err);
    return explore(W, node, t->depth, err);
}

static void *worker_main(void *arg)
{
    worker *W = arg;
    xt_enum_search *S = W->S;
    xt_error_t err;
    xt_error_clear(&err);
    for (;;) {
        /* MPI process r takes the tasks q = r mod P. */
        pthread_mutex_lock(&S->lock);
        long q = S->ntasks;
        if (!S->error && !atomic_load(&S->stop)) {
            q = S->next_task;
            S->next_task += S->size > 1 ? S->size : 1;
        }
        pthread_mutex_unlock(&S->lock);
        if (q >= S->ntasks)
            break;
        int rc = run_task(W, q, &err);
        if (rc != XT_OK) {
            pthread_mutex_lock(&S->lock);
            if (!S->error) {
                S->error = rc;
                S->err = err;
            }
            pthread_mutex_unlock(&S->lock);
            atomic_store(&S->stop, 1);
            break;
        }
        if (q == 0 || (q & 7) == 0)
            stop_now(W);
    }
    xt_lp_release_thread();
    return NULL;
}

static void add_statistics(xt_enum_search *S, const worker *W)
{
    S->nodes += W->nodes;
    S->leaves += W->leaves;
    S->pruned += W->pruned;
    S->exact += W->exact;
    S->fallbacks += W->fallbacks;
}

int xt_enum_search_run(xt_enum_search *S)
{
    int threads = S->threads > 0 ? S->threads : 1;
    worker *W = calloc((size_t)threads, sizeof *W);
    if (!W)
        return XT_ERR_NOMEM;
    int made = 0, rc = XT_OK;
    for (; made < threads && rc == XT_OK; made++)
        rc = worker_init(&W[made], S);
    S->error = 0;
    S->next_task = S->size > 1 ? S->rank : 0;
    if (rc == XT_OK)
        rc = make_tasks(S, &W[0]);
    W[0].reporter = 1;
    if (rc == XT_OK && threads == 1) {
        worker_main(&W[0]);
    } else if (rc == XT_OK) {
        pthread_t *tid = calloc((size_t)threads, sizeof *tid);
        int started = 0;
        for (; tid && started < threads; started++)
            if (pthread_create(&tid[started], NULL, worker_main,
                               &W[started]) != 0)
                break;
        if (started == 0)
            worker_main(&W[0]);
        for (int i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
        free(tid);
    }
    if (rc == XT_OK && S->error)
        rc = S->error;
    for (int i = 0; i < made; i++) {
        add_statistics(S, &W[i]);
        worker_clear(&W[i]);
    }
    free(W);
    for (long q = 0; q < S->ntasks; q++)
        task_free(&S->tasks[q]);
    free(S->tasks);
    S->tasks = NULL;
    S->ntasks = 0;
    return rc;
}
