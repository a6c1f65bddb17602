/* The training loop of one restart and the driver over all restarts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/log.h"
#include "xtrain/rat.h"
#include "sgd_impl.h"

/* Returns the number of hidden neurons training will use, or 0. */
static int hidden_count(const xt_instance_t inst, const xt_sgd_options *opt)
{
    if (opt->hidden)
        return opt->hidden;
    if (inst->hidden)
        return inst->hidden;
    if (opt->init == XT_INIT_NETWORK && opt->init_network)
        return opt->init_network->k;
    return 0;
}

/* Checks the numeric settings.  The caller checks the instance. */
static int check_numbers(const xt_sgd_options *opt, xt_error_t *err)
{
    const char *bad = NULL;
    if (!(opt->lr >= 0.0) || !isfinite(opt->lr))
        bad = "the learning rate must be a finite number >= 0";
    else if (!(opt->momentum >= 0.0 && opt->momentum < 1.0))
        bad = "the momentum must be in [0, 1)";
    else if (!(opt->beta1 >= 0.0 && opt->beta1 < 1.0) ||
             !(opt->beta2 >= 0.0 && opt->beta2 < 1.0))
        bad = "the Adam betas must be in [0, 1)";
    else if (!(opt->adam_eps > 0.0) || !isfinite(opt->adam_eps))
        bad = "the Adam epsilon must be a finite number > 0";
    else if (!(opt->decay >= 0.0) || !isfinite(opt->decay))
        bad = "the decay factor must be a finite number >= 0";
    else if (!(opt->min_lr >= 0.0) || !isfinite(opt->min_lr))
        bad = "the minimum learning rate must be a finite number >= 0";
    else if (!(opt->smoothing > 0.0) || !isfinite(opt->smoothing))
        bad = "the linf smoothing temperature must be a finite number > 0";
    else if (!(opt->init_scale >= 0.0) || !isfinite(opt->init_scale))
        bad = "the initialization scale must be a finite number >= 0";
    else if (opt->epochs < 0 || opt->batch < 0 || opt->step_size < 0 ||
             opt->warmup < 0 || opt->hold < 0 || opt->fisher_top < 0)
        bad = "epoch, batch and mask counts must be >= 0";
    else if (opt->restarts < 1)
        bad = "at least one restart is needed";
    else if (opt->init == XT_INIT_NETWORK && !opt->init_network)
        bad = "initialization from a file needs a network";
    if (bad) {
        xt_error_set(err, "%s", bad);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_sgd_check_options(const xt_instance_t inst, const xt_sgd_options *opt,
                         xt_error_t *err)
{
    if (inst->activation != XT_ACT_RELU &&
        inst->activation != XT_ACT_LINEAR) {
        xt_error_set(err, "SGD cannot train %s networks: their gradient "
                     "is zero almost everywhere (use relu or linear)",
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (inst->loss != XT_LOSS_L2 && inst->loss != XT_LOSS_L1 &&
        inst->loss != XT_LOSS_LINF) {
        xt_error_set(err, "SGD cannot minimize the %s loss (use l2, l1 or "
                     "linf)", xt_loss_name(inst->loss));
        return XT_ERR_INPUT;
    }
    if (inst->n < 1) {
        xt_error_set(err, "the instance has no data points");
        return XT_ERR_INPUT;
    }
    if (hidden_count(inst, opt) < 1) {
        xt_error_set(err, "the number of hidden neurons is not set (give "
                     "--hidden K or set hidden in the instance)");
        return XT_ERR_INPUT;
    }
    return check_numbers(opt, err);
}

/* Everything one restart allocates. */
typedef struct {
    xt_sgd_workspace_t ws;
    xt_sgd_state state;
    unsigned char *mask;
    double *grad;
    long *order;
    long batch;
} trainer;

static void trainer_clear(trainer *t)
{
    xt_sgd_workspace_clear(t->ws);
    xt_sgd_state_clear(&t->state);
    free(t->mask);
    free(t->grad);
    free(t->order);
}

/* The trainable parameters: the mask file, minus the output weights of a
 * convex instance, then the Fisher selection. */
static int build_mask(trainer *t, const xt_sgd_network_t net,
                      const xt_instance_t inst, const xt_sgd_data_t data,
                      const xt_sgd_options *opt, xt_error_t *err)
{
    if (opt->mask)
        memcpy(t->mask, opt->mask, net->count);
    else
        memset(t->mask, 1, net->count);
    size_t mk = (size_t)net->m * (size_t)net->k;
    if (inst->convex)
        memset(t->mask + (net->a - net->param), 0, mk);
    if (opt->fisher_top > 0)
        return xt_sgd_mask_fisher(t->mask, net, data, inst->loss,
                                  opt->smoothing, opt->fisher_top, err);
    return XT_OK;
}

static int trainer_init(trainer *t, const xt_sgd_network_t net,
                        const xt_instance_t inst, const xt_sgd_data_t data,
                        const xt_sgd_options *opt, xt_error_t *err)
{
    memset(t, 0, sizeof *t);
    xt_sgd_workspace_init(t->ws);
    t->batch = opt->batch > 0 && opt->batch < data->n ? opt->batch
                                                      : data->n;
    t->mask = malloc(net->count);
    t->grad = calloc(net->count, sizeof *t->grad);
    t->order = malloc((size_t)data->n * sizeof *t->order);
    int rc = xt_sgd_state_init(&t->state, opt->optimizer, net->count, err);
    if (rc == XT_OK && (!t->mask || !t->grad || !t->order)) {
        xt_error_set(err, "out of memory for training");
        rc = XT_ERR_NOMEM;
    }
    if (rc == XT_OK)
        rc = xt_sgd_workspace_resize(t->ws, net->k, net->m, t->batch, err);
    if (rc == XT_OK)
        rc = build_mask(t, net, inst, data, opt, err);
    for (long i = 0; rc == XT_OK && i < data->n; i++)
        t->order[i] = i;
    return rc;
}

/* Fisher-Yates shuffle of the point order. */
static void shuffle(long *order, long n, xt_rng_t *rng)
{
    for (long i = n - 1; i > 0; i--) {
        long j = (long)xt_rng_below(rng, (uint64_t)i + 1);
        long tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
    }
}

/* Runs one epoch.  Full-batch epochs use the points in order and draw no
 * random numbers, and minibatch epochs reshuffle first. */
static void run_epoch(trainer *t, xt_sgd_network_t net,
                      const xt_sgd_data_t data, const xt_sgd_options *opt,
                      xt_loss loss, double lr, xt_rng_t *rng)
{
    if (t->batch < data->n)
        shuffle(t->order, data->n, rng);
    for (long start = 0; start < data->n; start += t->batch) {
        long count = data->n - start < t->batch ? data->n - start
                                                : t->batch;
        const long *batch = t->batch < data->n ? t->order + start : NULL;
        xt_sgd_objective(t->grad, net, data, batch, count, loss,
                         opt->smoothing, t->ws);
        xt_sgd_state_step(&t->state, net->param, t->grad, t->mask, lr,
                          opt);
    }
}

static int all_finite(const double *v, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

int xt_sgd_train(xt_sgd_network_t net, xt_sgd_run_info *info,
                 const xt_instance_t inst, const xt_sgd_data_t data,
                 const xt_sgd_options *opt, long restart, uint64_t seed,
                 xt_error_t *err)
{
    double start = xt_seconds();
    memset(info, 0, sizeof *info);
    int rc = xt_sgd_check_options(inst, opt, err);
    if (rc == XT_OK && (data->n != inst->n || data->d != inst->d ||
                        data->m != inst->m)) {
        xt_error_set(err, "the training data (%ld points, %d inputs) do "
                     "not match the instance (%ld points, %d inputs)",
                     data->n, data->d, inst->n, inst->d);
        rc = XT_ERR_INPUT;
    }
    xt_rng_t rng;
    xt_rng_seed(&rng, seed);
    if (rc == XT_OK)
        rc = xt_sgd_initialize(net, inst, opt, &rng, err);
    if (rc != XT_OK)
        return rc;

    trainer t;
    rc = trainer_init(&t, net, inst, data, opt, err);
    if (rc == XT_OK && opt->on_epoch)
        opt->on_epoch(opt->ctx, restart, 0,
                      xt_sgd_data_loss(net, data, inst->loss, t.ws));
    for (long e = 0; rc == XT_OK && e < opt->epochs; e++) {
        if (xt_interrupted()) {
            info->interrupted = 1;
            break;
        }
        run_epoch(&t, net, data, opt, inst->loss,
                  xt_sgd_learning_rate(opt, e), &rng);
        info->epochs = e + 1;
        if (!all_finite(net->param, net->count)) {
            info->diverged = 1;
            break;
        }
        if (opt->on_epoch)
            opt->on_epoch(opt->ctx, restart, e + 1,
                          xt_sgd_data_loss(net, data, inst->loss, t.ws));
    }
    if (rc == XT_OK) {
        info->loss = xt_sgd_data_loss(net, data, inst->loss, t.ws);
        if (!isfinite(info->loss))
            info->diverged = 1;
    }
    trainer_clear(&t);
    info->seconds = xt_seconds() - start;
    return rc;
}

void xt_sgd_report_init(xt_sgd_report_t rep)
{
    memset(rep, 0, sizeof *rep);
    rep->best = -1;
    xt_sgd_network_init(rep->best_network);
    mpq_inits(rep->min, rep->median, rep->max, NULL);
}

void xt_sgd_report_clear(xt_sgd_report_t rep)
{
    free(rep->info);
    xt_rat_array_free(rep->loss, rep->loss ? (size_t)rep->capacity : 0);
    xt_sgd_network_clear(rep->best_network);
    mpq_clears(rep->min, rep->median, rep->max, NULL);
    memset(rep, 0, sizeof *rep);
}

static int compare_rationals(const void *pa, const void *pb)
{
    mpq_srcptr a = *(mpq_srcptr const *)pa, b = *(mpq_srcptr const *)pb;
    return mpq_cmp(a, b);
}

/* Sets min, median and max over the finite restarts. */
static int summarize(xt_sgd_report_t rep, xt_error_t *err)
{
    if (rep->finite == 0)
        return XT_OK;
    mpq_srcptr *sorted = malloc((size_t)rep->finite * sizeof *sorted);
    if (!sorted) {
        xt_error_set(err, "out of memory sorting the losses");
        return XT_ERR_NOMEM;
    }
    long count = 0;
    for (long r = 0; r < rep->restarts; r++)
        if (!rep->info[r].diverged)
            sorted[count++] = rep->loss[r];
    qsort(sorted, (size_t)count, sizeof *sorted, compare_rationals);
    mpq_set(rep->min, sorted[0]);
    mpq_set(rep->max, sorted[count - 1]);
    mpq_add(rep->median, sorted[(count - 1) / 2], sorted[count / 2]);
    mpq_div_2exp(rep->median, rep->median, 1);
    free(sorted);
    return XT_OK;
}

/* Re-evaluates restart r exactly and keeps it when it is the best. */
static int record_restart(xt_sgd_report_t rep, long r,
                          const xt_sgd_network_t net,
                          const xt_instance_t inst, xt_error_t *err)
{
    if (rep->info[r].diverged)
        return XT_OK;
    int rc = xt_sgd_exact_loss(rep->loss[r], net, inst, inst->loss, err);
    if (rc != XT_OK)
        return rc;
    rep->finite++;
    if (rep->best >= 0 && mpq_cmp(rep->loss[r], rep->loss[rep->best]) >= 0)
        return XT_OK;
    rep->best = r;
    return xt_sgd_network_set(rep->best_network, net);
}

int xt_sgd_run(xt_sgd_report_t rep, const xt_instance_t inst,
               const xt_sgd_options *opt, xt_error_t *err)
{
    double start = xt_seconds();
    int rc = xt_sgd_check_options(inst, opt, err);
    if (rc != XT_OK)
        return rc;
    xt_sgd_report_clear(rep);
    xt_sgd_report_init(rep);
    rep->capacity = opt->restarts;
    rep->info = calloc((size_t)opt->restarts, sizeof *rep->info);
    rep->loss = xt_rat_array_new((size_t)opt->restarts);
    if (!rep->info || !rep->loss) {
        xt_error_set(err, "out of memory for %ld restarts", opt->restarts);
        return XT_ERR_NOMEM;
    }

    xt_sgd_data_t data;
    xt_sgd_network_t net;
    xt_sgd_data_init(data);
    xt_sgd_network_init(net);
    rc = xt_sgd_data_set_instance(data, inst, err);
    for (long r = 0; rc == XT_OK && r < opt->restarts; r++) {
        if (r > 0 && xt_interrupted()) {
            rep->interrupted = 1;
            break;
        }
        if (opt->on_restart)
            opt->on_restart(opt->ctx, r);
        rc = xt_sgd_train(net, &rep->info[r], inst, data, opt, r,
                          xt_sgd_restart_seed(opt->seed, r), err);
        if (rc != XT_OK)
            break;
        rep->restarts = r + 1;
        rc = record_restart(rep, r, net, inst, err);
        if (rep->info[r].interrupted) {
            rep->interrupted = 1;
            break;
        }
    }
    if (rc == XT_OK)
        rc = summarize(rep, err);
    xt_sgd_network_clear(net);
    xt_sgd_data_clear(data);
    rep->seconds = xt_seconds() - start;
    return rc;
}
