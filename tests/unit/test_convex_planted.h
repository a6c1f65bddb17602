/* Planted convex instances for the convex solver's tests and benchmark:
 * a random teacher with all output weights +1 labels random rational
 * points exactly, so the answer YES is known without solving.  Moving one
 * label gives a nearby instance whose answer is not known (usually NO). */
#ifndef XT_TEST_CONVEX_PLANTED_H
#define XT_TEST_CONVEX_PLANTED_H

#include <stdint.h>
#include <gmp.h>
#include "xtrain/instance.h"
#include "xtrain/network.h"

/* splitmix64, so that the benchmark does not need xt_test.h. */
static inline uint64_t convex_planted_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* q = a random rational p / den with |p / den| <= bound, den in 1..3. */
static inline void convex_planted_rat(mpq_t q, uint64_t *state, long bound)
{
    long den = 1 + (long)(convex_planted_rand(state) % 3);
    long span = 2 * bound * den + 1;
    long num = (long)(convex_planted_rand(state) % (uint64_t)span) -
               bound * den;
    mpq_set_si(q, num, (unsigned long)den);
    mpq_canonicalize(q);
}

/* A random convex teacher: w, b in [-3, 3], output weights 1, output
 * bias in [-2, 2] when bias is set. */
static inline void convex_planted_teacher(xt_network_t net, uint64_t *state,
                                          int d, int k, int bias)
{
    xt_network_resize(net, d, k, 1, NULL);
    net->activation = XT_ACT_RELU;
    net->has_output_bias = bias;
    for (int j = 0; j < k; j++) {
        for (int t = 0; t < d; t++)
            convex_planted_rat(net->w[j * d + t], state, 3);
        convex_planted_rat(net->b[j], state, 3);
        mpq_set_ui(net->a[j], 1, 1);
    }
    if (bias)
        convex_planted_rat(net->c[0], state, 2);
}

/* Fills inst with n points in [-5, 5]^d labelled by a new teacher (also
 * returned in teacher), and the settings of the convex exact-fit problem:
 * hidden k, loss l2, target 0, convex, output bias as given. */
static inline void convex_planted(xt_instance_t inst, xt_network_t teacher,
                                  uint64_t *state, long n, int d, int k,
                                  int bias)
{
    convex_planted_teacher(teacher, state, d, k, bias);
    xt_instance_resize(inst, n, d, 1, NULL);
    for (long i = 0; i < n; i++) {
        for (int t = 0; t < d; t++)
            convex_planted_rat(inst->x[i * d + t], state, 5);
        xt_network_eval(&inst->y[i], teacher, inst->x + i * d);
    }
    inst->hidden = k;
    inst->activation = XT_ACT_RELU;
    inst->loss = XT_LOSS_L2;
    inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    inst->output_bias = bias;
    inst->convex = 1;
}

/* Moves the label of one random point by a random nonzero amount of at
 * most 2 in absolute value. */
static inline void convex_planted_perturb(xt_instance_t inst,
                                          uint64_t *state)
{
    if (inst->n == 0)
        return;
    long i = (long)(convex_planted_rand(state) % (uint64_t)inst->n);
    mpq_t delta;
    mpq_init(delta);
    do
        convex_planted_rat(delta, state, 2);
    while (!mpq_sgn(delta));
    mpq_add(inst->y[i], inst->y[i], delta);
    mpq_clear(delta);
}

#endif
