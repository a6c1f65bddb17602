/* Exact global optimum of a two-layer ReLU network with one output by
 * activation-pattern enumeration (Arora, Basu, Mianjy and Mukherjee, ICLR
 * 2018), in O(2^k n^{dk}) subproblems for fixed d and k.
 *
 * By positive homogeneity a * relu(t) = sign(a) * relu(|a| t), so every
 * output weight is +1 or -1.  Neurons of the same sign are interchangeable,
 * so within a sign class only nondecreasing tuples of active sets are
 * tried; the classes are "p neurons +1, k - p neurons -1" (only p = k when
 * the network must be convex).  Every pattern's subproblem is solved
 * exactly, and its exact dual bound (or Farkas ray) goes to the
 * certificate. */
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "xtrain/solve.h"

typedef struct {
    const xt_instance_t *inst;
    const xt_solve_options *opt;
    xt_solve_result_struct *res;
    xt_dichotomy_list sets;
    xt_pattern_layout lay;
    xt_pattern pat;
    xt_enum_certificate cert;
    int writing_certificate;
    int stop;              /* decision reached, limit or interrupt */
    double start;
    double total_patterns; /* for progress only */
} enum_state;

static int check_instance(const xt_instance_t inst, xt_error_t *err)
{
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if (inst->m != 1) {
        xt_error_set(err, "the enumeration solver handles one output, the "
                     "instance has %d", inst->m);
        return XT_ERR_INPUT;
    }
    if (inst->activation != XT_ACT_RELU) {
        xt_error_set(err, "the enumeration solver needs activation relu, "
                     "the instance has %s",
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (inst->loss == XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "the enumeration solver handles the losses l1, "
                     "l2 and linf, not zero-one");
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Advances idx to the next tuple: nondecreasing within [0, p) and within
 * [p, k) (or every tuple when naive).  Returns 0 after the last one. */
static int next_tuple(size_t *idx, int k, int p, size_t count, int naive)
{
    for (int pos = k - 1; pos >= 0; pos--) {
        if (idx[pos] + 1 >= count)
            continue;
        idx[pos]++;
        for (int q = pos + 1; q < k; q++) {
            int same_class = (q < p) == (pos < p);
            idx[q] = (!naive && same_class) ? idx[pos] : 0;
        }
        return 1;
    }
    return 0;
}

/* Number of multisets of size r from count items, as a double. */
static double multisets(double count, int r)
{
    double v = 1;
    for (int i = 0; i < r; i++)
        v = v * (count + i) / (i + 1);
    return v;
}

/* Records a subproblem's optimum when it improves on the incumbent. */
static int take_solution(enum_state *s, const xt_lp_result_t lpres,
                         xt_error_t *err)
{
    xt_solve_result_struct *res = s->res;
    if (res->has_network && mpq_cmp(lpres->value, res->loss) >= 0)
        return XT_OK;

    xt_pattern_network(res->network, &s->lay, &s->pat, lpres->x);
    mpq_t check;
    mpq_init(check);
    int rc = xt_network_loss(check, NULL, res->network, *s->inst,
                             (*s->inst)->loss, err);
    if (rc == XT_OK && mpq_cmp(check, lpres->value) != 0) {
        xt_error_set(err, "self-check failed: a pattern's optimum does not "
                     "equal the exact loss of its network");
        rc = XT_ERR_INTERNAL;
    }
    mpq_clear(check);
    if (rc != XT_OK)
        return rc;
    mpq_set(res->loss, lpres->value);
    res->has_network = 1;
    return XT_OK;
}

static int solve_pattern(enum_state *s, xt_lp_result_t lpres,
                         xt_error_t *err)
{
    xt_lp_t lp;
    xt_lp_init(lp, s->lay.ncols);
    xt_pattern_build(lp, &s->lay, *s->inst, &s->sets, &s->pat);
    int rc = xt_lp_solve(lpres, lp, err);
    xt_lp_clear(lp);
    if (rc != XT_OK)
        return rc;

    s->res->subproblems++;
    s->res->exact_fallbacks += lpres->used_exact_fallback;
    if (lpres->status == XT_LP_UNBOUNDED) {
        /* Every loss is bounded below by 0, so this is a solver bug. */
        xt_error_set(err, "self-check failed: a pattern's subproblem was "
                     "reported unbounded");
        return XT_ERR_INTERNAL;
    }
    if (lpres->status == XT_LP_INFEASIBLE)
        s->res->infeasible++;
    if (s->writing_certificate)
        xt_enum_certificate_pattern(&s->cert, &s->sets, &s->pat, lpres,
                                    s->lay.loss == XT_LOSS_L2);
    if (lpres->status == XT_LP_OPTIMAL)
        return take_solution(s, lpres, err);
    return XT_OK;
}

static int should_stop(enum_state *s)
{
    const xt_instance_struct *inst = *s->inst;
    xt_solve_result_struct *res = s->res;
    if (inst->has_target && res->has_network &&
        mpq_cmp(res->loss, inst->target) <= 0)
        return 1;
    if (xt_interrupted()) {
        res->interrupted = 1;
        return 1;
    }
    if (s->opt->time_limit > 0 &&
        xt_seconds() - s->start >= s->opt->time_limit) {
        res->time_limit_reached = 1;
        return 1;
    }
    return 0;
}

static void show_progress(enum_state *s)
{
    xt_solve_result_struct *res = s->res;
    if (res->has_network) {
        char *best = xt_rat_to_string(res->loss);
        xt_progress("enum: %ld of %.0f patterns, best loss %s",
                    res->patterns, s->total_patterns, best ? best : "?");
        free(best);
    } else {
        xt_progress("enum: %ld of %.0f patterns", res->patterns,
                    s->total_patterns);
    }
}

/* Runs every pattern of the sign class "p neurons +1, k - p neurons -1"
 * (or of the sign vector in s->pat.sign when naive). */
static int run_class(enum_state *s, int p, xt_lp_result_t lpres,
                     xt_error_t *err)
{
    int k = s->pat.k, naive = s->opt->naive;
    for (int j = 0; j < k; j++) {
        s->pat.set[j] = 0;
        if (!naive)
            s->pat.sign[j] = j < p ? 1 : -1;
    }
    do {
        int rc = solve_pattern(s, lpres, err);
        if (rc != XT_OK)
            return rc;
        s->res->patterns++;
        if ((s->res->patterns & 63) == 0)
            show_progress(s);
        if (should_stop(s)) {
            s->stop = 1;
            return XT_OK;
        }
    } while (next_tuple(s->pat.set, k, naive ? k : p, s->sets.count,
                        naive));
    return XT_OK;
}

static int run_all(enum_state *s, xt_error_t *err)
{
    int k = s->pat.k;
    int rc = XT_OK;
    xt_lp_result_t lpres;
    xt_lp_result_init(lpres);
    double count = (double)s->sets.count;

    if (s->opt->naive) {
        /* Every sign vector and every ordered tuple: the reference for
         * the symmetry reduction. */
        int vectors = (*s->inst)->convex ? 1 : 1 << k;
        s->total_patterns = vectors;
        for (int j = 0; j < k; j++)
            s->total_patterns *= count;
        for (int v = 0; v < vectors && rc == XT_OK && !s->stop; v++) {
            for (int j = 0; j < k; j++)
                s->pat.sign[j] = (v >> j) & 1 ? -1 : 1;
            rc = run_class(s, k, lpres, err);
        }
    } else {
        int lowest = (*s->inst)->convex ? k : 0;
        s->total_patterns = 0;
        for (int p = lowest; p <= k; p++)
            s->total_patterns += multisets(count, p) *
                                 multisets(count, k - p);
        for (int p = k; p >= lowest && rc == XT_OK && !s->stop; p--)
            rc = run_class(s, p, lpres, err);
    }
    xt_lp_result_clear(lpres);
    xt_progress_done();
    return rc;
}

/* Sets the final status from what the search found. */
static void conclude(enum_state *s)
{
    const xt_instance_struct *inst = *s->inst;
    xt_solve_result_struct *res = s->res;
    int complete = !res->interrupted && !res->time_limit_reached;
    int target_met = inst->has_target && res->has_network &&
                     mpq_cmp(res->loss, inst->target) <= 0;

    if (target_met) {
        res->status = XT_SOLVE_FEASIBLE;
    } else if (!complete) {
        res->status = XT_SOLVE_UNKNOWN;
    } else if (inst->has_target) {
        res->status = XT_SOLVE_INFEASIBLE;
        if (res->has_network) {
            res->has_lower = 1;
            mpq_set(res->lower, res->loss);
        }
    } else {
        res->status = XT_SOLVE_OPTIMAL;
        res->has_lower = 1;
        mpq_set(res->lower, res->loss);
    }
}

static int enumerate_sets(enum_state *s, xt_error_t *err)
{
    const xt_instance_struct *inst = *s->inst;
    double t0 = xt_seconds();
    size_t limit = s->opt->max_patterns > 0 ? (size_t)s->opt->max_patterns
                                            : 0;
    int rc = xt_dichotomies(&s->sets, inst->x, inst->n, inst->d, limit,
                            err);
    s->res->dichotomies = (long)s->sets.count;
    s->res->seconds_enumerate = xt_seconds() - t0;
    return rc;
}

int xt_solve_enum(xt_solve_result_t res, const xt_instance_t inst,
                  const xt_solve_options *opt, xt_error_t *err)
{
    int rc = check_instance(inst, err);
    if (rc != XT_OK)
        return rc;

    enum_state s;
    memset(&s, 0, sizeof s);
    s.inst = (const xt_instance_t *)inst;
    s.opt = opt;
    s.res = res;
    s.start = xt_seconds();
    res->method_name = "enum";
    int k = inst->hidden;
    s.pat.k = k;
    s.pat.sign = calloc((size_t)k, sizeof *s.pat.sign);
    s.pat.set = calloc((size_t)k, sizeof *s.pat.set);
    xt_dichotomy_list_init(&s.sets, inst->n);
    xt_pattern_layout_set(&s.lay, inst, k);
    if (!s.pat.sign || !s.pat.set) {
        xt_error_set(err, "out of memory");
        rc = XT_ERR_NOMEM;
        goto done;
    }

    rc = enumerate_sets(&s, err);
    if (rc != XT_OK)
        goto done;
    if (opt->certificate_path) {
        rc = xt_enum_certificate_open(&s.cert, opt->certificate_path, inst,
                                      k, err);
        if (rc != XT_OK)
            goto done;
        s.writing_certificate = 1;
    }

    double t1 = xt_seconds();
    rc = run_all(&s, err);
    res->seconds_solve = xt_seconds() - t1;
    if (rc == XT_OK)
        conclude(&s);
    if (s.writing_certificate) {
        int crc = xt_enum_certificate_close(
            &s.cert, xt_solve_status_name(res->status),
            res->has_network ? res->network : NULL, res->loss, err);
        if (rc == XT_OK)
            rc = crc;
    }
done:
    res->seconds_total = xt_seconds() - s.start;
    xt_dichotomy_list_clear(&s.sets);
    free(s.pat.sign);
    free(s.pat.set);
    return rc;
}
