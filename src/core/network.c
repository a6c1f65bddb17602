/* Two-layer networks: storage, exact evaluation, exact losses and the
 * check that a network fits an instance's settings.  Readers and writers
 * are in network_io.c. */
#include <stdlib.h>
#include <string.h>
#include "xtrain/network.h"
#include "xtrain/rat.h"

void xt_network_init(xt_network_t net)
{
    memset(net, 0, sizeof(xt_network_struct));
    net->activation = XT_ACT_RELU;
}

static void free_weights(xt_network_t net)
{
    xt_rat_array_free(net->w, (size_t)net->k * (size_t)net->d);
    xt_rat_array_free(net->b, (size_t)net->k);
    xt_rat_array_free(net->a, (size_t)net->m * (size_t)net->k);
    xt_rat_array_free(net->c, (size_t)net->m);
    net->w = net->b = net->a = net->c = NULL;
}

void xt_network_clear(xt_network_t net)
{
    free_weights(net);
    net->d = net->k = net->m = 0;
}

int xt_network_resize(xt_network_t net, int d, int k, int m,
                      xt_error_t *err)
{
    mpq_t *w, *b, *a, *c;

    if (d < 1 || d > XT_MAX_DIM || k < 0 || k > XT_MAX_HIDDEN || m < 1 ||
        m > XT_MAX_OUTPUTS) {
        xt_error_set(err, "network size out of range: %d inputs, %d "
                     "hidden neurons, %d outputs", d, k, m);
        return XT_ERR_INPUT;
    }
    w = xt_rat_array_new((size_t)k * (size_t)d);
    b = xt_rat_array_new((size_t)k);
    a = xt_rat_array_new((size_t)m * (size_t)k);
    c = xt_rat_array_new((size_t)m);
    if ((k > 0 && (!w || !b || !a)) || !c) {
        xt_rat_array_free(w, (size_t)k * (size_t)d);
        xt_rat_array_free(b, (size_t)k);
        xt_rat_array_free(a, (size_t)m * (size_t)k);
        xt_rat_array_free(c, (size_t)m);
        xt_error_set(err, "out of memory for a network with %d hidden "
                     "neurons", k);
        return XT_ERR_NOMEM;
    }
    free_weights(net);
    net->w = w;
    net->b = b;
    net->a = a;
    net->c = c;
    net->d = d;
    net->k = k;
    net->m = m;
    return XT_OK;
}

static void copy_array(mpq_t *dst, mpq_t *const src, size_t count)
{
    for (size_t i = 0; i < count; i++)
        mpq_set(dst[i], src[i]);
}

int xt_network_set(xt_network_t dst, const xt_network_t src)
{
    int status;

    if (dst == src)
        return XT_OK;
    status = xt_network_resize(dst, src->d, src->k, src->m, NULL);
    if (status != XT_OK)
        return status;
    dst->activation = src->activation;
    dst->threshold_output = src->threshold_output;
    dst->has_output_bias = src->has_output_bias;
    copy_array(dst->w, src->w, (size_t)src->k * (size_t)src->d);
    copy_array(dst->b, src->b, (size_t)src->k);
    copy_array(dst->a, src->a, (size_t)src->m * (size_t)src->k);
    copy_array(dst->c, src->c, (size_t)src->m);
    return XT_OK;
}

/* Applies the hidden activation to t in place. */
static void activate(mpq_t t, xt_activation activation)
{
    if (activation == XT_ACT_RELU) {
        if (mpq_sgn(t) < 0)
            mpq_set_ui(t, 0, 1);
    } else if (activation == XT_ACT_THRESHOLD) {
        mpq_set_ui(t, mpq_sgn(t) > 0 ? 1 : 0, 1);
    }
}

void xt_network_eval(mpq_t *out, const xt_network_t net, const mpq_t *x)
{
    mpq_t h, product;

    mpq_init(h);
    mpq_init(product);
    for (int o = 0; o < net->m; o++) {
        if (net->has_output_bias)
            mpq_set(out[o], net->c[o]);
        else
            mpq_set_ui(out[o], 0, 1);
    }
    for (int j = 0; j < net->k; j++) {
        /* h = sigma(w_j . x + b_j) */
        mpq_set(h, net->b[j]);
        for (int t = 0; t < net->d; t++) {
            mpq_mul(product, net->w[j * net->d + t], x[t]);
            mpq_add(h, h, product);
        }
        activate(h, net->activation);
        if (mpq_sgn(h) == 0)
            continue;
        for (int o = 0; o < net->m; o++) {
            mpq_mul(product, net->a[o * net->k + j], h);
            mpq_add(out[o], out[o], product);
        }
    }
    if (net->threshold_output)
        for (int o = 0; o < net->m; o++)
            mpq_set_ui(out[o], mpq_sgn(out[o]) > 0 ? 1 : 0, 1);
    mpq_clear(h);
    mpq_clear(product);
}

static int check_shape(const xt_network_t net, const xt_instance_t inst,
                       xt_error_t *err)
{
    if (net->d != inst->d) {
        xt_error_set(err, "the network has %d inputs but the instance has "
                     "%d", net->d, inst->d);
        return XT_ERR_INPUT;
    }
    if (net->m != inst->m) {
        xt_error_set(err, "the network has %d outputs but the instance has "
                     "%d", net->m, inst->m);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

/* Adds the loss contribution of the residuals r of one point (m values)
 * to loss. */
static void add_point_loss(mpq_t loss, mpq_t *r, int m, xt_loss kind,
                           mpq_t scratch)
{
    for (int o = 0; o < m; o++) {
        switch (kind) {
        case XT_LOSS_L1:
            mpq_abs(scratch, r[o]);
            mpq_add(loss, loss, scratch);
            break;
        case XT_LOSS_L2:
            mpq_mul(scratch, r[o], r[o]);
            mpq_add(loss, loss, scratch);
            break;
        case XT_LOSS_LINF:
            mpq_abs(scratch, r[o]);
            if (mpq_cmp(scratch, loss) > 0)
                mpq_set(loss, scratch);
            break;
        default:
            if (mpq_sgn(r[o]) != 0) {
                mpq_set_ui(scratch, 1, 1);
                mpq_add(loss, loss, scratch);
                return;
            }
        }
    }
}

int xt_network_loss(mpq_t loss, mpq_t *residuals, const xt_network_t net,
                    const xt_instance_t inst, xt_loss kind,
                    xt_error_t *err)
{
    mpq_t *r, scratch;

    if (check_shape(net, inst, err) != XT_OK)
        return XT_ERR_INPUT;
    if ((unsigned)kind > XT_LOSS_ZERO_ONE) {
        xt_error_set(err, "unknown loss code %d", (int)kind);
        return XT_ERR_INPUT;
    }
    r = xt_rat_array_new((size_t)net->m);
    if (!r) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    mpq_init(scratch);
    mpq_set_ui(loss, 0, 1);
    for (long i = 0; i < inst->n; i++) {
        xt_network_eval(r, net, inst->x + i * inst->d);
        for (int o = 0; o < net->m; o++) {
            mpq_sub(r[o], r[o], inst->y[i * inst->m + o]);
            if (residuals)
                mpq_set(residuals[i * inst->m + o], r[o]);
        }
        add_point_loss(loss, r, net->m, kind, scratch);
    }
    mpq_clear(scratch);
    xt_rat_array_free(r, (size_t)net->m);
    return XT_OK;
}

/* Checks the convex restriction: every output weight is exactly 1. */
static int check_convex(const xt_network_t net, const xt_instance_t inst,
                        xt_error_t *err)
{
    mpq_t one;
    int status = XT_OK;

    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int o = 0; o < net->m && status == XT_OK; o++) {
        for (int j = 0; j < net->k; j++) {
            if (mpq_equal(net->a[o * net->k + j], one) ||
                !xt_instance_output_edge(inst, o, j))
                continue;
            char *value = xt_rat_to_string(net->a[o * net->k + j]);
            xt_error_set(err, "the instance is convex, so every output "
                         "weight must be 1, but neuron %d has output "
                         "weight %s (output %d)", j + 1,
                         value ? value : "?", o + 1);
            free(value);
            status = XT_ERR_INPUT;
            break;
        }
    }
    mpq_clear(one);
    return status;
}

/* Checks that net has the architecture's neurons and a zero weight on
 * every missing edge. */
static int check_architecture(const xt_network_t net,
                              const xt_instance_t inst, xt_error_t *err)
{
    if (xt_instance_check_architecture(inst, err) != XT_OK)
        return XT_ERR_INPUT;
    if (net->k != inst->hidden) {
        xt_error_set(err, "the network has %d hidden neurons but the "
                     "instance's architecture has %d", net->k,
                     inst->hidden);
        return XT_ERR_INPUT;
    }
    for (int j = 0; j < net->k; j++) {
        for (int t = 0; t < net->d; t++)
            if (!xt_instance_input_edge(inst, j, t) &&
                mpq_sgn(net->w[j * net->d + t])) {
                xt_error_set(err, "input %d does not feed neuron %d in the "
                             "instance's architecture, but its weight is "
                             "not 0", t + 1, j + 1);
                return XT_ERR_INPUT;
            }
        for (int o = 0; o < net->m; o++)
            if (!xt_instance_output_edge(inst, o, j) &&
                mpq_sgn(net->a[o * net->k + j])) {
                xt_error_set(err, "neuron %d does not feed output %d in the "
                             "instance's architecture, but its output "
                             "weight is not 0", j + 1, o + 1);
                return XT_ERR_INPUT;
            }
    }
    return XT_OK;
}

int xt_network_conforms(const xt_network_t net, const xt_instance_t inst,
                        xt_error_t *err)
{
    if (check_shape(net, inst, err) != XT_OK)
        return XT_ERR_INPUT;
    if (net->activation != inst->activation) {
        xt_error_set(err, "the network uses %s activation but the "
                     "instance uses %s",
                     xt_activation_name(net->activation),
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (net->has_output_bias && !inst->output_bias) {
        xt_error_set(err, "the network has an output bias but the "
                     "instance allows none (output-bias no)");
        return XT_ERR_INPUT;
    }
    if (inst->has_architecture &&
        check_architecture(net, inst, err) != XT_OK)
        return XT_ERR_INPUT;
    if (inst->convex)
        return check_convex(net, inst, err);
    return XT_OK;
}
