/* Exact training of two-layer linear threshold networks under zero-one
 * loss: hidden neurons [w.x + b > 0] and a threshold output [c + a.h > 0]
 * (or a linear output c + a.h).
 *
 * Once each hidden neuron's activation set is fixed, the hidden layer maps
 * every point to a k-bit code and the output is a function of the code.
 * So the problem is finite: Khalife, Cheng and Basu ("Neural networks with
 * linear threshold activations: structure and algorithms", IPCO 2022 and
 * Mathematical Programming 2023) give the general exact algorithm, which
 * is polynomial in the number of points for a fixed architecture and
 * input dimension.  Two searches are implemented:
 *   - enumerate.c tries every tuple of affine dichotomies, one per neuron,
 *     and every output function, which is the textbook method;
 *   - branch.c fixes the output function first (only the Boolean threshold
 *     functions of k bits can occur with a threshold output) and then
 *     branches lazily on points the current network misclassifies, with
 *     one exact separation LP per changed neuron.
 * Every network returned is re-evaluated with xt_network_loss. */
#include <stdlib.h>
#include <string.h>
#include "threshold_internal.h"
#include "xtrain/log.h"
#include "xtrain/rat.h"

int xt_thr_labels_init(xt_thr_labels *l, const xt_instance_struct *inst,
                       const xt_thr_functions *f)
{
    l->n = inst->n;
    l->words = (size_t)(inst->n + 63) / 64;
    if (l->words == 0)
        l->words = 1;
    l->label = malloc(sizeof(int) * (size_t)(inst->n > 0 ? inst->n : 1));
    if (!l->label)
        return XT_ERR_NOMEM;
    for (long i = 0; i < inst->n; i++) {
        l->label[i] = -1;
        for (int v = 0; v < f->nvalues; v++)
            if (mpq_equal(inst->y[i], f->values[v]))
                l->label[i] = v;
    }
    return XT_OK;
}

void xt_thr_labels_clear(xt_thr_labels *l)
{
    free(l->label);
    l->label = NULL;
}

int xt_thr_network(xt_network_t net, const xt_thr_functions *f, size_t r,
                   mpq_t *const *wb, int d, int threshold_output,
                   xt_error_t *err)
{
    int k = f->k;
    int rc = xt_network_resize(net, d, k, 1, err);
    if (rc != XT_OK)
        return rc;
    net->activation = XT_ACT_THRESHOLD;
    net->threshold_output = threshold_output;
    net->has_output_bias = f->bias;
    const mpq_t *weights = f->weights + r * (size_t)(k + 1);
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < d; t++)
            mpq_set(net->w[j * d + t], wb[j][t]);
        mpq_set(net->b[j], wb[j][d]);
        mpq_set(net->a[j], weights[j]);
    }
    mpq_set(net->c[0], weights[k]);
    return XT_OK;
}

int xt_thr_should_stop(xt_solve_result_struct *res, const xt_thr_task *task,
                       double start)
{
    if (xt_interrupted()) {
        res->interrupted = 1;
        return 1;
    }
    if (task->opt->time_limit > 0 &&
        xt_seconds() - start >= task->opt->time_limit) {
        res->time_limit_reached = 1;
        return 1;
    }
    return 0;
}

int xt_thr_record(xt_solve_result_struct *res, const xt_thr_task *task,
                  const xt_network_t net, long claimed, xt_error_t *err)
{
    mpq_t loss;
    mpq_init(loss);
    int rc = xt_network_loss(loss, NULL, net, task->inst, XT_LOSS_ZERO_ONE,
                             err);
    if (rc == XT_OK) {
        int cmp = mpq_cmp_si(loss, claimed, 1);
        if (cmp > 0 || (cmp < 0 && task->threshold_output)) {
            xt_error_set(err, "self-check failed: a threshold network "
                         "misclassifies a different number of points "
                         "than its search claimed (%ld)", claimed);
            rc = XT_ERR_INTERNAL;
        }
    }
    if (rc == XT_OK &&
        (!res->has_network || mpq_cmp(loss, res->loss) < 0)) {
        rc = xt_network_set(res->network, net);
        mpq_set(res->loss, loss);
        res->has_network = rc == XT_OK;
    }
    mpq_clear(loss);
    if (rc == XT_OK && task->visit)
        rc = xt_thr_visit_all(task, net, err);
    return rc;
}

/* The instance checks shared by both entry points. */
static int check_instance(const xt_instance_t inst,
                          const xt_solve_options *opt, xt_error_t *err)
{
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if (inst->activation != XT_ACT_THRESHOLD) {
        xt_error_set(err, "the threshold solver needs activation "
                     "threshold, the instance has %s",
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (inst->m != 1) {
        xt_error_set(err, "the threshold solver handles one output, the "
                     "instance has %d", inst->m);
        return XT_ERR_INPUT;
    }
    if (inst->loss != XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "the threshold solver minimizes the zero-one "
                     "loss; the instance has loss %s (use --loss "
                     "zero-one)", xt_loss_name(inst->loss));
        return XT_ERR_INPUT;
    }
    if (inst->convex) {
        xt_error_set(err, "the threshold solver does not handle convex "
                     "instances (all output weights +1)");
        return XT_ERR_INPUT;
    }
    if (inst->hidden > XT_THR_MAX_K) {
        xt_error_set(err, "the threshold solver handles at most %d hidden "
                     "neurons, the instance has %d", XT_THR_MAX_K,
                     inst->hidden);
        return XT_ERR_INPUT;
    }
    if (opt->certificate_path) {
        xt_error_set(err, "the threshold solver writes no certificates "
                     "yet; check its network with xtrain check");
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Whether the output is a threshold: when every label is 0 or 1.
 * NOTE: the instance format has no output-activation setting, so a linear
 * output on 0/1 labels is only reachable through
 * XT_THRESHOLD_LINEAR_OUTPUT. */
static int labels_are_boolean(const xt_instance_t inst)
{
    for (long i = 0; i < inst->n; i++)
        if (mpq_cmp_ui(inst->y[i], 0, 1) != 0 &&
            mpq_cmp_ui(inst->y[i], 1, 1) != 0)
            return 0;
    return 1;
}

static int compare_mpq(const void *a, const void *b)
{
    return mpq_cmp(*(const mpq_t *)a, *(const mpq_t *)b);
}

/* The distinct labels, sorted, for a linear output. */
static int distinct_labels(mpq_t **out, int *count, const xt_instance_t inst)
{
    size_t n = (size_t)(inst->n > 0 ? inst->n : 1);
    mpq_t *all = xt_rat_array_new(n);
    if (!all)
        return XT_ERR_NOMEM;
    for (long i = 0; i < inst->n; i++)
        mpq_set(all[i], inst->y[i]);
    qsort(all, (size_t)inst->n, sizeof(mpq_t), compare_mpq);
    int distinct = 0;
    for (long i = 0; i < inst->n; i++)
        if (distinct == 0 || !mpq_equal(all[distinct - 1], all[i])) {
            if (distinct != i)
                mpq_swap(all[distinct], all[i]);
            distinct++;
        }
    *out = all;
    *count = distinct;
    return XT_OK;
}

static int build_functions(xt_thr_functions *f, const xt_instance_t inst,
                           int threshold_output, int canonical,
                           xt_error_t *err)
{
    if (threshold_output)
        return xt_thr_functions_threshold(f, inst->hidden,
                                          inst->output_bias, canonical, err);
    mpq_t *values;
    int count;
    if (distinct_labels(&values, &count, inst) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    int rc = xt_thr_functions_linear(f, inst->hidden, inst->output_bias,
                                     (const mpq_t *)values, count,
                                     canonical, err);
    xt_rat_array_free(values, (size_t)(inst->n > 0 ? inst->n : 1));
    return rc;
}

/* Sets the status from what a search found (as the enumeration solver
 * does). */
static void conclude(xt_solve_result_struct *res, const xt_instance_t inst)
{
    int complete = !res->interrupted && !res->time_limit_reached;
    int met = inst->has_target && res->has_network &&
              mpq_cmp(res->loss, inst->target) <= 0;
    if (met) {
        res->status = XT_SOLVE_FEASIBLE;
    } else if (!complete) {
        res->status = XT_SOLVE_UNKNOWN;
    } else if (inst->has_target) {
        res->status = XT_SOLVE_INFEASIBLE;
    } else {
        res->status = XT_SOLVE_OPTIMAL;
        res->has_lower = res->has_network;
        mpq_set(res->lower, res->loss);
    }
}

/* The misclassification budget: floor(target), or n when optimizing.
 * Returns -1 for a negative target. */
static long initial_budget(const xt_instance_t inst)
{
    if (!inst->has_target)
        return inst->n;
    if (mpq_sgn(inst->target) < 0)
        return -1;
    mpz_t q;
    mpz_init(q);
    mpz_fdiv_q(q, mpq_numref(inst->target), mpq_denref(inst->target));
    long budget = mpz_cmp_si(q, inst->n) > 0 ? inst->n : mpz_get_si(q);
    mpz_clear(q);
    return budget;
}

static int run(xt_solve_result_struct *res, const xt_instance_t inst,
               const xt_solve_options *opt, int flags, long vertex_limit,
               xt_network_visit visit, void *data, int all,
               xt_error_t *err)
{
    double start = xt_seconds();
    int rc = check_instance(inst, opt, err);
    if (rc != XT_OK)
        return rc;
    int enumerate = opt->naive || (flags & XT_THRESHOLD_ENUMERATE);
    int every = opt->naive || (flags & XT_THRESHOLD_ALL_FUNCTIONS);
    res->method_name = enumerate ? "threshold-enum" : "threshold";

    xt_thr_task task;
    memset(&task, 0, sizeof task);
    task.inst = inst;
    task.opt = opt;
    task.threshold_output = !(flags & XT_THRESHOLD_LINEAR_OUTPUT) &&
                            labels_are_boolean(inst);
    task.all = all;
    task.budget = initial_budget(inst);
    task.visit = visit;
    task.visit_data = data;
    task.vertex_limit = vertex_limit;

    if (vertex_limit > 0 && !(task.cache = xt_thr_vertex_cache_new())) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    xt_thr_functions f;
    xt_thr_functions_init(&f);
    rc = build_functions(&f, inst, task.threshold_output, !every, err);
    res->seconds_enumerate = xt_seconds() - start;
    if (rc == XT_OK && task.budget >= 0) {
        double t1 = xt_seconds();
        rc = enumerate ? xt_thr_enumerate(res, &task, &f, every, err)
                       : xt_thr_branch(res, &task, &f, err);
        res->seconds_solve = xt_seconds() - t1;
    }
    if (rc == XT_OK)
        conclude(res, inst);
    xt_thr_functions_clear(&f);
    xt_thr_vertex_cache_free(task.cache);
    res->seconds_total = xt_seconds() - start;
    return rc;
}

int xt_solve_threshold(xt_solve_result_t res, const xt_instance_t inst,
                       const xt_solve_options *opt, xt_error_t *err)
{
    return run(res, inst, opt, 0, 0, NULL, NULL, 0, err);
}

int xt_solve_threshold_each(xt_solve_result_t res, const xt_instance_t inst,
                            const xt_solve_options *opt, int flags,
                            long vertex_limit, xt_network_visit visit,
                            void *data, xt_error_t *err)
{
    return run(res, inst, opt, flags, vertex_limit, visit, data, 1, err);
}
