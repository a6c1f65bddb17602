/* The planar levee reduction's layout and maps (planar.c). */
#ifndef XT_REDUCTION_PLANAR_H
#define XT_REDUCTION_PLANAR_H

#include <stdio.h>
#include "xtrain/network.h"
#include "xtrain/reduction.h"
#include "../../src/check/rigidity.h"

/* Number of wiring points of src: one per clause, one per pair of
 * consecutive occurrences of a variable and one padding point per variable
 * that occurs, 4m in all. */
int xt_planar_wires(const xt_clauses_t src);

/* The layout of src, deterministic: drawn from a fixed seed until the
 * rigidity conditions hold.  Returns XT_OK, XT_ERR_INPUT, XT_ERR_LIMIT or
 * XT_ERR_NOMEM. */
int xt_planar_layout(xt_planar_layout_t lay, const xt_clauses_t src,
                     xt_error_t *err);

/* The training instance of a layout (squared loss 0, k = 3G). */
int xt_planar_instance(xt_instance_t out, const xt_planar_layout_t lay,
                       xt_error_t *err);

/* Sets neurons 3g..3g+2 of net to gadget g's levee in orientation o
 * (0 = T, 1 = F).  net must have 2 inputs and at least 3g + 3 neurons. */
void xt_planar_levee(xt_network_t net, const xt_planar_layout_t lay, int g,
                     int o);

/* Reads gadget g's orientation from net: o = 0 when a breakline parallel
 * to the T centre line passes through the pivot, 1 for F.  XT_ERR_INPUT
 * when neither or both occur. */
int xt_planar_orientation(int *o, const xt_network_t net,
                          const xt_planar_layout_t lay, int g,
                          xt_error_t *err);

/* Writes the layout as a certificate of kind "planar-rigidity", which
 * `xtrain check INSTANCE --certificate FILE` verifies. */
void xt_planar_write_certificate(FILE *stream, const xt_planar_layout_t lay);

extern const xt_reduction xt_reduction_planar;

#endif
