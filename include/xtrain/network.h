/* Two-layer networks with exact rational weights, their exact evaluation
 * and exact losses.
 *
 *   f_o(x) = c_o + sum_j a_{o,j} * sigma(w_j . x + b_j),  o = 1..m,
 *
 * with sigma the hidden activation (relu, threshold [t > 0], or linear).
 * A threshold network may also have a threshold output: then f_o is
 * [c_o + sum_j a_{o,j} h_j > 0].  The output bias c is optional and is
 * absent (not zero) unless has_output_bias is set. */
#ifndef XTRAIN_NETWORK_H
#define XTRAIN_NETWORK_H

#include <stddef.h>
#include <stdio.h>
#include <gmp.h>
#include "xtrain/error.h"
#include "xtrain/instance.h"
#include "xtrain/json.h"

typedef struct {
    int d;                      /* inputs */
    int k;                      /* hidden neurons */
    int m;                      /* outputs */
    xt_activation activation;   /* hidden activation */
    int threshold_output;       /* 1: outputs are [value > 0] */
    int has_output_bias;
    mpq_t *w;                   /* k*d hidden weights: w[j*d + t] */
    mpq_t *b;                   /* k hidden biases */
    mpq_t *a;                   /* m*k output weights: a[o*k + j] */
    mpq_t *c;                   /* m output biases (0 when absent) */
} xt_network_struct;

typedef xt_network_struct xt_network_t[1];

void xt_network_init(xt_network_t net);
void xt_network_clear(xt_network_t net);

/* Resizes to d inputs, k neurons and m outputs with all weights 0. */
int xt_network_resize(xt_network_t net, int d, int k, int m,
                      xt_error_t *err);

/* Copies src into dst (dst is resized). */
int xt_network_set(xt_network_t dst, const xt_network_t src);

/* Reads a network file, in the text format or (when the first character
 * that is not white space is '{') the JSON form; see docs/formats.md.
 * "-" is standard input.  On failure net is left unchanged and err
 * contains "FILE:LINE: what is wrong". */
int xt_network_read_file(xt_network_t net, const char *path,
                         xt_error_t *err);
int xt_network_read_string(xt_network_t net, const char *text,
                           const char *name, xt_error_t *err);
/* The same for len bytes that need not be NUL-terminated. */
int xt_network_read_text(xt_network_t net, const char *text, size_t len,
                         const char *name, xt_error_t *err);

/* Reads a network from a parsed JSON value: either the network object
 * itself or an object with a "network" member that is one (such as a
 * solver's JSON result).  name is used in messages. */
int xt_network_from_json(xt_network_t net, const xt_json *value,
                         const char *name, xt_error_t *err);

/* Writes the text format. */
void xt_network_write(FILE *stream, const xt_network_t net);

/* Writes the JSON object {"inputs": d, "activation": ..., "hidden": [...],
 * "output": {...}} on one line without a newline, every number an exact
 * rational string.  With several outputs "a" is an array of m arrays and
 * "c" an array of m values. */
void xt_network_write_json(FILE *stream, const xt_network_t net);

/* Evaluates the network at x (d values) into out (m values), exactly.
 * out must not overlap x or the weights. */
void xt_network_eval(mpq_t *out, const xt_network_t net, const mpq_t *x);

/* Computes the exact loss of net on inst under the given loss.  When
 * residuals is not NULL it receives n*m values f_o(x_i) - y_{i,o}.
 * Returns XT_ERR_INPUT when the dimensions do not match. */
int xt_network_loss(mpq_t loss, mpq_t *residuals, const xt_network_t net,
                    const xt_instance_t inst, xt_loss kind,
                    xt_error_t *err);

/* Checks that net fits inst's shape (inputs, outputs) and the instance's
 * restrictions (convex: all output weights +1; output bias only when the
 * instance allows it; with an architecture, inst->hidden neurons and a
 * zero weight on every missing edge, where convex asks +1 only on the
 * edges present).  Returns XT_OK or XT_ERR_INPUT with a message. */
int xt_network_conforms(const xt_network_t net, const xt_instance_t inst,
                        xt_error_t *err);

#endif
