/* Training data in double, the training objective and its gradient by
 * backpropagation.  Every sum runs over points, outputs and neurons in
 * index order, so results do not depend on anything but the inputs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sgd_impl.h"

void xt_sgd_data_init(xt_sgd_data_t data)
{
    memset(data, 0, sizeof *data);
}

void xt_sgd_data_clear(xt_sgd_data_t data)
{
    free(data->x);
    free(data->y);
    xt_sgd_data_init(data);
}

int xt_sgd_data_set_instance(xt_sgd_data_t data, const xt_instance_t inst,
                             xt_error_t *err)
{
    size_t nx = (size_t)inst->n * (size_t)inst->d;
    size_t ny = (size_t)inst->n * (size_t)inst->m;
    double *x = malloc((nx ? nx : 1) * sizeof *x);
    double *y = malloc((ny ? ny : 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        xt_error_set(err, "out of memory for %ld data points", inst->n);
        return XT_ERR_NOMEM;
    }
    for (size_t i = 0; i < nx + ny; i++) {
        int is_x = i < nx;
        double *slot = is_x ? &x[i] : &y[i - nx];
        const mpq_t *q = is_x ? &inst->x[i] : &inst->y[i - nx];
        if (xt_sgd_round_rational(slot, *q)) {
            size_t at = is_x ? i / (size_t)inst->d
                             : (i - nx) / (size_t)inst->m;
            xt_error_set(err, "point %zu: a value is too large for a "
                         "double", at + 1);
            free(x);
            free(y);
            return XT_ERR_INPUT;
        }
    }
    xt_sgd_data_clear(data);
    data->n = inst->n;
    data->d = inst->d;
    data->m = inst->m;
    data->x = x;
    data->y = y;
    return XT_OK;
}

void xt_sgd_workspace_init(xt_sgd_workspace_t ws)
{
    memset(ws, 0, sizeof *ws);
}

void xt_sgd_workspace_clear(xt_sgd_workspace_t ws)
{
    free(ws->hidden);
    free(ws->act);
    free(ws->gout);
    free(ws->residual);
    xt_sgd_workspace_init(ws);
}

int xt_sgd_workspace_resize(xt_sgd_workspace_t ws, int k, int m,
                            long max_batch, xt_error_t *err)
{
    xt_sgd_workspace_clear(ws);
    size_t nr = (size_t)(max_batch > 0 ? max_batch : 1) * (size_t)m;
    ws->hidden = calloc((size_t)k, sizeof *ws->hidden);
    ws->act = calloc((size_t)k, sizeof *ws->act);
    ws->gout = calloc((size_t)m, sizeof *ws->gout);
    ws->residual = calloc(nr, sizeof *ws->residual);
    if (!ws->hidden || !ws->act || !ws->gout || !ws->residual) {
        xt_sgd_workspace_clear(ws);
        xt_error_set(err, "out of memory for a batch of %ld points",
                     max_batch);
        return XT_ERR_NOMEM;
    }
    ws->max_batch = max_batch;
    return XT_OK;
}

/* Evaluates net at x: pre-activations into z, activations into h, and
 * the residuals f(x) - y into r (m values). */
static void forward(const xt_sgd_network_t net, const double *x,
                    const double *y, double *z, double *h, double *r)
{
    int d = net->d, k = net->k;
    for (int j = 0; j < k; j++) {
        const double *wj = net->w + (size_t)j * d;
        double s = net->b[j];
        for (int t = 0; t < d; t++)
            s += wj[t] * x[t];
        z[j] = s;
        h[j] = net->activation == XT_ACT_RELU && s <= 0.0 ? 0.0 : s;
    }
    for (int o = 0; o < net->m; o++) {
        const double *ao = net->a + (size_t)o * k;
        double f = net->c ? net->c[o] : 0.0;
        for (int j = 0; j < k; j++)
            f += ao[j] * h[j];
        r[o] = f - y[o];
    }
}

/* Adds the gradient of the objective at one point to grad, given the
 * derivatives g (m values) of the objective with respect to its outputs
 * and the forward values z, h.  Overwrites z with dJ/dz. */
static void backward(double *grad, const xt_sgd_network_t net,
                     const double *x, const double *g, double *z,
                     const double *h)
{
    int d = net->d, k = net->k, m = net->m;
    double *gw = grad;
    double *gb = gw + (size_t)k * d;
    double *ga = gb + k;
    double *gc = net->c ? ga + (size_t)m * k : NULL;

    for (int o = 0; o < m; o++) {
        double *gao = ga + (size_t)o * k;
        for (int j = 0; j < k; j++)
            gao[j] += g[o] * h[j];
        if (gc)
            gc[o] += g[o];
    }
    for (int j = 0; j < k; j++) {
        double gh = 0.0;
        for (int o = 0; o < m; o++)
            gh += g[o] * net->a[(size_t)o * k + j];
        /* ReLU'(t) = [t > 0]; the subgradient 0 at t = 0, as in PyTorch. */
        z[j] = net->activation == XT_ACT_RELU && z[j] <= 0.0 ? 0.0 : gh;
    }
    for (int j = 0; j < k; j++) {
        double *gwj = gw + (size_t)j * d;
        for (int t = 0; t < d; t++)
            gwj[t] += z[j] * x[t];
        gb[j] += z[j];
    }
}

/* Point p of the batch. */
static long point(const long *batch, long p)
{
    return batch ? batch[p] : p;
}

/* Objective and derivatives dJ/dr of the smoothed linf loss:
 * J = M + T log S with M = max |r| and S = sum (e^{(r-M)/T} +
 * e^{(-r-M)/T}), so dJ/dr = (e^{(r-M)/T} - e^{(-r-M)/T}) / S.  Shifting
 * by M keeps every exponent <= 0, so nothing overflows. */
static double linf_weights(double *r, size_t count, double temp)
{
    double big = 0.0;
    for (size_t i = 0; i < count; i++)
        if (fabs(r[i]) > big)
            big = fabs(r[i]);
    double s = 0.0;
    for (size_t i = 0; i < count; i++)
        s += exp((r[i] - big) / temp) + exp((-r[i] - big) / temp);
    for (size_t i = 0; i < count; i++)
        r[i] = (exp((r[i] - big) / temp) - exp((-r[i] - big) / temp)) / s;
    return big + temp * log(s);
}

/* Fills ws->residual with the residuals of the batch (linf pass one). */
static void batch_residuals(const xt_sgd_network_t net,
                            const xt_sgd_data_t data, const long *batch,
                            long count, xt_sgd_workspace_t ws)
{
    for (long p = 0; p < count; p++) {
        long i = point(batch, p);
        forward(net, data->x + (size_t)i * data->d,
                data->y + (size_t)i * data->m, ws->hidden, ws->act,
                ws->residual + (size_t)p * net->m);
    }
}

double xt_sgd_objective(double *grad, const xt_sgd_network_t net,
                        const xt_sgd_data_t data, const long *batch,
                        long count, xt_loss loss, double smoothing,
                        xt_sgd_workspace_t ws)
{
    int m = net->m;
    double value = 0.0, scale = 1.0 / (double)count;
    if (grad)
        memset(grad, 0, net->count * sizeof *grad);
    if (loss == XT_LOSS_LINF) {
        batch_residuals(net, data, batch, count, ws);
        value = linf_weights(ws->residual, (size_t)count * m, smoothing);
        if (!grad)
            return value;
    }

    for (long p = 0; p < count; p++) {
        long i = point(batch, p);
        const double *x = data->x + (size_t)i * data->d;
        double *g = ws->gout;
        forward(net, x, data->y + (size_t)i * m, ws->hidden, ws->act, g);
        for (int o = 0; o < m; o++) {
            double r = g[o];
            if (loss == XT_LOSS_L2) {
                value += r * r * scale;
                g[o] = 2.0 * r * scale;
            } else if (loss == XT_LOSS_L1) {
                value += fabs(r) * scale;
                g[o] = 0.0;
                if (r > 0.0)
                    g[o] = scale;
                else if (r < 0.0)
                    g[o] = -scale;
            } else {
                g[o] = ws->residual[(size_t)p * m + o];
            }
        }
        if (grad)
            backward(grad, net, x, g, ws->hidden, ws->act);
    }
    return value;
}

double xt_sgd_data_loss(const xt_sgd_network_t net, const xt_sgd_data_t data,
                        xt_loss loss, xt_sgd_workspace_t ws)
{
    double value = 0.0;
    for (long i = 0; i < data->n; i++) {
        forward(net, data->x + (size_t)i * data->d,
                data->y + (size_t)i * data->m, ws->hidden, ws->act,
                ws->gout);
        for (int o = 0; o < data->m; o++) {
            double r = fabs(ws->gout[o]);
            if (loss == XT_LOSS_L2)
                value += r * r;
            else if (loss == XT_LOSS_L1)
                value += r;
            else if (r > value || isnan(r))
                value = r;
        }
    }
    return value;
}
