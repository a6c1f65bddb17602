/* Gradients of the SGD objective against two independent references.
 * One is central differences of the double objective.  The other is
 * central differences of a separate forward pass in 256-bit MPFR
 * arithmetic with step 2^-80, which agree with the true derivative to far
 * below double precision.
 * Every loss (l2, l1, smoothed linf), both activations (ReLU, linear),
 * one or two outputs, with and without an output bias. */
#include <math.h>
#include <mpfr.h>
#include "xt_test.h"
#include "xtrain/sgd.h"

#define PREC 256

static double uniform(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * (double)(xt_test_rand(state) >> 11) * 0x1p-53;
}

/* The objective in MPFR, written from the formulas in sgd.h without any
 * of the library's code: params p in the documented layout. */
static void reference_objective(mpfr_t out, mpfr_t *p,
                                const xt_sgd_network_t net,
                                const xt_sgd_data_t data, const long *batch,
                                long count, xt_loss loss, double temp)
{
    int d = net->d, k = net->k, m = net->m;
    mpfr_t *w = p, *b = p + k * d, *a = b + k, *c = a + m * k;
    mpfr_t z, f, r, t, sum;
    mpfr_inits2(PREC, z, f, r, t, sum, (mpfr_ptr)0);
    mpfr_t *h = malloc((size_t)k * sizeof *h);
    for (int j = 0; j < k; j++)
        mpfr_init2(h[j], PREC);
    mpfr_set_zero(sum, 1);

    for (long q = 0; q < count; q++) {
        long i = batch[q];
        for (int j = 0; j < k; j++) {
            mpfr_set(z, b[j], MPFR_RNDN);
            for (int s = 0; s < d; s++) {
                mpfr_mul_d(t, w[j * d + s], data->x[i * d + s], MPFR_RNDN);
                mpfr_add(z, z, t, MPFR_RNDN);
            }
            if (net->activation == XT_ACT_RELU && mpfr_sgn(z) < 0)
                mpfr_set_zero(z, 1);
            mpfr_set(h[j], z, MPFR_RNDN);
        }
        for (int o = 0; o < m; o++) {
            if (net->has_output_bias)
                mpfr_set(f, c[o], MPFR_RNDN);
            else
                mpfr_set_zero(f, 1);
            for (int j = 0; j < k; j++) {
                mpfr_mul(t, a[o * k + j], h[j], MPFR_RNDN);
                mpfr_add(f, f, t, MPFR_RNDN);
            }
            mpfr_sub_d(r, f, data->y[i * m + o], MPFR_RNDN);
            if (loss == XT_LOSS_L2) {
                mpfr_sqr(t, r, MPFR_RNDN);
                mpfr_add(sum, sum, t, MPFR_RNDN);
            } else if (loss == XT_LOSS_L1) {
                mpfr_abs(t, r, MPFR_RNDN);
                mpfr_add(sum, sum, t, MPFR_RNDN);
            } else {
                mpfr_div_d(t, r, temp, MPFR_RNDN);
                mpfr_exp(t, t, MPFR_RNDN);
                mpfr_add(sum, sum, t, MPFR_RNDN);
                mpfr_div_d(t, r, -temp, MPFR_RNDN);
                mpfr_exp(t, t, MPFR_RNDN);
                mpfr_add(sum, sum, t, MPFR_RNDN);
            }
        }
    }
    if (loss == XT_LOSS_LINF) {
        mpfr_log(sum, sum, MPFR_RNDN);
        mpfr_mul_d(out, sum, temp, MPFR_RNDN);
    } else {
        mpfr_div_si(out, sum, count, MPFR_RNDN);
    }
    for (int j = 0; j < k; j++)
        mpfr_clear(h[j]);
    free(h);
    mpfr_clears(z, f, r, t, sum, (mpfr_ptr)0);
}

/* Derivative of the MPFR objective with respect to parameter q. */
static double reference_derivative(const xt_sgd_network_t net,
                                   const xt_sgd_data_t data,
                                   const long *batch, long count,
                                   xt_loss loss, double temp, size_t q)
{
    mpfr_t *p = malloc(net->count * sizeof *p);
    mpfr_t hi, lo, step;
    mpfr_inits2(PREC, hi, lo, step, (mpfr_ptr)0);
    for (size_t i = 0; i < net->count; i++) {
        mpfr_init2(p[i], PREC);
        mpfr_set_d(p[i], net->param[i], MPFR_RNDN);
    }
    mpfr_set_ui_2exp(step, 1, -80, MPFR_RNDN);

    mpfr_add(p[q], p[q], step, MPFR_RNDN);
    reference_objective(hi, p, net, data, batch, count, loss, temp);
    mpfr_sub(p[q], p[q], step, MPFR_RNDN);
    mpfr_sub(p[q], p[q], step, MPFR_RNDN);
    reference_objective(lo, p, net, data, batch, count, loss, temp);
    mpfr_sub(hi, hi, lo, MPFR_RNDN);
    mpfr_div(hi, hi, step, MPFR_RNDN);
    mpfr_div_2ui(hi, hi, 1, MPFR_RNDN);
    double result = mpfr_get_d(hi, MPFR_RNDN);

    for (size_t i = 0; i < net->count; i++)
        mpfr_clear(p[i]);
    free(p);
    mpfr_clears(hi, lo, step, (mpfr_ptr)0);
    return result;
}

static double reference_value(const xt_sgd_network_t net,
                              const xt_sgd_data_t data, const long *batch,
                              long count, xt_loss loss, double temp)
{
    mpfr_t *p = malloc(net->count * sizeof *p);
    mpfr_t v;
    mpfr_init2(v, PREC);
    for (size_t i = 0; i < net->count; i++) {
        mpfr_init2(p[i], PREC);
        mpfr_set_d(p[i], net->param[i], MPFR_RNDN);
    }
    reference_objective(v, p, net, data, batch, count, loss, temp);
    double result = mpfr_get_d(v, MPFR_RNDN);
    for (size_t i = 0; i < net->count; i++)
        mpfr_clear(p[i]);
    free(p);
    mpfr_clear(v);
    return result;
}

/* Smallest |pre-activation| and |residual| over the batch: the distance
 * to the kinks of ReLU and |r|, where derivatives do not exist. */
static double kink_distance(const xt_sgd_network_t net,
                            const xt_sgd_data_t data, const long *batch,
                            long count)
{
    double best = INFINITY;
    int d = net->d, k = net->k;
    double h[8];
    for (long q = 0; q < count; q++) {
        long i = batch[q];
        for (int j = 0; j < k; j++) {
            double z = net->b[j];
            for (int s = 0; s < d; s++)
                z += net->w[j * d + s] * data->x[i * d + s];
            best = fmin(best, fabs(z));
            h[j] = net->activation == XT_ACT_RELU && z < 0 ? 0 : z;
        }
        for (int o = 0; o < net->m; o++) {
            double f = net->c ? net->c[o] : 0;
            for (int j = 0; j < k; j++)
                f += net->a[o * k + j] * h[j];
            best = fmin(best, fabs(f - data->y[i * net->m + o]));
        }
    }
    return best;
}

static void random_case(xt_sgd_network_t net, xt_sgd_data_t data,
                        uint64_t *state, int d, int k, int m, int bias,
                        xt_activation act, long n)
{
    xt_sgd_network_resize(net, d, k, m, bias, NULL);
    net->activation = act;
    for (size_t i = 0; i < net->count; i++)
        net->param[i] = uniform(state, -1.5, 1.5);
    xt_sgd_data_clear(data);
    data->n = n;
    data->d = d;
    data->m = m;
    data->x = malloc((size_t)(n * d) * sizeof *data->x);
    data->y = malloc((size_t)(n * m) * sizeof *data->y);
    for (long i = 0; i < n * d; i++)
        data->x[i] = uniform(state, -2, 2);
    for (long i = 0; i < n * m; i++)
        data->y[i] = uniform(state, -1, 1);
}

typedef struct {
    xt_loss loss;
    xt_activation act;
    int m, bias;
    double temp;
} grad_case;

static void check_case(const grad_case *gc, uint64_t *state, int trial)
{
    xt_sgd_network_t net;
    xt_sgd_data_t data;
    xt_sgd_workspace_t ws;
    xt_sgd_network_init(net);
    xt_sgd_data_init(data);
    xt_sgd_workspace_init(ws);

    int d = 2 + trial % 2, k = 3;
    long n = 7, batch[4] = {5, 1, 6, 2}, count = 4;
    do {
        random_case(net, data, state, d, k, gc->m, gc->bias, gc->act, n);
    } while (kink_distance(net, data, batch, count) < 1e-3);
    xt_sgd_workspace_resize(ws, k, gc->m, count, NULL);
    double *grad = calloc(net->count, sizeof *grad);
    double value = xt_sgd_objective(grad, net, data, batch, count, gc->loss,
                                    gc->temp, ws);
    double ref = reference_value(net, data, batch, count, gc->loss,
                                 gc->temp);
    if (!(fabs(value - ref) <= 1e-13 * fmax(1, fabs(ref))))
        XT_FAIL("%s: objective %.17g, MPFR %.17g",
                xt_loss_name(gc->loss), value, ref);
    double again = xt_sgd_objective(NULL, net, data, batch, count, gc->loss,
                                    gc->temp, ws);
    if (again != value)
        XT_FAIL("objective without gradient %.17g differs from %.17g",
                again, value);

    for (size_t q = 0; q < net->count; q++) {
        double exact = reference_derivative(net, data, batch, count,
                                            gc->loss, gc->temp, q);
        if (!(fabs(grad[q] - exact) <= 1e-11 * fmax(1, fabs(exact))))
            XT_FAIL("%s %s m=%d bias=%d: d/dparam %zu is %.17g, MPFR "
                    "%.17g", xt_loss_name(gc->loss),
                    xt_activation_name(gc->act), gc->m, gc->bias, q,
                    grad[q], exact);

        double saved = net->param[q], h = 1e-6;
        net->param[q] = saved + h;
        double up = xt_sgd_objective(NULL, net, data, batch, count,
                                     gc->loss, gc->temp, ws);
        net->param[q] = saved - h;
        double down = xt_sgd_objective(NULL, net, data, batch, count,
                                       gc->loss, gc->temp, ws);
        net->param[q] = saved;
        double fd = (up - down) / (2 * h);
        if (!(fabs(grad[q] - fd) <= 1e-5 * fmax(1, fabs(fd))))
            XT_FAIL("%s %s: d/dparam %zu is %.17g, central difference "
                    "%.17g", xt_loss_name(gc->loss),
                    xt_activation_name(gc->act), q, grad[q], fd);
    }
    free(grad);
    xt_sgd_workspace_clear(ws);
    xt_sgd_data_clear(data);
    xt_sgd_network_clear(net);
}

/* The full batch (batch NULL) equals the batch listing every point. */
static void check_full_batch(uint64_t *state)
{
    xt_sgd_network_t net;
    xt_sgd_data_t data;
    xt_sgd_workspace_t ws;
    xt_sgd_network_init(net);
    xt_sgd_data_init(data);
    xt_sgd_workspace_init(ws);
    random_case(net, data, state, 2, 3, 1, 1, XT_ACT_RELU, 6);
    xt_sgd_workspace_resize(ws, 3, 1, 6, NULL);
    long all[6] = {0, 1, 2, 3, 4, 5};
    double g1[13], g2[13];
    XT_CHECK_INT(net->count, 13);
    for (int loss = 0; loss < 3; loss++) {
        double v1 = xt_sgd_objective(g1, net, data, NULL, 6, loss, 0.1, ws);
        double v2 = xt_sgd_objective(g2, net, data, all, 6, loss, 0.1, ws);
        XT_CHECK(v1 == v2);
        XT_CHECK(!memcmp(g1, g2, sizeof g1));
    }
    xt_sgd_workspace_clear(ws);
    xt_sgd_data_clear(data);
    xt_sgd_network_clear(net);
}

/* Hand-derived values: one neuron, w = 2, b = -1, a = 3, no bias, at
 * x = 1 (z = 1, f = 3) and x = 0 (z = -1, inactive, f = 0). */
static void check_by_hand(void)
{
    xt_sgd_network_t net;
    xt_sgd_data_t data;
    xt_sgd_workspace_t ws;
    xt_sgd_network_init(net);
    xt_sgd_data_init(data);
    xt_sgd_workspace_init(ws);
    xt_sgd_network_resize(net, 1, 1, 1, 0, NULL);
    net->w[0] = 2;
    net->b[0] = -1;
    net->a[0] = 3;
    double x[2] = {1, 0}, y[2] = {1, 2}, g[3];
    data->n = 2;
    data->d = data->m = 1;
    data->x = x;
    data->y = y;
    xt_sgd_workspace_resize(ws, 1, 1, 2, NULL);

    /* Residuals 2 and -2.  l2: (4 + 4) / 2 = 4; dJ/dr = (2, -2); only
     * the first point is active: dJ/da = 2 * 1 = 2, dJ/dz = 2 * 3 = 6,
     * dJ/dw = 6 * 1, dJ/db = 6. */
    XT_CHECK(xt_sgd_objective(g, net, data, NULL, 2, XT_LOSS_L2, 1, ws) ==
             4.0);
    XT_CHECK(g[0] == 6.0 && g[1] == 6.0 && g[2] == 2.0);
    /* l1: (2 + 2) / 2 = 2; dJ/dr = (1/2, -1/2). */
    XT_CHECK(xt_sgd_objective(g, net, data, NULL, 2, XT_LOSS_L1, 1, ws) ==
             2.0);
    XT_CHECK(g[0] == 1.5 && g[1] == 1.5 && g[2] == 0.5);
    /* Smoothed linf with T = 1: log(e^2 + e^-2 + e^-2 + e^2). */
    double v = xt_sgd_objective(g, net, data, NULL, 2, XT_LOSS_LINF, 1, ws);
    XT_CHECK(fabs(v - log(2 * exp(2) + 2 * exp(-2))) < 1e-15);
    /* As T -> 0 it tends to max |r| = 2 from above. */
    v = xt_sgd_objective(g, net, data, NULL, 2, XT_LOSS_LINF, 1e-3, ws);
    XT_CHECK(v >= 2.0 && v <= 2.0 + 1e-3 * log(4.0) + 1e-15);
    XT_CHECK(xt_sgd_data_loss(net, data, XT_LOSS_L2, ws) == 8.0);
    XT_CHECK(xt_sgd_data_loss(net, data, XT_LOSS_L1, ws) == 4.0);
    XT_CHECK(xt_sgd_data_loss(net, data, XT_LOSS_LINF, ws) == 2.0);
    data->x = data->y = NULL;
    xt_sgd_workspace_clear(ws);
    xt_sgd_network_clear(net);
}

int main(void)
{
    uint64_t state = xt_test_seed();
    static const grad_case cases[] = {
        {XT_LOSS_L2, XT_ACT_RELU, 1, 0, 0}, {XT_LOSS_L2, XT_ACT_RELU, 2, 1, 0},
        {XT_LOSS_L2, XT_ACT_LINEAR, 1, 1, 0},
        {XT_LOSS_L1, XT_ACT_RELU, 1, 1, 0}, {XT_LOSS_L1, XT_ACT_RELU, 2, 0, 0},
        {XT_LOSS_L1, XT_ACT_LINEAR, 2, 1, 0},
        {XT_LOSS_LINF, XT_ACT_RELU, 1, 1, 0.5},
        {XT_LOSS_LINF, XT_ACT_RELU, 2, 0, 0.05},
        {XT_LOSS_LINF, XT_ACT_LINEAR, 1, 0, 0.2},
    };
    long trials = xt_test_scale(3);
    for (int t = 0; t < trials; t++)
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
            check_case(&cases[c], &state, t);
    check_full_batch(&state);
    check_by_hand();
    mpfr_free_cache();
    return xt_test_finish("test_sgd_grad");
}
