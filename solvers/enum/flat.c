/* The plain enumeration (--naive): every sign vector, every ordered
 * tuple of dichotomies, every pattern's subproblem solved exactly by
 * src/lp.  No symmetry reduction, no bounds and no warm starts: it is the
 * reference that the tree search is tested and measured against. */
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

typedef struct {
    const xt_instance_struct *inst;
    const xt_solve_options *opt;
    xt_solve_result_struct *res;
    xt_dichotomy_list sets;
    xt_pattern_layout lay;
    xt_pattern pat;
    xt_enum_certificate *cert;
    unsigned char *active;  /* k * n, for certificate entries */
    double start;
    double total_patterns;  /* for progress only */
} flat_state;

/* Advances idx to the next of all count^k tuples.  Returns 0 after the
 * last one. */
static int next_tuple(size_t *idx, int k, size_t count)
{
    for (int pos = k - 1; pos >= 0; pos--) {
        if (idx[pos] + 1 >= count) {
            idx[pos] = 0;
            continue;
        }
        idx[pos]++;
        return 1;
    }
    return 0;
}

/* Records a subproblem's optimum when it improves on the incumbent. */
static int take_solution(flat_state *s, const xt_lp_result_t lpres,
                         xt_error_t *err)
{
    xt_solve_result_struct *res = s->res;
    if (res->has_network && mpq_cmp(lpres->value, res->loss) >= 0)
        return XT_OK;

    xt_pattern_network(res->network, &s->lay, s->pat.sign, lpres->x);
    mpq_t check;
    mpq_init(check);
    int rc = xt_network_loss(check, NULL, res->network, s->inst,
                             s->inst->loss, err);
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

static void record(flat_state *s, const xt_lp_result_t lpres)
{
    long n = s->inst->n;
    int k = s->pat.k;
    for (int j = 0; j < k; j++)
        for (long i = 0; i < n; i++)
            s->active[j * n + i] = (unsigned char)xt_dichotomy_has(
                &s->sets, s->pat.set[j], i);
    xt_enum_entry e = {k, s->pat.sign, NULL, n, s->active, -1};
    xt_enum_certificate_result(s->cert, &e, lpres,
                               s->lay.loss == XT_LOSS_L2);
}

static int solve_pattern(flat_state *s, xt_lp_result_t lpres,
                         xt_error_t *err)
{
    xt_lp_t lp;
    xt_lp_init(lp, s->lay.ncols);
    int rc = xt_pattern_build(lp, &s->lay, s->inst, &s->sets, &s->pat);
    if (rc == XT_OK)
        rc = xt_lp_solve(lpres, lp, err);
    else
        xt_error_set(err, "out of memory");
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
    if (s->cert)
        record(s, lpres);
    if (lpres->status == XT_LP_OPTIMAL)
        return take_solution(s, lpres, err);
    return XT_OK;
}

static void show_progress(flat_state *s)
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

/* Runs every tuple of dichotomies for the sign vector in s->pat.sign.
 * Sets *stop when the search must end early. */
static int run_signs(flat_state *s, xt_lp_result_t lpres, int *stop,
                     xt_error_t *err)
{
    int k = s->pat.k;
    for (int j = 0; j < k; j++)
        s->pat.set[j] = 0;
    do {
        int rc = solve_pattern(s, lpres, err);
        if (rc != XT_OK)
            return rc;
        s->res->patterns++;
        if ((s->res->patterns & 63) == 0)
            show_progress(s);
        *stop = xt_enum_should_stop(s->res, s->inst, s->opt, s->start);
        if (*stop)
            return XT_OK;
    } while (next_tuple(s->pat.set, k, s->sets.count));
    return XT_OK;
}

int xt_enum_flat(xt_solve_result_struct *res, const xt_instance_struct *inst,
                 const xt_solve_options *opt, xt_enum_certificate *cert,
                 double start, xt_error_t *err)
{
    flat_state s;
    memset(&s, 0, sizeof s);
    s.inst = inst;
    s.opt = opt;
    s.res = res;
    s.cert = cert;
    s.start = start;
    int k = inst->hidden, rc = XT_OK, stop = 0;
    s.pat.k = k;
    s.pat.sign = calloc((size_t)k, sizeof *s.pat.sign);
    s.pat.set = calloc((size_t)k, sizeof *s.pat.set);
    s.active = malloc((size_t)(k * inst->n) + 1);
    xt_dichotomy_list_init(&s.sets, inst->n);
    xt_pattern_layout_set(&s.lay, inst, k, inst->n);
    xt_lp_result_t lpres;
    xt_lp_result_init(lpres);
    if (!s.pat.sign || !s.pat.set || !s.active) {
        xt_error_set(err, "out of memory");
        rc = XT_ERR_NOMEM;
        goto done;
    }
    double t0 = xt_seconds();
    size_t limit = opt->max_patterns > 0 ? (size_t)opt->max_patterns : 0;
    rc = xt_dichotomies(&s.sets, inst->x, inst->n, inst->d, limit, err);
    res->dichotomies = (long)s.sets.count;
    res->seconds_enumerate = xt_seconds() - t0;
    if (rc != XT_OK)
        goto done;
    if (cert)
        xt_enum_certificate_main(cert);

    /* Every sign vector (only all +1 when convex) and every ordered
     * tuple. */
    int vectors = inst->convex ? 1 : 1 << k;
    s.total_patterns = vectors;
    for (int j = 0; j < k; j++)
        s.total_patterns *= (double)s.sets.count;
    double t1 = xt_seconds();
    for (int v = 0; v < vectors && rc == XT_OK && !stop; v++) {
        for (int j = 0; j < k; j++)
            s.pat.sign[j] = (v >> j) & 1 ? -1 : 1;
        rc = run_signs(&s, lpres, &stop, err);
    }
    res->seconds_solve = xt_seconds() - t1;
    xt_progress_done();
done:
    xt_lp_result_clear(lpres);
    xt_dichotomy_list_clear(&s.sets);
    free(s.pat.sign);
    free(s.pat.set);
    free(s.active);
    return rc;
}
