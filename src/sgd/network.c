/* Double-precision networks: storage, exact conversion and the exact
 * loss of double weights. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <mpfr.h>
#include "sgd_impl.h"

void xt_sgd_network_init(xt_sgd_network_t net)
{
    memset(net, 0, sizeof *net);
    net->activation = XT_ACT_RELU;
}

void xt_sgd_network_clear(xt_sgd_network_t net)
{
    free(net->param);
    xt_sgd_network_init(net);
}

/* Points w, b, a and c into the parameter buffer. */
static void set_views(xt_sgd_network_t net)
{
    size_t kd = (size_t)net->k * (size_t)net->d;
    size_t mk = (size_t)net->m * (size_t)net->k;
    net->w = net->param;
    net->b = net->w + kd;
    net->a = net->b + net->k;
    net->c = net->has_output_bias ? net->a + mk : NULL;
}

int xt_sgd_network_resize(xt_sgd_network_t net, int d, int k, int m,
                          int has_output_bias, xt_error_t *err)
{
    if (d < 1 || d > XT_MAX_DIM || k < 1 || k > XT_MAX_HIDDEN || m < 1 ||
        m > XT_MAX_OUTPUTS) {
        xt_error_set(err, "network size out of range: %d inputs, %d "
                     "neurons, %d outputs", d, k, m);
        return XT_ERR_INPUT;
    }
    size_t count = (size_t)k * (size_t)d + (size_t)k + (size_t)m * k +
                   (has_output_bias ? (size_t)m : 0);
    double *param = calloc(count, sizeof *param);
    if (!param) {
        xt_error_set(err, "out of memory for %zu weights", count);
        return XT_ERR_NOMEM;
    }
    free(net->param);
    net->param = param;
    net->count = count;
    net->d = d;
    net->k = k;
    net->m = m;
    net->has_output_bias = has_output_bias ? 1 : 0;
    set_views(net);
    return XT_OK;
}

int xt_sgd_network_set(xt_sgd_network_t dst, const xt_sgd_network_t src)
{
    if (dst == src)
        return XT_OK;
    int rc = xt_sgd_network_resize(dst, src->d, src->k, src->m,
                                   src->has_output_bias, NULL);
    if (rc != XT_OK)
        return rc;
    dst->activation = src->activation;
    memcpy(dst->param, src->param, src->count * sizeof *src->param);
    return XT_OK;
}

int xt_sgd_network_to_exact(xt_network_t out, const xt_sgd_network_t net,
                            xt_error_t *err)
{
    for (size_t i = 0; i < net->count; i++)
        if (!isfinite(net->param[i])) {
            xt_error_set(err, "weight %zu is not finite (%g): the network "
                         "has no exact value", i + 1, net->param[i]);
            return XT_ERR_INPUT;
        }
    int rc = xt_network_resize(out, net->d, net->k, net->m, err);
    if (rc != XT_OK)
        return rc;
    out->activation = net->activation;
    out->threshold_output = 0;
    out->has_output_bias = net->has_output_bias;

    /* A finite double is a dyadic rational, so mpq_set_d is exact. */
    size_t kd = (size_t)net->k * (size_t)net->d;
    size_t mk = (size_t)net->m * (size_t)net->k;
    for (size_t i = 0; i < kd; i++)
        mpq_set_d(out->w[i], net->w[i]);
    for (int j = 0; j < net->k; j++)
        mpq_set_d(out->b[j], net->b[j]);
    for (size_t i = 0; i < mk; i++)
        mpq_set_d(out->a[i], net->a[i]);
    for (int o = 0; o < net->m; o++)
        mpq_set_d(out->c[o], net->c ? net->c[o] : 0.0);
    return XT_OK;
}

int xt_sgd_round_rational(double *out, const mpq_t q)
{
    /* NOTE: values below 2^-1022 are rounded twice (to 53 bits, then to
     * the subnormal grid) and may differ from correct rounding by one
     * unit in the last place. */
    mpfr_t t;
    mpfr_init2(t, 53);
    mpfr_set_q(t, q, MPFR_RNDN);
    *out = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    return isfinite(*out) ? 0 : -1;
}

/* Rounds count rationals; names the first that overflows. */
static int round_array(double *out, const mpq_t *in, size_t count,
                       const char *what, xt_error_t *err)
{
    for (size_t i = 0; i < count; i++)
        if (xt_sgd_round_rational(&out[i], in[i])) {
            xt_error_set(err, "%s %zu is too large for a double", what,
                         i + 1);
            return XT_ERR_INPUT;
        }
    return XT_OK;
}

int xt_sgd_network_from_exact(xt_sgd_network_t out, const xt_network_t net,
                              xt_error_t *err)
{
    if (net->threshold_output || (net->activation != XT_ACT_RELU &&
                                  net->activation != XT_ACT_LINEAR)) {
        xt_error_set(err, "only ReLU and linear networks can be trained "
                     "numerically, not %s", net->threshold_output
                         ? "threshold outputs"
                         : xt_activation_name(net->activation));
        return XT_ERR_INPUT;
    }
    int rc = xt_sgd_network_resize(out, net->d, net->k, net->m,
                                   net->has_output_bias, err);
    if (rc != XT_OK)
        return rc;
    out->activation = net->activation;
    size_t kd = (size_t)net->k * (size_t)net->d;
    size_t mk = (size_t)net->m * (size_t)net->k;
    rc = round_array(out->w, (const mpq_t *)net->w, kd, "hidden weight",
                     err);
    if (rc == XT_OK)
        rc = round_array(out->b, (const mpq_t *)net->b, (size_t)net->k,
                         "hidden bias", err);
    if (rc == XT_OK)
        rc = round_array(out->a, (const mpq_t *)net->a, mk,
                         "output weight", err);
    if (rc == XT_OK && out->c)
        rc = round_array(out->c, (const mpq_t *)net->c, (size_t)net->m,
                         "output bias", err);
    return rc;
}

int xt_sgd_exact_loss(mpq_t loss, const xt_sgd_network_t net,
                      const xt_instance_t inst, xt_loss kind,
                      xt_error_t *err)
{
    xt_network_t exact;
    xt_network_init(exact);
    int rc = xt_sgd_network_to_exact(exact, net, err);
    if (rc == XT_OK)
        rc = xt_network_loss(loss, NULL, exact, inst, kind, err);
    xt_network_clear(exact);
    return rc;
}
