/* Search(E): the branching search over sets E of equalities
 * c + g_T(x_i) = y_i.
 *
 * A node finds some theta in P satisfying E (node.c).  None: the node is
 * a leaf with a Farkas ray.  If every point is tight (f(x_i) = y_i), theta
 * fits.  Otherwise the node picks a point i that theta leaves below its
 * label and has one child E + {(i, T)} per subset T: a fitting network
 * satisfying E is tight at i for some T, because f(x_i) = max_T
 * c + g_T(x_i).  Theta lies in the face of P cut out by E but on none of
 * the children's hyperplanes, so each child's face has lower dimension:
 * a node with a feasible LP has at most D = k(d+1) (+1 with an output
 * bias) equalities, which bounds the tree by 2^{k(D+1)} nodes.
 *
 * Symmetry: neurons j and j' that lie in exactly the same subsets of E
 * are interchangeable, because swapping them maps P and E to themselves.
 * Within each such class only subsets that take a prefix of the class
 * (in neuron order) are branched on.  A permutation that fixes E maps any
 * other T to one of these. */
#include <stdlib.h>
#include <string.h>
#include "convex_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

/* prev[j]: the largest j' < j interchangeable with j, or -1. */
static void twin_classes(const xt_convex_search *s, int *prev)
{
    for (int j = 0; j < s->k; j++) {
        prev[j] = -1;
        if (!s->copt.symmetry)
            continue;
        for (int t = j - 1; t >= 0 && prev[j] < 0; t--) {
            int same = 1;
            for (int q = 0; q < s->neq && same; q++)
                same = ((s->eq[q].subset >> j) & 1u) ==
                       ((s->eq[q].subset >> t) & 1u);
            if (same)
                prev[j] = t;
        }
    }
}

/* Writes the subsets to branch on at the current node into out (room for
 * 2^k) and returns their number. */
static int list_subsets(const xt_convex_search *s, unsigned *out)
{
    int prev[XT_CONVEX_MAX_HIDDEN];
    twin_classes(s, prev);
    int count = 0;
    /* Without an output bias T = {} would need y_i = 0, but the branch
     * point has y_i > f(x_i) >= 0. */
    unsigned first = s->bias_col >= 0 ? 0 : 1;
    for (unsigned t = first; t < s->full; t++) {
        int canonical = 1;
        for (int j = 0; j < s->k && canonical; j++)
            if (((t >> j) & 1u) && prev[j] >= 0)
                canonical = (t >> prev[j]) & 1u;
        if (canonical)
            out[count++] = t;
    }
    return count;
}

/* Orders the subsets by c + g_T(x_i) at theta, largest (closest to the
 * label) first; ties keep the subset order. */
static void order_subsets(xt_convex_search *s, long point, unsigned *sub,
                          int count)
{
    mpq_t *value = xt_rat_array_new((size_t)count);
    int k = s->k;
    for (int q = 0; q < count; q++)
        for (int j = 0; j < k; j++)
            if ((sub[q] >> j) & 1u)
                mpq_add(value[q], value[q], s->act[point * k + j]);
    for (int q = 1; q < count; q++)
        for (int r = q; r > 0 && mpq_cmp(value[r - 1], value[r]) < 0; r--) {
            unsigned t = sub[r];
            sub[r] = sub[r - 1];
            sub[r - 1] = t;
            mpq_swap(value[r - 1], value[r]);
        }
    xt_rat_array_free(value, (size_t)count);
}

/* The non-tight point to branch on, by the chosen rule; -1 if none. */
static long branch_point(const xt_convex_search *s)
{
    long pick = -1;
    for (long i = 0; i < s->n; i++) {
        if (!mpq_sgn(s->slack[i]))
            continue;
        if (pick < 0) {
            pick = i;
            if (s->copt.branch == XT_CONVEX_BRANCH_FIRST)
                return pick;
            continue;
        }
        int c = mpq_cmp(s->slack[i], s->slack[pick]);
        if ((s->copt.branch == XT_CONVEX_BRANCH_MAX_SLACK && c > 0) ||
            (s->copt.branch == XT_CONVEX_BRANCH_MIN_SLACK && c < 0))
            pick = i;
    }
    return pick;
}

/* Exchanges the node's evaluation with the probe buffers. */
static void swap_evaluation(xt_convex_search *s)
{
    mpq_t *q;
    q = s->theta, s->theta = s->save_theta, s->save_theta = q;
    q = s->act, s->act = s->save_act, s->save_act = q;
    q = s->slack, s->slack = s->save_slack, s->save_slack = q;
    unsigned *u = s->active;
    s->active = s->save_active;
    s->save_active = u;
}

/* Writes up to max points of largest positive slack into cand, largest
 * first, and returns their number. */
static int largest_slacks(const xt_convex_search *s, long *cand, int max)
{
    int count = 0;
    for (long i = 0; i < s->n; i++) {
        if (!mpq_sgn(s->slack[i]))
            continue;
        int r = count < max ? count++ : max;
        while (r > 0 && mpq_cmp(s->slack[cand[r - 1]], s->slack[i]) < 0) {
            if (r < max)
                cand[r] = cand[r - 1];
            r--;
        }
        if (r < max)
            cand[r] = i;
    }
    return count;
}

/* Fail-first branching: among the points of largest slack, the one with
 * the fewest children whose LP is feasible (a point with none makes the
 * node a dead end at once).  Each probe is one feasibility LP. */
static long fewest_children_point(xt_convex_search *s, const unsigned *sub,
                                  int nsub, int *rc, xt_error_t *err)
{
    long cand[64];
    int max = s->copt.probes < 1 ? 1 : s->copt.probes > 64 ? 64
                                                           : s->copt.probes;
    int count = largest_slacks(s, cand, max);
    if (count <= 1)
        return count ? cand[0] : -1;
    long best = cand[0], rows = s->nrows;
    int best_count = nsub + 1;
    swap_evaluation(s);
    for (int c = 0; c < count && best_count > 0 && *rc == XT_OK; c++) {
        int feasible_children = 0;
        for (int q = 0; q < nsub && feasible_children < best_count; q++) {
            int feasible = 0;
            s->eq[s->neq].point = cand[c];
            s->eq[s->neq].subset = sub[q];
            s->neq++;
            *rc = xt_convex_node_feasible(s, &feasible, err);
            s->neq--;
            s->nrows = rows;
            if (*rc != XT_OK)
                break;
            feasible_children += feasible;
        }
        if (feasible_children < best_count) {
            best = cand[c];
            best_count = feasible_children;
        }
    }
    swap_evaluation(s);
    return best;
}

static int should_stop(xt_convex_search *s)
{
    if (xt_interrupted()) {
        s->res->interrupted = 1;
        return 1;
    }
    if (s->opt->time_limit > 0 &&
        xt_seconds() - s->start >= s->opt->time_limit) {
        s->res->time_limit_reached = 1;
        return 1;
    }
    return 0;
}

/* The per-depth arrays: obj (steering subsets handed to a child) and the
 * active sets of the node at that depth.  Allocated on first use. */
static unsigned *level_array(xt_convex_search *s, int slot)
{
    if (!s->level_obj[slot])
        s->level_obj[slot] = malloc((size_t)(s->n ? s->n : 1) *
                                    sizeof(unsigned));
    return s->level_obj[slot];
}

static int visit(xt_convex_search *s, long parent, unsigned subset,
                 unsigned *obj, xt_error_t *err);

/* Writes node id (reached from parent by subset) as an inner node and
 * branches on point: one child per listed subset, best first. */
static int branch(xt_convex_search *s, long id, long parent,
                  unsigned subset, long point, xt_error_t *err)
{
    int depth = s->neq;
    unsigned *sub = malloc((size_t)s->full * sizeof *sub);
    unsigned *saved = level_array(s, 2 * depth);
    unsigned *child_obj = level_array(s, 2 * depth + 1);
    if (!sub || !saved || !child_obj) {
        free(sub);
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    int count = list_subsets(s, sub);
    s->res->pruned += (long)(s->full - (s->bias_col >= 0 ? 0 : 1)) - count;
    if (s->copt.branch == XT_CONVEX_BRANCH_FEWEST) {
        int rc = XT_OK;
        point = fewest_children_point(s, sub, count, &rc, err);
        if (rc != XT_OK) {
            free(sub);
            return rc;
        }
    }
    order_subsets(s, point, sub, count);
    memcpy(saved, s->active, (size_t)s->n * sizeof *saved);
    if (s->writing_certificate)
        xt_convex_certificate_inner(&s->cert, id, parent, subset, s->k,
                                    point);

    long rows = s->nrows;
    int rc = XT_OK;
    for (int q = 0; q < count && rc == XT_OK; q++) {
        memcpy(child_obj, saved, (size_t)s->n * sizeof *child_obj);
        s->eq[s->neq].point = point;
        s->eq[s->neq].subset = sub[q];
        s->neq++;
        rc = visit(s, id, sub[q], child_obj, err);
        s->neq--;
        s->nrows = rows;
        if (s->found || s->stop)
            break;
    }
    free(sub);
    return rc;
}

static void show_progress(xt_convex_search *s)
{
    xt_progress("convex: %ld nodes, %ld LPs, depth %d", s->res->nodes,
                s->res->subproblems, s->res->depth);
}

/* Search(E) for the current E; parent and subset name the edge from the
 * parent (parent -1 at the root). */
static int visit(xt_convex_search *s, long parent, unsigned subset,
                 unsigned *obj, xt_error_t *err)
{
    long id = s->res->nodes++;
    int depth = s->neq;
    if ((id & 15) == 0)
        show_progress(s);
    if (should_stop(s)) {
        s->stop = 1;
        return XT_OK;
    }
    int feasible = 0;
    int rc = xt_convex_node_solve(s, obj, &feasible, err);
    if (rc != XT_OK)
        return rc;
    if (!feasible) {
        if (s->writing_certificate)
            xt_convex_certificate_leaf(&s->cert, id, parent, subset, s->k,
                                       s->ray_row, s->ray_val, s->ray_len);
        return XT_OK;
    }
    if (depth > s->res->depth)
        s->res->depth = depth;
    if (depth > s->dim) {
        xt_error_set(err, "self-check failed: a feasible search node at "
                     "depth %d exceeds the bound %d", depth, s->dim);
        return XT_ERR_INTERNAL;
    }
    long point = branch_point(s);
    if (point < 0) {
        s->found = 1;
        return XT_OK;
    }
    return branch(s, id, parent, subset, point, err);
}

int xt_convex_search_run(xt_convex_search *s, xt_error_t *err)
{
    unsigned *obj = level_array(s, 2 * (s->dim + 2));
    if (!obj) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    /* The first LP maximizes sum_i (c + sum_j l_j(x_i)). */
    for (long i = 0; i < s->n; i++)
        obj[i] = s->full - 1;
    int rc = visit(s, -1, 0, obj, err);
    xt_progress_done();
    return rc;
}
