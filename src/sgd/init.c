/* Initial weights and the fixed sparse masks.
 *
 * He initialization: He, Zhang, Ren and Sun, "Delving deep into
 * rectifiers", ICCV 2015: hidden weights with variance 2/d and zero
 * biases.  The output layer is linear, so its weights get variance 1/k
 * (gain 1).  The Fisher mask ranks parameters by the diagonal of the
 * empirical Fisher information, the mean over points of the squared
 * per-point gradient, at the initial weights. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sgd_impl.h"

/* Fills count values with scale * N(0, 1) or scale * U(-1, 1). */
static void fill_random(double *out, size_t count, double scale,
                        int uniform, xt_rng_t *rng)
{
    for (size_t i = 0; i < count; i++) {
        double z = uniform ? 2.0 * xt_rng_uniform(rng) - 1.0
                           : xt_rng_normal(rng);
        out[i] = scale * z;
    }
}

/* Copies the file network after checking that it has inst's shape. */
static int copy_initial(xt_sgd_network_t net, const xt_instance_t inst,
                        const xt_sgd_network_struct *init, xt_error_t *err)
{
    if (init->d != net->d || init->k != net->k || init->m != net->m ||
        init->has_output_bias != net->has_output_bias) {
        xt_error_set(err, "the initial network has %d inputs, %d neurons, "
                     "%d outputs and %s output bias, but training needs "
                     "%d, %d, %d and %s", init->d, init->k, init->m,
                     init->has_output_bias ? "an" : "no", net->d, net->k,
                     net->m, net->has_output_bias ? "an" : "no");
        return XT_ERR_INPUT;
    }
    if (init->activation != net->activation) {
        xt_error_set(err, "the initial network is %s, the instance %s",
                     xt_activation_name(init->activation),
                     xt_activation_name(net->activation));
        return XT_ERR_INPUT;
    }
    size_t mk = (size_t)net->m * (size_t)net->k;
    for (size_t i = 0; inst->convex && i < mk; i++)
        if (init->a[i] != 1.0) {
            xt_error_set(err, "the instance is convex but output weight "
                         "%zu of the initial network is %g, not 1", i + 1,
                         init->a[i]);
            return XT_ERR_INPUT;
        }
    memcpy(net->param, init->param, net->count * sizeof *net->param);
    return XT_OK;
}

int xt_sgd_initialize(xt_sgd_network_t net, const xt_instance_t inst,
                      const xt_sgd_options *opt, xt_rng_t *rng,
                      xt_error_t *err)
{
    int k = opt->hidden ? opt->hidden : inst->hidden;
    if (!k && opt->init == XT_INIT_NETWORK && opt->init_network)
        k = opt->init_network->k;
    int rc = xt_sgd_network_resize(net, inst->d, k, inst->m,
                                   inst->output_bias, err);
    if (rc != XT_OK)
        return rc;
    net->activation = inst->activation;

    size_t kd = (size_t)k * (size_t)inst->d;
    size_t mk = (size_t)inst->m * (size_t)k;
    int uniform = opt->init == XT_INIT_HE_UNIFORM;
    switch (opt->init) {
    case XT_INIT_HE_NORMAL:
    case XT_INIT_HE_UNIFORM:
        /* U(-s, s) has variance s^2 / 3, hence the factor sqrt(3). */
        fill_random(net->w, kd, sqrt((uniform ? 6.0 : 2.0) / inst->d),
                    uniform, rng);
        fill_random(net->a, mk, sqrt((uniform ? 3.0 : 1.0) / k), uniform,
                    rng);
        break;
    case XT_INIT_SMALL:
        fill_random(net->param, net->count, opt->init_scale, 0, rng);
        break;
    case XT_INIT_NETWORK:
        if (!opt->init_network) {
            xt_error_set(err, "no initial network given");
            return XT_ERR_INPUT;
        }
        return copy_initial(net, inst, opt->init_network, err);
    }
    for (size_t i = 0; inst->convex && i < mk; i++)
        net->a[i] = 1.0;
    return XT_OK;
}

typedef struct {
    double score;
    size_t index;
} ranked;

/* Larger score first, then the lower index. */
static int compare_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Adds the empirical Fisher score of every parameter to fisher. */
static int fisher_scores(double *fisher, const xt_sgd_network_t net,
                         const xt_sgd_data_t data, xt_loss loss,
                         double smoothing, xt_error_t *err)
{
    xt_sgd_workspace_t ws;
    xt_sgd_workspace_init(ws);
    double *grad = calloc(net->count, sizeof *grad);
    int rc = grad ? xt_sgd_workspace_resize(ws, net->k, net->m, 1, err)
                  : XT_ERR_NOMEM;
    if (!grad)
        xt_error_set(err, "out of memory for the Fisher scores");
    for (long i = 0; rc == XT_OK && i < data->n; i++) {
        xt_sgd_objective(grad, net, data, &i, 1, loss, smoothing, ws);
        for (size_t p = 0; p < net->count; p++)
            fisher[p] += grad[p] * grad[p] / (double)data->n;
    }
    free(grad);
    xt_sgd_workspace_clear(ws);
    return rc;
}

int xt_sgd_mask_fisher(unsigned char *mask, const xt_sgd_network_t net,
                       const xt_sgd_data_t data, xt_loss loss,
                       double smoothing, long q, xt_error_t *err)
{
    double *fisher = calloc(net->count, sizeof *fisher);
    ranked *order = calloc(net->count, sizeof *order);
    int rc = fisher && order ? XT_OK : XT_ERR_NOMEM;
    if (rc != XT_OK)
        xt_error_set(err, "out of memory for the Fisher scores");
    else
        rc = fisher_scores(fisher, net, data, loss, smoothing, err);

    size_t candidates = 0;
    for (size_t p = 0; rc == XT_OK && p < net->count; p++)
        if (mask[p]) {
            /* NaN would break the ordering, so rank it last. */
            double f = isnan(fisher[p]) ? -INFINITY : fisher[p];
            order[candidates++] = (ranked){f, p};
        }
    if (rc == XT_OK && candidates > (size_t)q) {
        qsort(order, candidates, sizeof *order, compare_ranked);
        for (size_t i = (size_t)q; i < candidates; i++)
            mask[order[i].index] = 0;
    }
    free(fisher);
    free(order);
    return rc;
}
