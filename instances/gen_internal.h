/* Shared pieces of the instance generators: exact random numbers, teacher
 * networks, labels, label noise and the notes written as comments. */
#ifndef XT_GEN_INTERNAL_H
#define XT_GEN_INTERNAL_H

#include <stdint.h>
#include <gmp.h>
#include "xtrain/gen.h"
#include "xtrain/rat.h"
#include "xtrain/sgd.h"

/* Returns an integer drawn uniformly from [lo, hi]; lo <= hi. */
long xt_gen_int(xt_rng_t *rng, long lo, long hi);

/* Draws p/q with p uniform in [-height, height] and q uniform in
 * [1, height] (height >= 1), reduced. */
void xt_gen_rat(mpq_t out, xt_rng_t *rng, long height);

/* The same, redrawn until it is not zero. */
void xt_gen_rat_nonzero(mpq_t out, xt_rng_t *rng, long height);

/* Draws one coordinate: an integer in [-R, R] on the grid, else a
 * rational of height R (R = opt->coord_bound). */
void xt_gen_coordinate(mpq_t out, xt_rng_t *rng, const xt_gen_options *opt);

/* Fills points first..n-1 of inst (inputs only) with distinct random
 * points from xt_gen_coordinate, redrawing repeats.  Returns XT_OK, or
 * XT_ERR_INPUT when the grid has fewer than n points or distinct points
 * cannot be found (err has the message). */
int xt_gen_distinct_points(xt_instance_t inst, long first, xt_rng_t *rng,
                           const xt_gen_options *opt, xt_error_t *err);

/* Returns a shallow copy of opt (never to be cleared) with a zero d, k
 * or n replaced by the given defaults. */
xt_gen_options xt_gen_with_defaults(const xt_gen_options *opt, int d, int k,
                                    long n);

/* Checks the options shared by the teacher kinds (d, k, n, heights,
 * signs, noise).  Returns XT_OK or XT_ERR_INPUT with a message. */
int xt_gen_check_teacher_options(const xt_gen_options *opt, xt_error_t *err);

/* Draws a teacher of opt->k neurons on opt->d inputs: hidden weights
 * and biases of height opt->weight_height (no all-zero weight vector),
 * output weights +1 (convex), of the signs in opt->signs, or of random
 * sign, with random magnitudes of the same height; an output bias when
 * opt->output_bias. */
int xt_gen_teacher(xt_network_t net, xt_rng_t *rng,
                   const xt_gen_options *opt, xt_error_t *err);

/* Sets every label of inst to net's exact output. */
void xt_gen_label(xt_instance_t inst, const xt_network_t net);

/* Applies opt->noise label moves at distinct random points and records
 * them in the notes.  Returns XT_OK, XT_ERR_INPUT or XT_ERR_NOMEM. */
int xt_gen_add_noise(xt_gen_result_t res, xt_rng_t *rng,
                     const xt_gen_options *opt, xt_error_t *err);

/* Writes the instance settings: hidden (opt->hidden, or k), loss,
 * activation, output bias and convexity. */
void xt_gen_settings(xt_instance_t inst, const xt_gen_options *opt,
                     xt_activation activation, int k, int output_bias,
                     int convex);

/* Stores net as the answer (padded with zero neurons when the instance
 * asks for more), computes its exact loss, and adds target 0 when that
 * loss is 0 and opt->no_target is not set.  When the instance asks for
 * fewer neurons than net has, no answer is stored. */
int xt_gen_set_answer(xt_gen_result_t res, const xt_network_t net,
                      const xt_gen_options *opt, xt_error_t *err);

/* Appends one line (printf format) to res->notes.  Returns XT_OK or
 * XT_ERR_NOMEM. */
int xt_gen_note(xt_gen_result_t res, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends a note "label: v1 v2 ..." with the canonical text of values. */
int xt_gen_note_values(xt_gen_result_t res, const char *label,
                       mpq_t *values, long count);

/* planar-1in3: a random Positive 1-in-3 SAT formula through the planar
 * levee reduction (instances/gen_planar.c). */
int xt_gen_planar(xt_gen_result_t res, const xt_gen_options *opt,
                  xt_error_t *err);

#endif
