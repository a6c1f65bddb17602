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
    inst->x = NULL;
    inst->y = NULL;
    inst->n = 0;
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

void xt_instance_write(FILE *stream, const xt_instance_t inst)
{
    fputs("xtrain-instance 1\n", stream);
    write_settings(stream, inst);
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
