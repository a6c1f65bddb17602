/* Private declarations of the enumeration solver. */
#ifndef XT_ENUM_INTERNAL_H
#define XT_ENUM_INTERNAL_H

#include <stdio.h>
#include "xtrain/arrangement.h"
#include "xtrain/instance.h"
#include "xtrain/lp.h"
#include "xtrain/network.h"

/* One activation pattern: a sign a_j in {+1, -1} and an active set (an
 * index into the dichotomy list) for every neuron. */
typedef struct {
    int k;
    int *sign;          /* k entries, +1 or -1 */
    size_t *set;        /* k entries, indices into the dichotomy list */
} xt_pattern;

/* Column layout of a pattern's problem:
 *   neuron j: w_j at j*(d+1) .. j*(d+1)+d-1, b_j at j*(d+1)+d;
 *   then the output bias c (when allowed);
 *   then the loss variables: e_1..e_n for l1, one s for linf. */
typedef struct {
    int d, k;
    long n;
    int has_bias;
    xt_loss loss;
    int bias_col;       /* -1 when there is no output bias */
    int aux_col;        /* first loss variable, -1 for l2 */
    int ncols;
} xt_pattern_layout;

void xt_pattern_layout_set(xt_pattern_layout *lay, const xt_instance_t inst,
                           int k);

/* Builds the pattern's LP (l1, linf) or least-squares QP (l2) into lp,
 * which must be initialized with lay->ncols columns.  Row order: for each
 * neuron j, for each point i, the activation row of (j, i); then for l1
 * and linf, for each point i, the rows "aux - r_i >= 0" and
 * "aux + r_i >= 0" where r_i = f(x_i) - y_i. */
void xt_pattern_build(xt_lp_t lp, const xt_pattern_layout *lay,
                      const xt_instance_t inst,
                      const xt_dichotomy_list *sets, const xt_pattern *pat);

/* Converts a solution vector to a network (signs as output weights). */
void xt_pattern_network(xt_network_t net, const xt_pattern_layout *lay,
                        const xt_pattern *pat, const mpq_t *x);

/* Certificate writer: a JSON file streamed while the search runs. */
typedef struct {
    FILE *stream;
    long entries;
} xt_enum_certificate;

int xt_enum_certificate_open(xt_enum_certificate *cert, const char *path,
                             const xt_instance_t inst, int k,
                             xt_error_t *err);
void xt_enum_certificate_pattern(xt_enum_certificate *cert,
                                 const xt_dichotomy_list *sets,
                                 const xt_pattern *pat,
                                 const xt_lp_result_t lpres, int is_qp);
int xt_enum_certificate_close(xt_enum_certificate *cert, const char *claim,
                              const xt_network_t net, const mpq_t loss,
                              xt_error_t *err);

#endif
