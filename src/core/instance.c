/* Training instances: storage, names of settings and the text writer.
 * The readers are in instance_read.c and csv.c. */
#include <stdlib.h>
#include <string.h>
#include "xtrain/instance.h"
#include "xtrain/rat.h"

void xt_instance_init(xt_instance_t inst)
{
    memset(inst, 0, sizeof(xt_instance_struct));
    inst->m = 1;
    inst->activation = XT_ACT_RELU;
    inst->loss = XT_LOSS_L2;
    mpq_init(inst->target);
}

void xt_instance_clear(xt_instance_t inst)
{
    xt_rat_array_free(inst->x, (size_t)inst->n * (size_t)inst->d);
    xt_rat_array_free(inst->y, (size_t)inst->n * (size_t)inst->m);
    mpq_clear(inst->target);
    xt_instance_clear_architecture(inst);
    inst->x = NULL;
    inst->y = NULL;
    inst->n = 0;
}

void xt_instance_clear_architecture(xt_instance_t inst)
{
    free(inst->input_edge);
    free(inst->output_edge);
    inst->input_edge = NULL;
    inst->output_edge = NULL;
    inst->has_architecture = 0;
    inst->arch_hidden = inst->arch_d = inst->arch_m = 0;
}

/* Returns 1 when every one of count flags is 0 or 1. */
static int flags_valid(const unsigned char *flags, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (flags[i] > 1)
            return 0;
    return 1;
}

int xt_instance_set_architecture(xt_instance_t inst,
                                 const unsigned char *input_edge,
                                 const unsigned char *output_edge,
                                 xt_error_t *err)
{
    size_t ins = (size_t)inst->hidden * (size_t)inst->d;
    size_t outs = (size_t)inst->m * (size_t)inst->hidden;
    unsigned char *in_copy, *out_copy;

    if (inst->hidden < 1 || inst->d < 1 || inst->m < 1) {
        xt_error_set(err, "an architecture needs hidden, inputs and "
                     "outputs to be set (found hidden %d, inputs %d, "
                     "outputs %d)", inst->hidden, inst->d, inst->m);
        return XT_ERR_INPUT;
    }
    if (!flags_valid(input_edge, ins) || !flags_valid(output_edge, outs)) {
        xt_error_set(err, "architecture flags must be 0 or 1");
        return XT_ERR_INPUT;
    }
    in_copy = malloc(ins);
    out_copy = malloc(outs);
    if (!in_copy || !out_copy) {
        free(in_copy);
        free(out_copy);
        xt_error_set(err, "out of memory for an architecture of %d neurons",
                     inst->hidden);
        return XT_ERR_NOMEM;
    }
    memcpy(in_copy, input_edge, ins);
    memcpy(out_copy, output_edge, outs);
    xt_instance_clear_architecture(inst);
    inst->input_edge = in_copy;
    inst->output_edge = out_copy;
    inst->has_architecture = 1;
    inst->arch_hidden = inst->hidden;
    inst->arch_d = inst->d;
    inst->arch_m = inst->m;
    return XT_OK;
}

int xt_instance_check_architecture(const xt_instance_t inst,
                                   xt_error_t *err)
{
    if (!inst->has_architecture)
        return XT_OK;
    if (inst->arch_hidden != inst->hidden) {
        xt_error_set(err, "the architecture section describes %d hidden "
                     "neurons but the instance has hidden %d; remove the "
                     "override of hidden or the architecture",
                     inst->arch_hidden, inst->hidden);
        return XT_ERR_INPUT;
    }
    if (inst->arch_d != inst->d || inst->arch_m != inst->m) {
        xt_error_set(err, "the architecture section was made for %d inputs "
                     "and %d outputs but the instance has %d and %d",
                     inst->arch_d, inst->arch_m, inst->d, inst->m);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_instance_resize(xt_instance_t inst, long n, int d, int m,
                       xt_error_t *err)
{
    mpq_t *x = NULL, *y = NULL;

    if (n < 0 || n > XT_MAX_POINTS || d < 1 || d > XT_MAX_DIM || m < 1 ||
        m > XT_MAX_OUTPUTS) {
        xt_error_set(err, "instance size out of range: %ld points, "
                     "%d inputs, %d outputs", n, d, m);
        return XT_ERR_INPUT;
    }
    if (n > 0) {
        x = xt_rat_array_new((size_t)n * (size_t)d);
        y = xt_rat_array_new((size_t)n * (size_t)m);
        if (!x || !y) {
            xt_rat_array_free(x, (size_t)n * (size_t)d);
            xt_rat_array_free(y, (size_t)n * (size_t)m);
            xt_error_set(err, "out of memory for %ld points of %d values",
                         n, d + m);
            return XT_ERR_NOMEM;
        }
    }
    xt_rat_array_free(inst->x, (size_t)inst->n * (size_t)inst->d);
    xt_rat_array_free(inst->y, (size_t)inst->n * (size_t)inst->m);
    inst->x = x;
    inst->y = y;
    inst->n = n;
    inst->d = d;
    inst->m = m;
    return XT_OK;
}

static const char *const activation_names[] = {"relu", "threshold",
                                                "linear"};
static const char *const loss_names[] = {"l2", "l1", "linf", "zero-one"};

const char *xt_activation_name(xt_activation activation)
{
    if ((unsigned)activation < 3)
        return activation_names[activation];
    return "unknown";
}

const char *xt_loss_name(xt_loss loss)
{
    if ((unsigned)loss < 4)
        return loss_names[loss];
    return "unknown";
}

int xt_activation_parse(xt_activation *out, const char *name)
{
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, activation_names[i]) == 0) {
            *out = (xt_activation)i;
            return 0;
        }
    }
    return -1;
}

int xt_loss_parse(xt_loss *out, const char *name)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, loss_names[i]) == 0) {
            *out = (xt_loss)i;
            return 0;
        }
    }
    return -1;
}

/* Writes the settings that were given or differ from the defaults. */
static void write_settings(FILE *stream, const xt_instance_t inst)
{
    fprintf(stream, "inputs %d\noutputs %d\n", inst->d, inst->m);
    if (inst->hidden > 0)
        fprintf(stream, "hidden %d\n", inst->hidden);
    if (inst->has_activation || inst->activation != XT_ACT_RELU)
        fprintf(stream, "activation %s\n",
                xt_activation_name(inst->activation));
    if (inst->has_loss || inst->loss != XT_LOSS_L2)
        fprintf(stream, "loss %s\n", xt_loss_name(inst->loss));
    if (inst->has_target) {
        fputs("target ", stream);
        xt_rat_print(stream, inst->target);
        fputc('\n', stream);
    }
    if (inst->has_output_bias || inst->output_bias)
        fprintf(stream, "output-bias %s\n", inst->output_bias ? "yes" : "no");
    if (inst->has_convex || inst->convex)
        fprintf(stream, "convex %s\n", inst->convex ? "yes" : "no");
}

/* Writes a list " WORD i ..." of the 1-based indices whose flag is set;
 * flags[i * stride] for i < count. */
static void write_index_list(FILE *stream, const char *word,
                             const unsigned char *flags, int count,
                             long stride)
{
    fprintf(stream, " %s", word);
    for (int i = 0; i < count; i++)
        if (flags[(long)i * stride])
            fprintf(stream, " %d", i + 1);
}

/* Writes the architecture section: one line per hidden neuron. */
static void write_architecture(FILE *stream, const xt_instance_t inst)
{
    int k = inst->arch_hidden, d = inst->arch_d;

    fputs("architecture\n", stream);
    for (int j = 0; j < k; j++) {
        fprintf(stream, "neuron %d", j + 1);
        write_index_list(stream, "inputs", inst->input_edge + (long)j * d,
                         d, 1);
        write_index_list(stream, "outputs", inst->output_edge + j,
                         inst->arch_m, k);
        fputc('\n', stream);
    }
}

void xt_instance_write(FILE *stream, const xt_instance_t inst)
{
    fprintf(stream, "xtrain-instance %d\n", inst->has_architecture ? 2 : 1);
    write_settings(stream, inst);
    if (inst->has_architecture)
        write_architecture(stream, inst);
    fprintf(stream, "data %ld\n", inst->n);
    for (long i = 0; i < inst->n; i++) {
        for (int t = 0; t < inst->d; t++) {
            if (t > 0)
                fputc(' ', stream);
            xt_rat_print(stream, inst->x[i * inst->d + t]);
        }
        for (int o = 0; o < inst->m; o++) {
            fputc(' ', stream);
            xt_rat_print(stream, inst->y[i * inst->m + o]);
        }
        fputc('\n', stream);
    }
}
