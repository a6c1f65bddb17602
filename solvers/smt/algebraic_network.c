/* Networks with real algebraic weights: storage, conversion from and to
 * rational networks, and the network text format (xtrain-network 1, see
 * docs/formats.md) extended so that any weight may be a term
 * (root-obj POLY INDEX).  A file without root-obj terms reads the same as
 * with xt_network_read_file. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

void xt_algebraic_network_init(xt_algebraic_network_t net)
{
    memset(net, 0, sizeof *net);
    net->activation = XT_ACT_RELU;
}

static xt_algebraic_struct *array_new(long count)
{
    xt_algebraic_struct *v = malloc((size_t)(count > 0 ? count : 1) *
                                    sizeof *v);
    if (!v)
        abort();
    for (long i = 0; i < count; i++)
        xt_algebraic_init(&v[i]);
    return v;
}

static void array_free(xt_algebraic_struct *v, long count)
{
    for (long i = 0; v && i < count; i++)
        xt_algebraic_clear(&v[i]);
    free(v);
}

void xt_algebraic_network_clear(xt_algebraic_network_t net)
{
    array_free(net->w, (long)net->k * net->d);
    array_free(net->b, net->k);
    array_free(net->a, (long)net->m * net->k);
    array_free(net->c, net->m);
    net->w = net->b = net->a = net->c = NULL;
    net->d = net->k = net->m = 0;
}

int xt_algebraic_network_resize(xt_algebraic_network_t net, int d, int k,
                                int m, xt_error_t *err)
{
    if (d < 1 || d > XT_MAX_DIM || k < 0 || k > XT_MAX_HIDDEN || m < 1 ||
        m > XT_MAX_OUTPUTS) {
        xt_error_set(err, "network size out of range: %d inputs, %d "
                     "hidden neurons, %d outputs", d, k, m);
        return XT_ERR_INPUT;
    }
    xt_algebraic_network_clear(net);
    net->w = array_new((long)k * d);
    net->b = array_new(k);
    net->a = array_new((long)m * k);
    net->c = array_new(m);
    net->d = d;
    net->k = k;
    net->m = m;
    return XT_OK;
}

int xt_algebraic_network_set_network(xt_algebraic_network_t out,
                                     const xt_network_t net)
{
    int status = xt_algebraic_network_resize(out, net->d, net->k, net->m,
                                             NULL);

    if (status != XT_OK)
        return status;
    out->activation = net->activation;
    out->threshold_output = net->threshold_output;
    out->has_output_bias = net->has_output_bias;
    for (long i = 0; i < (long)net->k * net->d; i++)
        xt_algebraic_set_q(&out->w[i], net->w[i]);
    for (int j = 0; j < net->k; j++)
        xt_algebraic_set_q(&out->b[j], net->b[j]);
    for (long i = 0; i < (long)net->m * net->k; i++)
        xt_algebraic_set_q(&out->a[i], net->a[i]);
    for (int o = 0; o < net->m; o++)
        xt_algebraic_set_q(&out->c[o], net->c[o]);
    return XT_OK;
}

static long count_irrational(const xt_algebraic_struct *v, long count)
{
    long irrational = 0;

    for (long i = 0; i < count; i++)
        irrational += v[i].degree != 0;
    return irrational;
}

long xt_algebraic_network_irrational(const xt_algebraic_network_t net)
{
    return count_irrational(net->w, (long)net->k * net->d) +
           count_irrational(net->b, net->k) +
           count_irrational(net->a, (long)net->m * net->k) +
           count_irrational(net->c, net->m);
}

int xt_algebraic_network_get_network(xt_network_t out,
                                     const xt_algebraic_network_t net,
                                     xt_error_t *err)
{
    xt_network_t q;
    int status;

    if (xt_algebraic_network_irrational(net) > 0) {
        xt_error_set(err, "the network has irrational weights");
        return XT_ERR_INPUT;
    }
    xt_network_init(q);
    status = xt_network_resize(q, net->d, net->k, net->m, err);
    if (status == XT_OK) {
        q->activation = net->activation;
        q->threshold_output = net->threshold_output;
        q->has_output_bias = net->has_output_bias;
        for (long i = 0; i < (long)net->k * net->d; i++)
            xt_algebraic_get_q(q->w[i], &net->w[i]);
        for (int j = 0; j < net->k; j++)
            xt_algebraic_get_q(q->b[j], &net->b[j]);
        for (long i = 0; i < (long)net->m * net->k; i++)
            xt_algebraic_get_q(q->a[i], &net->a[i]);
        for (int o = 0; o < net->m; o++)
            xt_algebraic_get_q(q->c[o], &net->c[o]);
        status = xt_network_set(out, q);
    }
    xt_network_clear(q);
    return status;
}

static void copy_values(xt_algebraic_struct *dst,
                        const xt_algebraic_struct *src, long count)
{
    for (long i = 0; i < count; i++)
        xt_algebraic_set(&dst[i], &src[i]);
}

int xt_algebraic_network_set(xt_algebraic_network_t dst,
                             const xt_algebraic_network_t src)
{
    int status;

    if (dst == src)
        return XT_OK;
    status = xt_algebraic_network_resize(dst, src->d, src->k, src->m, NULL);
    if (status != XT_OK)
        return status;
    dst->activation = src->activation;
    dst->threshold_output = src->threshold_output;
    dst->has_output_bias = src->has_output_bias;
    copy_values(dst->w, src->w, (long)src->k * src->d);
    copy_values(dst->b, src->b, src->k);
    copy_values(dst->a, src->a, (long)src->m * src->k);
    copy_values(dst->c, src->c, src->m);
    return XT_OK;
}

static void round_values(xt_algebraic_struct *v, long count, long bits)
{
    mpq_t q;

    mpq_init(q);
    for (long i = 0; i < count; i++) {
        xt_algebraic_round(q, &v[i], bits);
        xt_algebraic_set_q(&v[i], q);
    }
    mpq_clear(q);
}

void xt_algebraic_network_round(xt_algebraic_network_t net, long bits)
{
    round_values(net->w, (long)net->k * net->d, bits);
    round_values(net->b, net->k, bits);
    round_values(net->a, (long)net->m * net->k, bits);
    round_values(net->c, net->m, bits);
}

/* An irrational number is never 0. */
static int is_zero_value(const xt_algebraic_struct *v)
{
    return v->degree == 0 && mpq_sgn(v->lo) == 0;
}

/* Checks that net has the neurons of inst's architecture and a zero
 * weight on every edge the architecture leaves out. */
static int check_architecture(const xt_algebraic_network_t net,
                              const xt_instance_t inst, xt_error_t *err)
{
    if (xt_instance_check_architecture(inst, err) != XT_OK)
        return XT_ERR_INPUT;
    if (net->k != inst->hidden) {
        xt_error_set(err, "the network has %d hidden neurons but the "
                     "instance's architecture has %d", net->k, inst->hidden);
        return XT_ERR_INPUT;
    }
    for (long i = 0; i < (long)net->k * net->d; i++)
        if (!xt_instance_input_edge(inst, (int)(i / net->d),
                                    (int)(i % net->d)) &&
            !is_zero_value(&net->w[i])) {
            xt_error_set(err, "input %ld does not feed neuron %ld in the "
                         "instance's architecture, but its weight is not 0",
                         i % net->d + 1, i / net->d + 1);
            return XT_ERR_INPUT;
        }
    for (long i = 0; i < (long)net->m * net->k; i++)
        if (!xt_instance_output_edge(inst, (int)(i / net->k),
                                     (int)(i % net->k)) &&
            !is_zero_value(&net->a[i])) {
            xt_error_set(err, "neuron %ld does not feed output %ld in the "
                         "instance's architecture, but its output weight is "
                         "not 0", i % net->k + 1, i / net->k + 1);
            return XT_ERR_INPUT;
        }
    return XT_OK;
}

int xt_algebraic_network_conforms(const xt_algebraic_network_t net,
                                  const xt_instance_t inst, xt_error_t *err)
{
    mpq_t one;
    int status = XT_OK;

    if (net->d != inst->d || net->m != inst->m) {
        xt_error_set(err, "the network has %d inputs and %d outputs but the "
                     "instance has %d and %d", net->d, net->m, inst->d,
                     inst->m);
        return XT_ERR_INPUT;
    }
    if (net->activation != inst->activation) {
        xt_error_set(err, "the network uses %s activation but the instance "
                     "uses %s", xt_activation_name(net->activation),
                     xt_activation_name(inst->activation));
        return XT_ERR_INPUT;
    }
    if (net->has_output_bias && !inst->output_bias) {
        xt_error_set(err, "the network has an output bias but the instance "
                     "allows none (output-bias no)");
        return XT_ERR_INPUT;
    }
    if (inst->has_architecture &&
        check_architecture(net, inst, err) != XT_OK)
        return XT_ERR_INPUT;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (long i = 0; inst->convex && i < (long)net->m * net->k; i++)
        if (xt_algebraic_cmp_q(&net->a[i], one) != 0 &&
            xt_instance_output_edge(inst, (int)(i / net->k),
                                    (int)(i % net->k))) {
            xt_error_set(err, "the instance is convex, so every output "
                         "weight must be 1, but neuron %ld has another "
                         "(output %ld)", i % net->k + 1, i / net->k + 1);
            status = XT_ERR_INPUT;
            break;
        }
    mpq_clear(one);
    return status;
}

/* ------------------------------------------------------------- writer */

static void write_value(FILE *stream, const xt_algebraic_struct *v)
{
    fputc(' ', stream);
    xt_algebraic_print(stream, v);
}

/* Writes "#   NAME = DECIMAL" for an irrational weight. */
static void write_decimal_comment(FILE *stream, const char *name,
                                  const xt_algebraic_struct *v)
{
    if (v->degree == 0)
        return;
    fprintf(stream, "#   %s = ", name);
    xt_algebraic_print_decimal(stream, v, 20);
    fputc('\n', stream);
}

static void write_neuron(FILE *stream, const xt_algebraic_network_t net,
                         int j)
{
    char name[48];

    fputs("neuron", stream);
    for (int t = 0; t < net->d; t++)
        write_value(stream, &net->w[j * net->d + t]);
    write_value(stream, &net->b[j]);
    for (int o = 0; o < net->m; o++)
        write_value(stream, &net->a[o * net->k + j]);
    fputc('\n', stream);
    for (int t = 0; t < net->d; t++) {
        snprintf(name, sizeof name, "w_%d,%d", j + 1, t + 1);
        write_decimal_comment(stream, name, &net->w[j * net->d + t]);
    }
    snprintf(name, sizeof name, "b_%d", j + 1);
    write_decimal_comment(stream, name, &net->b[j]);
    for (int o = 0; o < net->m; o++) {
        snprintf(name, sizeof name, "a_%d,%d", o + 1, j + 1);
        write_decimal_comment(stream, name, &net->a[o * net->k + j]);
    }
}

void xt_algebraic_network_write(FILE *stream,
                                const xt_algebraic_network_t net)
{
    char name[48];

    fprintf(stream, "xtrain-network 1\ninputs %d\nhidden %d\noutputs %d\n",
            net->d, net->k, net->m);
    fprintf(stream, "activation %s\noutput-activation %s\n",
            xt_activation_name(net->activation),
            net->threshold_output ? "threshold" : "linear");
    fprintf(stream, "output-bias %s\n", net->has_output_bias ? "yes" : "no");
    fprintf(stream, "# neuron w_1");
    if (net->d > 1)
        fprintf(stream, " .. w_%d", net->d);
    fprintf(stream, " b a_1");
    if (net->m > 1)
        fprintf(stream, " .. a_%d", net->m);
    fprintf(stream, "\n");
    if (xt_algebraic_network_irrational(net) > 0)
        fputs("# (root-obj P I) is the I-th smallest real root of P\n",
              stream);
    for (int j = 0; j < net->k; j++)
        write_neuron(stream, net, j);
    if (net->has_output_bias) {
        fputs("output-bias-values", stream);
        for (int o = 0; o < net->m; o++)
            write_value(stream, &net->c[o]);
        fputc('\n', stream);
        for (int o = 0; o < net->m; o++) {
            snprintf(name, sizeof name, "c_%d", o + 1);
            write_decimal_comment(stream, name, &net->c[o]);
        }
    }
}
