/* Exact global optimum of a two-layer ReLU network with one output by
 * activation-pattern enumeration (Arora, Basu, Mianjy and Mukherjee, ICLR
 * 2018), in O(2^k n^{dk}) subproblems for fixed d and k.
 *
 * By positive homogeneity a * relu(t) = sign(a) * relu(|a| t), so every
 * output weight is +1 or -1.  Neurons of the same sign are
 * interchangeable, so within a sign class only nondecreasing tuples of
 * active sets are needed.  The classes are "p neurons +1, k - p neurons
 * -1" (only p = k when the network must be convex).
 *
 * The default search (search.c) is a branch and bound over the points in
 * a fixed order, with the bounds of a Russian doll search (Verfaillie,
 * Lemaitre and Schiex, "Russian doll search for solving constraint
 * optimization problems", AAAI 1996): the problems on the last 1, 2, ...
 * points of the order are solved first, and the optimum on the last t
 * points is a lower bound for the loss of any network on those points.
 * A node that fixes the patterns on the first m of s points then has the
 * lower bound (its subproblem on the m points) + (optimum on the other
 * s - m points).  That holds for l1 and l2, whose loss is a sum of
 * per-point terms.  linf is a maximum, so there the bound is the maximum
 * of the two.  --naive runs the plain enumeration of flat.c instead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "enum_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

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
    /* The tree search keeps 2^k children per level. */
    if (inst->hidden > 16) {
        xt_error_set(err, "the enumeration solver handles at most 16 "
                     "hidden neurons, the instance asks for %d",
                     inst->hidden);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_enum_should_stop(xt_solve_result_struct *res,
                        const xt_instance_struct *inst,
                        const xt_solve_options *opt, double start)
{
    if (inst->has_target && res->has_network &&
        mpq_cmp(res->loss, inst->target) <= 0)
        return 1;
    if (xt_interrupted()) {
        res->interrupted = 1;
        return 1;
    }
    if (opt->time_limit > 0 && xt_seconds() - start >= opt->time_limit) {
        res->time_limit_reached = 1;
        return 1;
    }
    return 0;
}

int xt_enum_loss_on_points(mpq_t loss, const xt_network_t net,
                           const xt_instance_struct *inst, const long *pts,
                           long count, xt_error_t *err)
{
    if (net->d != inst->d || net->m != 1) {
        xt_error_set(err, "self-check failed: network shape");
        return XT_ERR_INTERNAL;
    }
    mpq_t out;
    mpq_init(out);
    mpq_set_ui(loss, 0, 1);
    for (long q = 0; q < count; q++) {
        long i = pts[q];
        xt_network_eval(&out, net, &inst->x[i * inst->d]);
        mpq_sub(out, out, inst->y[i]);
        if (inst->loss == XT_LOSS_L2) {
            mpq_mul(out, out, out);
            mpq_add(loss, loss, out);
        } else {
            if (mpq_sgn(out) < 0)
                mpq_neg(out, out);
            if (inst->loss == XT_LOSS_L1)
                mpq_add(loss, loss, out);
            else if (mpq_cmp(out, loss) > 0)
                mpq_set(loss, out);
        }
    }
    mpq_clear(out);
    return XT_OK;
}

/* Sets the final status from what the search found. */
static void conclude(xt_solve_result_struct *res,
                     const xt_instance_struct *inst)
{
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

/* ---- The Russian doll tree search ---- */

static int default_threads(const xt_solve_options *opt)
{
    if (opt->threads > 0)
        return opt->threads;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores > 0 ? (int)cores : 1;
}

static int search_init(xt_enum_search *S, const xt_instance_struct *inst,
                       const xt_solve_options *opt,
                       xt_solve_result_struct *res)
{
    memset(S, 0, sizeof *S);
    S->inst = inst;
    S->opt = opt;
    S->res = res;
    S->k = inst->hidden;
    S->d1 = inst->d + 1;
    S->n = inst->n;
    S->threads = default_threads(opt);
    S->rank = xt_solve_rank();
    S->size = xt_enum_mpi_size();
    S->combine_max = inst->loss == XT_LOSS_LINF;
    xt_pattern_layout_set(&S->lay, (const xt_instance_struct *)inst, S->k,
                          inst->n);
    pthread_mutex_init(&S->lock, NULL);
    mpq_inits(S->best, S->dy2, NULL);
    xt_network_init(S->best_net);
    atomic_store(&S->limit_d, INFINITY);
    atomic_store(&S->stop, 0);
    int rc = xt_enum_data_init(&S->data, (const xt_instance_struct *)inst,
                               S->k);
    S->p = S->data.p;
    S->fast = inst->loss == XT_LOSS_L2 && S->data.fits &&
              S->p <= XT_ENUM_FAST_COLS;
    mpz_mul(mpq_numref(S->dy2), S->data.dy, S->data.dy);
    S->dy2_d = mpq_get_d(S->dy2);
    S->order = malloc((size_t)(S->n + 1) * sizeof *S->order);
    S->lower = xt_rat_array_new((size_t)S->n + 2);
    S->lower_d = calloc((size_t)S->n + 2, sizeof *S->lower_d);
    if (rc != XT_OK || !S->order || !S->lower || !S->lower_d)
        return XT_ERR_NOMEM;
    for (long i = 0; i < S->n; i++)
        S->order[i] = i;
    return XT_OK;
}

static void search_clear(xt_enum_search *S)
{
    if (S->has_full)
        xt_enum_tree_clear(&S->full);
    xt_enum_data_clear(&S->data);
    free(S->order);
    xt_rat_array_free(S->lower, (size_t)S->n + 2);
    free(S->lower_d);
    mpq_clears(S->best, S->dy2, NULL);
    xt_network_clear(S->best_net);
    pthread_mutex_destroy(&S->lock);
}

/* Enumerates the dichotomies of all n points on first use.  Every
 * suffix's dichotomies are restrictions of these.  The build waits for
 * first use because a carried incumbent of loss 0 can make every tree
 * unnecessary. */
static int build_full(xt_enum_search *S, xt_error_t *err)
{
    if (S->has_full)
        return XT_OK;
    size_t limit = S->opt->max_patterns > 0 ? (size_t)S->opt->max_patterns
                                            : 0;
    int rc = xt_enum_tree_build(&S->full, S->inst, S->order, S->n, limit,
                                err);
    if (rc != XT_OK) {
        xt_enum_tree_clear(&S->full);
        return rc;
    }
    S->has_full = 1;
    S->res->dichotomies = (long)S->full.sets.count;
    return XT_OK;
}

/* Solves the problem on the last s points of the order; afterwards
 * S->best is its optimum unless the search stopped. */
static int solve_suffix(xt_enum_search *S, long s, int is_main,
                        xt_error_t *err)
{
    const xt_instance_struct *inst = S->inst;
    S->s = s;
    S->pts = S->order + (S->n - s);
    S->is_main = is_main;

    /* Every loss is at least 0, so a carried incumbent of loss 0 is this
     * problem's optimum and neither its tree nor its search is needed.
     * With a certificate both still run, because the certificate records
     * every suffix's tree. */
    if (S->has_best && !S->cert) {
        int rc0 = xt_enum_loss_on_points(S->best, S->best_net, inst, S->pts,
                                         s, err);
        if (rc0 != XT_OK || mpq_sgn(S->best) == 0) {
            S->best_task = -1;
            return rc0;
        }
    }
    double t0 = xt_seconds();
    int rc = build_full(S, err);
    if (rc == XT_OK)
        rc = xt_enum_tree_restrict(&S->tree, &S->full, s, err);
    S->res->seconds_enumerate += xt_seconds() - t0;
    if (rc != XT_OK) {
        xt_enum_tree_clear(&S->tree);
        return rc;
    }

    /* The previous problem's network is a first incumbent. */
    if (S->has_best) {
        rc = xt_enum_loss_on_points(S->best, S->best_net, inst, S->pts, s,
                                    err);
        S->best_task = -1;
    }
    xt_enum_search_set_limit(S);
    if (rc == XT_OK)
        rc = xt_enum_search_run(S);
    if (rc != XT_OK && S->error)
        *err = S->err;
    /* Every process reaches this point once per problem. */
    rc = xt_enum_mpi_merge(S, rc, err);
    xt_enum_tree_clear(&S->tree);
    return rc;
}

/* Records the optimum on the last s points as the bound for every
 * suffix of s or more points. */
static void store_lower(xt_enum_search *S, long s)
{
    for (long t = s; t <= S->n; t++) {
        mpq_set(S->lower[t], S->best);
        /* Round down so that a numeric bound never overstates. */
        double v = mpq_get_d(S->best);
        S->lower_d[t] = v - 1e-12 * fabs(v);
    }
}

static int run_tree(xt_enum_search *S, xt_enum_certificate *cert,
                    xt_error_t *err)
{
    int rc = XT_OK;
    S->cert = cert;
    if (cert)
        xt_enum_certificate_order(cert, S->order, S->n);
    for (long s = 1; s < S->n && rc == XT_OK && !atomic_load(&S->stop);
         s++) {
        if (cert)
            xt_enum_certificate_rest_begin(cert, s);
        rc = solve_suffix(S, s, 0, err);
        if (rc != XT_OK || atomic_load(&S->stop))
            break;
        if (cert)
            xt_enum_certificate_rest_end(cert, S->best);
        store_lower(S, s);
    }
    if (cert)
        xt_enum_certificate_main(cert);
    if (rc == XT_OK && !atomic_load(&S->stop))
        rc = solve_suffix(S, S->n, 1, err);
    xt_progress_done();
    return rc;
}

/* Copies the incumbent to res.  After a stop before the last problem
 * it is the best network for a suffix, with its loss on all points. */
static int tree_result(xt_enum_search *S, xt_solve_result_struct *res,
                       xt_error_t *err)
{
    int rc = XT_OK;
    if (S->has_best) {
        if (S->s != S->n)
            rc = xt_enum_loss_on_points(S->best, S->best_net, S->inst,
                                        S->order, S->n, err);
        res->has_network = rc == XT_OK;
        mpq_set(res->loss, S->best);
        xt_network_set(res->network, S->best_net);
    }
    long counts[5] = {S->leaves, S->nodes, S->pruned, S->exact,
                      S->fallbacks};
    xt_enum_mpi_sum(counts, 5);
    res->patterns = counts[0];
    res->nodes = counts[1];
    res->pruned = counts[2];
    res->subproblems = counts[3];
    res->exact_fallbacks = counts[4];
    return rc;
}

int xt_solve_enum(xt_solve_result_t res, const xt_instance_t inst,
                  const xt_solve_options *opt, xt_error_t *err)
{
    int rc = check_instance(inst, err);
    if (rc != XT_OK)
        return rc;
    double start = xt_seconds();
    res->method_name = "enum";
    rc = xt_enum_mpi_start();
    if (rc != XT_OK) {
        xt_error_set(err, "MPI initialization failed");
        return rc;
    }

    xt_enum_certificate cert, *certp = NULL;
    if (opt->certificate_path) {
        rc = xt_enum_certificate_open(&cert, opt->certificate_path, inst,
                                      inst->hidden, !opt->naive, err);
        if (rc != XT_OK)
            return rc;
        certp = &cert;
    }

    double t1 = xt_seconds();
    if (opt->naive) {
        rc = xt_enum_flat(res, inst, opt, certp, start, err);
    } else {
        xt_enum_search S;
        rc = search_init(&S, inst, opt, res);
        S.start = start;
        if (rc == XT_OK)
            rc = run_tree(&S, certp, err);
        else
            xt_error_set(err, "out of memory");
        int trc = tree_result(&S, res, err);
        if (rc == XT_OK)
            rc = trc;
        search_clear(&S);
    }
    res->seconds_solve = xt_seconds() - t1 - res->seconds_enumerate;
    if (rc == XT_OK)
        conclude(res, inst);
    if (certp) {
        int crc = xt_enum_certificate_close(
            certp, xt_solve_status_name(res->status),
            res->has_network ? res->network : NULL, res->loss, err);
        if (rc == XT_OK)
            rc = crc;
    }
    res->seconds_total = xt_seconds() - start;
    return rc;
}
