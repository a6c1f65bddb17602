/* Options, learning-rate schedules and the update rules.
 *
 * Momentum and Nesterov use the formulation of PyTorch 1.13's
 * torch.optim.SGD: v = mu v + g without dampening, and Nesterov steps
 * along g + mu v.  PyTorch's documentation notes that this differs
 * slightly from Sutskever, Martens, Dahl and Hinton (ICML 2013), who put
 * the learning rate inside the velocity.  Adam is Kingma and Ba, "Adam: a
 * method for stochastic optimization", ICLR 2015, with the bias-corrected
 * moments of their Algorithm 1. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sgd_impl.h"

void xt_sgd_options_init(xt_sgd_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->optimizer = XT_SGD_PLAIN;
    opt->lr = 0.01;
    opt->momentum = 0.9;
    opt->beta1 = 0.9;
    opt->beta2 = 0.999;
    opt->adam_eps = 1e-8;
    opt->schedule = XT_SCHEDULE_CONSTANT;
    opt->decay = 0.1;
    opt->epochs = 1000;
    opt->restarts = 10;
    opt->seed = 1;
    opt->init = XT_INIT_HE_NORMAL;
    opt->init_scale = 1e-3;
    opt->smoothing = 0.01;
}

static const char *const optimizer_names[] = {"sgd", "momentum", "nesterov",
                                              "adam"};
static const char *const schedule_names[] = {"constant", "step", "cosine",
                                             "warmup", "anneal"};
static const char *const init_names[] = {"he-normal", "he-uniform", "small",
                                         "file"};

/* Returns the index of name in names, or -1. */
static int find_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

const char *xt_sgd_optimizer_name(xt_sgd_optimizer optimizer)
{
    return optimizer_names[optimizer];
}

const char *xt_sgd_schedule_name(xt_sgd_schedule schedule)
{
    return schedule_names[schedule];
}

const char *xt_sgd_init_name(xt_sgd_init init)
{
    return init_names[init];
}

int xt_sgd_optimizer_parse(xt_sgd_optimizer *out, const char *name)
{
    int i = find_name(optimizer_names, 4, name);
    if (i < 0)
        return -1;
    *out = (xt_sgd_optimizer)i;
    return 0;
}

int xt_sgd_schedule_parse(xt_sgd_schedule *out, const char *name)
{
    int i = find_name(schedule_names, 5, name);
    if (i < 0)
        return -1;
    *out = (xt_sgd_schedule)i;
    return 0;
}

int xt_sgd_init_parse(xt_sgd_init *out, const char *name)
{
    /* XT_INIT_NETWORK is chosen by giving a file, so "file" is not
     * accepted as a name. */
    int i = find_name(init_names, 3, name);
    if (i < 0)
        return -1;
    *out = (xt_sgd_init)i;
    return 0;
}

static const double pi = 3.14159265358979323846;

/* Returns value, or fallback (at least 1) when value is 0. */
static long epochs_or(long value, long fallback)
{
    if (value > 0)
        return value;
    return fallback > 0 ? fallback : 1;
}

double xt_sgd_learning_rate(const xt_sgd_options *opt, long e)
{
    double lr = opt->lr;
    long total = opt->epochs > 0 ? opt->epochs : 1;
    long period;
    switch (opt->schedule) {
    case XT_SCHEDULE_STEP:
        period = epochs_or(opt->step_size, total / 3);
        return lr * pow(opt->decay, (double)(e / period));
    case XT_SCHEDULE_COSINE:
        return opt->min_lr + (lr - opt->min_lr) *
               (1.0 + cos(pi * (double)e / (double)total)) / 2.0;
    case XT_SCHEDULE_WARMUP:
        period = epochs_or(opt->warmup, total / 10);
        return e < period ? lr * (double)(e + 1) / (double)period : lr;
    case XT_SCHEDULE_ANNEAL:
        period = opt->hold > 0 ? opt->hold : total / 2;
        return e < period ? lr : lr * opt->decay;
    default:
        return lr;
    }
}

int xt_sgd_state_init(xt_sgd_state *st, xt_sgd_optimizer kind,
                      size_t count, xt_error_t *err)
{
    memset(st, 0, sizeof *st);
    st->kind = kind;
    st->count = count;
    st->beta1_power = 1.0;
    st->beta2_power = 1.0;
    if (kind == XT_SGD_PLAIN)
        return XT_OK;
    st->velocity = calloc(count, sizeof *st->velocity);
    if (kind == XT_SGD_ADAM)
        st->second = calloc(count, sizeof *st->second);
    if (!st->velocity || (kind == XT_SGD_ADAM && !st->second)) {
        xt_sgd_state_clear(st);
        xt_error_set(err, "out of memory for the optimizer state");
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_sgd_state_clear(xt_sgd_state *st)
{
    free(st->velocity);
    free(st->second);
    st->velocity = st->second = NULL;
}

static void step_adam(xt_sgd_state *st, double *param, const double *grad,
                      const unsigned char *mask, double lr,
                      const xt_sgd_options *opt)
{
    double b1 = opt->beta1, b2 = opt->beta2;
    st->beta1_power *= b1;
    st->beta2_power *= b2;
    double step = lr / (1.0 - st->beta1_power);
    double root2 = sqrt(1.0 - st->beta2_power);
    for (size_t p = 0; p < st->count; p++) {
        if (mask && !mask[p])
            continue;
        double g = grad[p];
        st->velocity[p] = b1 * st->velocity[p] + (1.0 - b1) * g;
        st->second[p] = b2 * st->second[p] + (1.0 - b2) * g * g;
        double denom = sqrt(st->second[p]) / root2 + opt->adam_eps;
        param[p] -= step * st->velocity[p] / denom;
    }
}

void xt_sgd_state_step(xt_sgd_state *st, double *param, const double *grad,
                       const unsigned char *mask, double lr,
                       const xt_sgd_options *opt)
{
    double mu = opt->momentum;
    if (st->kind == XT_SGD_ADAM) {
        step_adam(st, param, grad, mask, lr, opt);
        return;
    }
    for (size_t p = 0; p < st->count; p++) {
        if (mask && !mask[p])
            continue;
        double g = grad[p];
        if (st->kind == XT_SGD_PLAIN) {
            param[p] -= lr * g;
            continue;
        }
        st->velocity[p] = mu * st->velocity[p] + g;
        if (st->kind == XT_SGD_NESTEROV)
            param[p] -= lr * (g + mu * st->velocity[p]);
        else
            param[p] -= lr * st->velocity[p];
    }
}
